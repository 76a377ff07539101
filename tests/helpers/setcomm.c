// SPDX-License-Identifier: GPL-2.0
/*
 * setcomm NAME FILE: set this task's name to NAME with prctl(PR_SET_NAME)
 * (which, unlike exec, takes any bytes: quotes, backslashes, control
 * characters), then read FILE to the end, so that its reclaim stalls
 * carry that name. For the JSON escaping test.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char buf[1 << 16];
	ssize_t n;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: setcomm NAME FILE\n");
		return 2;
	}
	if (prctl(PR_SET_NAME, argv[1], 0, 0, 0)) {
		perror("setcomm: prctl");
		return 1;
	}
	fd = open(argv[2], O_RDONLY);
	if (fd < 0) {
		perror("setcomm: open");
		return 1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	close(fd);
	return n < 0;
}
