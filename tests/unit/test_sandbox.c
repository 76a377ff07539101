// SPDX-License-Identifier: GPL-2.0
/*
 * The sandbox of -i and the capability drop, each in a child process:
 * what reading and printing need still works (a forked child stays in the
 * sandbox), and a system call outside
 * the filter (a socket, an exec, an open, executable memory, a signal to
 * another process) kills the child with SIGSYS instead of succeeding.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "src/sys/privs.h"
#include "src/sys/sandbox.h"

/* Run fn in a sandboxed child; its wait status. */
static int sandboxed(void (*fn)(void))
{
	char why[256];
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		if (sandbox_enter(0, why, sizeof(why))) {
			fprintf(stderr, "sandbox_enter: %s\n", why);
			_exit(3);
		}
		fn();
		_exit(0);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

static void assert_killed(int status)
{
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGSYS);
}

static void do_socket(void)
{
	socket(AF_INET, SOCK_STREAM, 0);
}

static void do_execve(void)
{
	char *argv[] = { "true", NULL };

	execve("/bin/true", argv, argv + 1);
}

static void do_open(void)
{
	open("/etc/passwd", O_RDONLY);
}

static void do_exec_memory(void)
{
	mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1,
	     0);
}

static void do_kill_parent(void)
{
	kill(getppid(), 0);
}

/* A child forked in the sandbox is in it too: its socket() kills it. */
static void do_fork(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		socket(AF_INET, SOCK_STREAM, 0);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		_exit(4);
	_exit(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS ? 0 : 5);
}

static int fds[2]; /* opened before the sandbox, as -i's file is */

/* Reading, allocating, printing: what -i does once its file is open. */
static void do_allowed(void)
{
	static const char msg[] = "# printed in the sandbox\n";
	char buf[sizeof(msg)];
	size_t big = 8 << 20;
	char *p;

	p = malloc(big);
	if (!p)
		_exit(5);
	memset(p, 1, big);
	free(p);
	if (write(fds[1], msg, sizeof(msg)) != sizeof(msg) ||
	    read(fds[0], buf, sizeof(buf)) != sizeof(buf) ||
	    memcmp(buf, msg, sizeof(msg)))
		_exit(6);
	printf("%s", buf);
	fflush(stdout);
}

static void test_allowed(void **state)
{
	int status;

	assert_int_equal(pipe(fds), 0);
	status = sandboxed(do_allowed);
	close(fds[0]);
	close(fds[1]);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_fork_stays_inside(void **state)
{
	int status = sandboxed(do_fork);

	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_socket_kills(void **state)
{
	assert_killed(sandboxed(do_socket));
}

static void test_execve_kills(void **state)
{
	assert_killed(sandboxed(do_execve));
}

static void test_open_kills(void **state)
{
	assert_killed(sandboxed(do_open));
}

static void test_exec_memory_kills(void **state)
{
	assert_killed(sandboxed(do_exec_memory));
}

static void test_kill_kills(void **state)
{
	assert_killed(sandboxed(do_kill_parent));
}

/* The value of a "Name:\t..." line of /proc/self/status. */
static void status_line(const char *name, char *out, size_t len)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	size_t n = strlen(name);

	out[0] = '\0';
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, name, n) && line[n] == ':')
			snprintf(out, len, "%.*s",
				 (int)strcspn(line + n + 2, "\n"),
				 line + n + 2);
	if (f)
		fclose(f);
}

/* In a child: nothing effective, permitted, ambient; no_new_privs set. */
static void test_privs_drop(void **state)
{
	char why[256], v[64];
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		if (privs_drop(0, why, sizeof(why)))
			_exit(3);
		status_line("CapEff", v, sizeof(v));
		if (strcmp(v, "0000000000000000"))
			_exit(4);
		status_line("CapPrm", v, sizeof(v));
		if (strcmp(v, "0000000000000000"))
			_exit(5);
		status_line("CapAmb", v, sizeof(v));
		if (strcmp(v, "0000000000000000"))
			_exit(6);
		status_line("NoNewPrivs", v, sizeof(v));
		_exit(strcmp(v, "1") ? 7 : 0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_allowed),
		cmocka_unit_test(test_fork_stays_inside),
		cmocka_unit_test(test_socket_kills),
		cmocka_unit_test(test_execve_kills),
		cmocka_unit_test(test_open_kills),
		cmocka_unit_test(test_exec_memory_kills),
		cmocka_unit_test(test_kill_kills),
		cmocka_unit_test(test_privs_drop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
