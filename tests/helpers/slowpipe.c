// SPDX-License-Identifier: GPL-2.0
/*
 * slowpipe SECONDS CMD [ARG...]: run CMD with its stdout a pipe of one
 * page, filled before CMD starts, that nobody reads for SECONDS: CMD
 * blocks in its first write, however little it prints, and cannot exit
 * while a test looks at it (/proc/PID/status); then copy the pipe to
 * stdout, without the filler. Says "pid N" on stderr first; exits with
 * CMD's status, or 128 + the signal that killed it.
 */
#define _GNU_SOURCE /* F_SETPIPE_SZ */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void copy(int from, size_t skip)
{
	char buf[4096];
	ssize_t n, off;

	while ((n = read(from, buf, sizeof(buf))) > 0) {
		off = (size_t)n < skip ? n : (ssize_t)skip;
		skip -= off;
		if (write(STDOUT_FILENO, buf + off, n - off) != n - off)
			break;
	}
}

/* Fills the pipe's one page, so that the first write of CMD blocks. */
static int fill(int to, size_t page)
{
	char *zeros = calloc(1, page);
	ssize_t n = zeros ? write(to, zeros, page) : -1;

	free(zeros);
	return n == (ssize_t)page ? 0 : -1;
}

int main(int argc, char **argv)
{
	size_t page = getpagesize();
	int fds[2], status;
	pid_t pid;

	if (argc < 3) {
		fprintf(stderr, "usage: slowpipe SECONDS CMD [ARG...]\n");
		return 2;
	}
	if (pipe(fds) || fcntl(fds[1], F_SETPIPE_SZ, page) < 0 ||
	    fill(fds[1], page)) {
		perror("slowpipe: pipe");
		return 1;
	}
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execvp(argv[2], argv + 2);
		perror("slowpipe: exec");
		_exit(127);
	}
	close(fds[1]);
	fprintf(stderr, "pid %d\n", (int)pid);
	sleep(atoi(argv[1]));
	copy(fds[0], page);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
