// SPDX-License-Identifier: GPL-2.0
/*
 * The symbolizer of live --user-stack (symbolizer.h): a socket pair, a
 * child that parses the files it is sent (its ops) and answers one
 * request at a time, and drsnoop's side, which passes descriptors with
 * SCM_RIGHTS and gives the child up at its first failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <seccomp.h>
#include "privs.h"
#include "seccomp_base.h"
#include "socket_child.h"
#include "symbolizer.h"
#include "src/lib/util.h"

/* The child's socket, once it has closed everything else. */
#define CHILD_SOCK 3

/*
 * Seconds the child may spend on one request before SIGALRM ends it, and
 * that drsnoop waits for an answer: parsing the largest library takes
 * well under a second, even under emulation.
 */
#define CHILD_ALARM_S 10
#define ANSWER_WAIT_S 15

enum { SYM_LOAD, SYM_NAME };

struct sym_req {
	uint32_t op;
	int32_t handle;
	uint64_t a, b; /* SYM_LOAD: size; SYM_NAME: off, lookup_off */
};

struct sym_answer {
	int32_t err; /* SYM_LOAD: the handle, or -errno */
	char name[256];
};

/* drsnoop's end of the socket, -1 when there is none (or no longer). */
static int sym_sock = -1;
static bool started;

static const int child_calls[] = {
	SCMP_SYS(read),
	SCMP_SYS(pread64),
	SCMP_SYS(close),
	SCMP_SYS(brk),
	SCMP_SYS(munmap),
	SCMP_SYS(mremap),
	SCMP_SYS(madvise),
	SCMP_SYS(alarm),
	/* alarm() itself where there is no such call (arm64). */
	SCMP_SYS(setitimer),
	SCMP_SYS(rt_sigreturn),
	SCMP_SYS(exit),
	SCMP_SYS(exit_group),
	/* glibc's qsort() sizes its buffer by the memory there is. */
	SCMP_SYS(sysinfo),
	/* The sanitizers' exit (make test builds drsnoop with them). */
	SCMP_SYS(sigaltstack),
	/*
	 * The vDSO's clock_gettime() is this system call where the clock
	 * source cannot be read in user space (a qemu guest's, here): the
	 * sanitizers' allocator reads the clock.
	 */
	SCMP_SYS(clock_gettime),
};

/* Mapping and reading what it was sent, answering on its socket, exit. */
static int child_filter(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	char why[128];
	int err;

	if (!ctx)
		return -1;
	err = seccomp_allow_all(ctx, child_calls, ARRAY_SIZE(child_calls));
	if (!err)
		err = seccomp_rule_add(
			ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
			SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	if (!err)
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(recvmsg),
				       1, SCMP_A0(SCMP_CMP_EQ, CHILD_SOCK));
	if (!err)
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(write), 1,
				       SCMP_A0(SCMP_CMP_EQ, CHILD_SOCK));
	return seccomp_finish(ctx, err, why, sizeof(why));
}

static void child_answer(const struct symbolizer_ops *ops,
			 const struct sym_req *r, int fd, struct sym_answer *a)
{
	memset(a, 0, sizeof(*a));
	if (r->op == SYM_LOAD && fd >= 0)
		a->err = ops->load(fd, r->a);
	else if (r->op == SYM_NAME)
		a->err = ops->name(r->handle, r->a, r->b, a->name,
				   sizeof(a->name));
	else
		a->err = -EINVAL;
	if (fd >= 0)
		close(fd);
}

static void child_serve(const struct symbolizer_ops *ops, int sock)
{
	struct sym_answer a;
	struct sym_req r;
	char why[256];
	int fd;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (dup2(sock, CHILD_SOCK) < 0 || close_range(0, 2, 0) ||
	    close_range(CHILD_SOCK + 1, ~0U, 0) ||
	    privs_leave_root(true, why, sizeof(why)) < 0 ||
	    privs_drop(0, why, sizeof(why)) || child_filter())
		_exit(1);
	while (socket_child_recv(CHILD_SOCK, &r, sizeof(r), &fd) == sizeof(r)) {
		alarm(CHILD_ALARM_S);
		child_answer(ops, &r, fd, &a);
		alarm(0);
		if (write(CHILD_SOCK, &a, sizeof(a)) != sizeof(a))
			break;
	}
	_exit(0);
}

int symbolizer_start(const struct symbolizer_ops *ops, char *why,
		     size_t why_len)
{
	struct timeval wait = { .tv_sec = ANSWER_WAIT_S };
	int sock;
	pid_t pid = socket_child_fork(&sock);

	if (pid == 0)
		child_serve(ops, sock);
	if (pid < 0 ||
	    setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof(wait))) {
		snprintf(why, why_len, "cannot start the symbolizer: %s",
			 strerror(errno));
		if (pid > 0)
			close(sock);
		return -1;
	}
	sym_sock = sock;
	started = true;
	return 0;
}

bool symbolizer_started(void)
{
	return started;
}

int symbolizer_socket(void)
{
	return sym_sock;
}

/* Once, and for good: names are all it costs. */
static void give_up(const char *what)
{
	fprintf(stderr,
		"drsnoop: warning: the symbolizer %s; user frames are left "
		"unnamed from now on\n",
		what);
	close(sym_sock);
	sym_sock = -1;
}

/* Request r, with descriptor fd unless it is -1; the answer into a. */
static int ask(const struct sym_req *r, int fd, struct sym_answer *a)
{
	ssize_t n;

	if (sym_sock < 0)
		return -EIO;
	if (socket_child_send(sym_sock, r, sizeof(*r), fd) != sizeof(*r)) {
		give_up("has ended");
		return -EIO;
	}
	n = read(sym_sock, a, sizeof(*a));
	if (n != sizeof(*a)) {
		give_up(n < 0 && errno == EAGAIN ? "did not answer in time" :
						   "has ended");
		return -EIO;
	}
	return a->err;
}

int symbolizer_load(int fd, uint64_t size)
{
	struct sym_req r = { .op = SYM_LOAD, .a = size };
	struct sym_answer a;

	return ask(&r, fd, &a);
}

int symbolizer_name(int handle, uint64_t off, uint64_t lookup_off, char *buf,
		    size_t len)
{
	struct sym_req r = {
		.op = SYM_NAME, .handle = handle, .a = off, .b = lookup_off
	};
	struct sym_answer a;
	int err = ask(&r, -1, &a);
	char *c;

	if (err)
		return err;
	a.name[sizeof(a.name) - 1] = '\0';
	/* The child's words: no line or escape of its own in our output. */
	for (c = a.name; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	snprintf(buf, len, "%s", a.name);
	return 0;
}
