// SPDX-License-Identifier: GPL-2.0
/*
 * ptyrun - run a tracer with its stdout on a pseudo-terminal, as a user at
 * a terminal would, and say when its header line appears.
 *
 * For scripts/bench. libbpf-tools' drsnoop block-buffers stdout into a pipe
 * or a file, so nothing it prints arrives until it exits; on a terminal it
 * line-buffers. Running every tracer this way treats them all alike, with
 * no LD_PRELOAD (stdbuf) or shell (script -c) added to what is measured.
 *
 *   ptyrun [-q] [-o FILE] [-r WORD] [-t SECONDS] -- COMMAND [ARG...]
 *
 * Everything COMMAND writes to stdout is copied to FILE (default: none);
 * its stderr is ours. When a line containing WORD (default "COMM": the
 * header, which drsnoop prints once attached; bpf-load prints "ready")
 * arrives, prints "ready PID USEC" on stdout:
 * COMMAND's pid and the microseconds from just before execve() to the
 * moment the line was read. SIGINT and SIGTERM are passed on to COMMAND.
 * With -q, COMMAND is sent SIGINT as soon as it is ready. At the end,
 * prints "exit STATUS" and exits with COMMAND's status (1 if it did not
 * get ready within -t SECONDS, default 20, after which it is killed).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

struct run {
	int master;
	int out; /* copy of COMMAND's stdout, or -1 */
	pid_t pid;
	bool ready;
	const char *word; /* what the line that means ready contains */
	char line[512];
	size_t len;
	const volatile long long *t_exec;
};

static volatile sig_atomic_t child_pid;

static void forward(int sig)
{
	if (child_pid > 0)
		kill(child_pid, sig);
}

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

/* A pty with no line discipline changes: "\n" stays "\n", no echo. */
static int open_pty(int *slave)
{
	struct termios tio;
	int master;

	master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0 || grantpt(master) || unlockpt(master))
		return -1;
	*slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	if (*slave < 0 || tcgetattr(*slave, &tio))
		return -1;
	cfmakeraw(&tio);
	return tcsetattr(*slave, TCSANOW, &tio) ? -1 : master;
}

static void start(struct run *r, int slave, char **argv)
{
	long long *t_exec = (long long *)r->t_exec;

	r->pid = fork();
	if (r->pid < 0) {
		perror("ptyrun: fork");
		exit(1);
	}
	if (r->pid)
		return;
	setsid();
	ioctl(slave, TIOCSCTTY, 0);
	dup2(slave, STDOUT_FILENO);
	close(slave);
	*t_exec = now_us();
	execvp(argv[0], argv);
	fprintf(stderr, "ptyrun: cannot run '%s': %s\n", argv[0],
		strerror(errno));
	_exit(127);
}

static void on_line(struct run *r, bool quit)
{
	r->line[r->len] = '\0';
	r->len = 0;
	if (r->ready || !strstr(r->line, r->word))
		return;
	r->ready = true;
	printf("ready %d %lld\n", r->pid, now_us() - *r->t_exec);
	fflush(stdout);
	if (quit)
		kill(r->pid, SIGINT);
}

/* Copy what COMMAND wrote; false at its end (EIO once the slave closed). */
static bool drain(struct run *r, bool quit)
{
	char buf[4096];
	ssize_t n, i;

	n = read(r->master, buf, sizeof(buf));
	if (n < 0 && errno == EINTR)
		return true;
	if (n <= 0)
		return false;
	if (r->out >= 0 && write(r->out, buf, n) != n)
		perror("ptyrun: write");
	for (i = 0; i < n; i++) {
		if (buf[i] == '\n' || r->len == sizeof(r->line) - 1)
			on_line(r, quit);
		else
			r->line[r->len++] = buf[i];
	}
	return true;
}

static int finish(struct run *r)
{
	int status;

	while (waitpid(r->pid, &status, 0) < 0 && errno == EINTR)
		;
	status = WIFEXITED(status) ? WEXITSTATUS(status) :
				     128 + WTERMSIG(status);
	printf("exit %d\n", status);
	return r->ready ? status : 1;
}

int main(int argc, char **argv)
{
	struct run r = { .out = -1, .word = "COMM" };
	struct sigaction sa = { .sa_handler = forward };
	struct pollfd pfd;
	long long deadline;
	int opt, slave, timeout_s = 20;
	bool quit = false;

	while ((opt = getopt(argc, argv, "+qo:r:t:")) != -1) {
		switch (opt) {
		case 'q':
			quit = true;
			break;
		case 'o':
			r.out = open(optarg, O_WRONLY | O_CREAT | O_TRUNC,
				     0644);
			if (r.out < 0) {
				perror(optarg);
				return 1;
			}
			break;
		case 'r':
			r.word = optarg;
			break;
		case 't':
			timeout_s = atoi(optarg);
			break;
		default:
			goto usage;
		}
	}
	if (optind >= argc)
		goto usage;
	r.t_exec = mmap(NULL, sizeof(long long), PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	r.master = open_pty(&slave);
	if (r.t_exec == MAP_FAILED || r.master < 0) {
		perror("ptyrun: cannot set up a pty");
		return 1;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	start(&r, slave, argv + optind);
	child_pid = r.pid;
	close(slave);
	deadline = now_us() + timeout_s * 1000000LL;
	pfd = (struct pollfd){ .fd = r.master, .events = POLLIN };
	for (;;) {
		if (!r.ready && now_us() > deadline) {
			fprintf(stderr, "ptyrun: no '%s' within %d s\n", r.word,
				timeout_s);
			kill(r.pid, SIGKILL);
			deadline = now_us() + 3600 * 1000000LL;
		}
		if (poll(&pfd, 1, 100) > 0 && !drain(&r, quit))
			break;
	}
	return finish(&r);
usage:
	fprintf(stderr, "usage: ptyrun [-q] [-o FILE] [-r WORD] [-t SECONDS] "
			"-- "
			"COMMAND [ARG...]\n");
	return 2;
}
