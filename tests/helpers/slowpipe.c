// SPDX-License-Identifier: GPL-2.0
/*
 * slowpipe SECONDS CMD [ARG...]: run CMD with its stdout a pipe of one
 * page that nobody reads for SECONDS, so that CMD blocks in its output
 * while a test looks at it (/proc/PID/status); then copy the pipe to
 * stdout. Says "pid N" on stderr first; exits with CMD's status, or
 * 128 + the signal that killed it.
 */
#define _GNU_SOURCE /* F_SETPIPE_SZ */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void copy(int from)
{
	char buf[4096];
	ssize_t n;

	while ((n = read(from, buf, sizeof(buf))) > 0)
		if (write(STDOUT_FILENO, buf, n) != n)
			break;
}

int main(int argc, char **argv)
{
	int fds[2], status;
	pid_t pid;

	if (argc < 3) {
		fprintf(stderr, "usage: slowpipe SECONDS CMD [ARG...]\n");
		return 2;
	}
	if (pipe(fds) || fcntl(fds[1], F_SETPIPE_SZ, getpagesize()) < 0) {
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
	copy(fds[0]);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
