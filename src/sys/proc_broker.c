// SPDX-License-Identifier: GPL-2.0
/*
 * The /proc broker of --user-stack (proc_broker.h): a socket pair, a
 * child that answers one request at a time, and descriptors passed back
 * with SCM_RIGHTS. The child ends when drsnoop's end of the socket
 * closes, or when drsnoop dies.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <seccomp.h>
#include "privs.h"
#include "proc_broker.h"
#include "seccomp_base.h"
#include "socket_child.h"
#include "src/lib/util.h"

struct broker_req {
	uint64_t start, end;
	uint32_t pid;
	uint32_t zero;
};

/* drsnoop's end of the socket, -1 when there is no broker. */
static int broker_fd = -1;

static const int broker_calls[] = {
	SCMP_SYS(read),	 SCMP_SYS(sendmsg),	 SCMP_SYS(close),
	SCMP_SYS(fstat), SCMP_SYS(rt_sigreturn), SCMP_SYS(sigaltstack),
	SCMP_SYS(exit),	 SCMP_SYS(exit_group),
};

/* Opening only to read, fstat() of what it opened, answering. */
static int broker_filter(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	int err = ctx ? 0 : -ENOMEM;
	size_t i;

	for (i = 0; !err && i < ARRAY_SIZE(broker_calls); i++)
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, broker_calls[i], 0);
	if (!err)
		err = seccomp_rule_add(
			ctx, SCMP_ACT_ALLOW, SCMP_SYS(openat), 1,
			SCMP_A2(SCMP_CMP_MASKED_EQ,
				O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND,
				O_RDONLY));
	if (!err)
		err = seccomp_refuse_path_stat(ctx);
	if (!err)
		err = seccomp_load(ctx);
	seccomp_release(ctx);
	return err;
}

/*
 * The file asked for: a regular file, opened without blocking. map_files
 * names the very file mapped, whatever the process has since put at its
 * path; it is first opened O_PATH, which opens no device nor FIFO, and
 * opened to read, through /proc/self/fd, only once fstat() shows a
 * regular file.
 */
static int open_for(const struct broker_req *r)
{
	char path[96];
	struct stat st;
	int fd, file;

	if (r->start || r->end)
		snprintf(path, sizeof(path),
			 "/proc/%" PRIu32 "/map_files/%" PRIx64 "-%" PRIx64,
			 r->pid, r->start, r->end);
	else
		snprintf(path, sizeof(path), "/proc/%" PRIu32 "/maps", r->pid);
	fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (seccomp_fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EACCES;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	file = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	close(fd);
	return file < 0 ? -errno : file;
}

/* The descriptor, or the errno as the message's only byte(s). */
static void answer(int sock, int fd)
{
	int err = fd < 0 ? -fd : 0;

	socket_child_send(sock, &err, sizeof(err), fd);
	if (fd >= 0)
		close(fd);
}

static void serve(int sock, uint64_t keep_caps)
{
	struct broker_req r;
	char why[256];

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (dup2(sock, 3) < 0 || close_range(4, ~0U, 0) ||
	    privs_leave_root(false, why, sizeof(why)) < 0 ||
	    privs_drop(keep_caps, why, sizeof(why)) || broker_filter())
		_exit(1);
	while (read(3, &r, sizeof(r)) == sizeof(r))
		answer(3, open_for(&r));
	_exit(0);
}

int proc_broker_start(uint64_t keep_caps, char *why, size_t why_len)
{
	int sock;
	pid_t pid = socket_child_fork(&sock);

	if (pid == 0)
		serve(sock, keep_caps);
	if (pid < 0) {
		snprintf(why, why_len, "cannot start the /proc broker: %s",
			 strerror(errno));
		return -1;
	}
	broker_fd = sock;
	return 0;
}

static int receive_fd(void)
{
	int err = EIO, fd;

	if (socket_child_recv(broker_fd, &err, sizeof(err), &fd) !=
	    sizeof(err)) {
		if (fd >= 0)
			close(fd);
		return -EIO;
	}
	return fd >= 0 ? fd : -(err ? err : EIO);
}

bool proc_broker_running(void)
{
	return broker_fd >= 0;
}

int proc_broker_open(uint32_t pid, uint64_t start, uint64_t end)
{
	struct broker_req r = { .start = start, .end = end, .pid = pid };

	if (broker_fd < 0)
		return -ENOTCONN;
	if (write(broker_fd, &r, sizeof(r)) != sizeof(r))
		return -EIO;
	return receive_fd();
}
