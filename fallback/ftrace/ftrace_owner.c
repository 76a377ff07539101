// SPDX-License-Identifier: GPL-2.0
/*
 * Owners' names and locks in tracefs (ftrace_owner.h). A pid alone names
 * no process across PID namespaces, and kill(pid, 0) asks our own: the
 * name takes the namespace too, and liveness is the owner's flock.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ftrace_owner.h"

int ftrace_owner_name(char *buf, size_t len, const char *prefix)
{
	char sep = prefix[strlen(prefix) - 1];
	struct stat sb;

	if (stat("/proc/self/ns/pid", &sb))
		return -1;
	snprintf(buf, len, "%s%" PRIu64 "%c%d", prefix, (uint64_t)sb.st_ino,
		 sep, getpid());
	return 0;
}

/* prefix<ns><sep><pid>, as ftrace_owner_name() makes them. */
static bool parse(const char *name, const char *prefix, unsigned long long *ns,
		  long *pid)
{
	size_t n = strlen(prefix);
	char sep = prefix[n - 1];
	char *end;

	if (strncmp(name, prefix, n) || name[n] < '0' || name[n] > '9')
		return false;
	errno = 0;
	*ns = strtoull(name + n, &end, 10);
	if (errno || *end != sep || end[1] < '0' || end[1] > '9')
		return false;
	*pid = strtol(end + 1, &end, 10);
	return !errno && !*end && *pid > 0;
}

bool ftrace_owner_named(const char *name, const char *prefix)
{
	unsigned long long ns;
	long pid;

	return parse(name, prefix, &ns, &pid);
}

bool ftrace_owner_rename(const char *name, const char *prefix,
			 const char *other_prefix, char *buf, size_t len)
{
	unsigned long long ns;
	long pid;

	if (!parse(name, prefix, &ns, &pid))
		return false;
	snprintf(buf, len, "%s%llu%c%ld", other_prefix, ns,
		 other_prefix[strlen(other_prefix) - 1], pid);
	return true;
}

int ftrace_owner_hold(int dir_fd, const char *name)
{
	int fd = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB)) {
		close(fd);
		fd = -1;
	}
	return fd;
}
