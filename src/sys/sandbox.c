// SPDX-License-Identifier: GPL-2.0
/*
 * The seccomp filter of -i, built with libseccomp. What a recording's
 * reader does once its file is open: read and seek it (libtracecmd also
 * dup()s it, reads /proc/self/exe's name, and sizes its decompression
 * buffers with sysinfo()), allocate memory that is never executable, and
 * write lines to stdout and stderr; and fork children that parse the
 * riskiest parts under the same filter (tracelibs_contain_crashes()
 * sets their signal handlers, an alarm() bounds them).
 */
#define _GNU_SOURCE /* AT_EMPTY_PATH */
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ioctl.h>
#include <seccomp.h>
#include "privs.h"
#include "sandbox.h"
#include "src/lib/util.h"

static const int allowed[] = {
	SCMP_SYS(read),
	SCMP_SYS(readv),
	SCMP_SYS(pread64),
	SCMP_SYS(write),
	SCMP_SYS(writev),
	SCMP_SYS(lseek),
	SCMP_SYS(close),
	SCMP_SYS(dup),
	SCMP_SYS(fstat),
	SCMP_SYS(brk),
	SCMP_SYS(munmap),
	SCMP_SYS(mremap),
	SCMP_SYS(madvise),
	SCMP_SYS(futex),
	SCMP_SYS(getpid),
	SCMP_SYS(gettid),
	SCMP_SYS(getrandom),
	SCMP_SYS(sysinfo),
	SCMP_SYS(clock_gettime),
	SCMP_SYS(rt_sigreturn),
	SCMP_SYS(rt_sigprocmask),
	SCMP_SYS(restart_syscall),
	SCMP_SYS(exit),
	SCMP_SYS(exit_group),
	SCMP_SYS(rt_sigaction),
	SCMP_SYS(alarm),
	SCMP_SYS(set_robust_list),
	SCMP_SYS(uname),
};

/* glibc's fork(): a process, not a thread. */
#define FORK_FLAGS (CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | SIGCHLD)

/* Refused without dying: libtracecmd gets on without the answer. */
static const int refused[] = {
	SCMP_SYS(readlink),
	SCMP_SYS(readlinkat),
};

static int add_rules(scmp_filter_ctx ctx, pid_t child)
{
	int err = 0;
	size_t i;

	for (i = 0; !err && i < ARRAY_SIZE(allowed); i++)
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allowed[i], 0);
	for (i = 0; !err && i < ARRAY_SIZE(refused); i++)
		err = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), refused[i],
				       0);
	/* Memory, never executable. */
	if (!err)
		err = seccomp_rule_add(
			ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
			SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	if (!err)
		err = seccomp_rule_add(
			ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
			SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	/* stdio's first write: fstat() of the stream, isatty(). */
	if (!err)
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW,
				       SCMP_SYS(newfstatat), 1,
				       SCMP_A3(SCMP_CMP_EQ, AT_EMPTY_PATH));
	if (!err)
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
				       SCMP_A1(SCMP_CMP_EQ, TCGETS));
	/* The sanitizers' exit (make test builds drsnoop with them). */
	if (!err)
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1,
				       SCMP_A0(SCMP_CMP_EQ, PR_GET_DUMPABLE));
	if (!err)
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW,
				       SCMP_SYS(sigaltstack), 0);
	/*
	 * fork(), no thread: a reader parses the riskiest parts in a child
	 * (perfdata_gfp.c), which inherits this filter, and waits for it.
	 */
	if (!err)
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
				       SCMP_A0(SCMP_CMP_EQ, FORK_FLAGS));
	if (!err)
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(wait4), 0);
	if (!err && child > 0)
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(kill), 2,
				       SCMP_A0(SCMP_CMP_EQ, child),
				       SCMP_A1(SCMP_CMP_EQ, SIGKILL));
	return err;
}

int sandbox_enter(pid_t child, char *why, size_t why_len)
{
	static bool entered;
	scmp_filter_ctx ctx;
	int err;

	if (entered)
		return 0;
	if (privs_drop(0, why, why_len))
		return -1;
	ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	if (!ctx) {
		snprintf(why, why_len, "cannot set up seccomp: %s",
			 strerror(ENOMEM));
		return -1;
	}
	err = add_rules(ctx, child);
	if (!err)
		err = seccomp_load(ctx);
	seccomp_release(ctx);
	if (err) {
		snprintf(why, why_len, "cannot load the seccomp filter: %s",
			 strerror(-err));
		return -1;
	}
	entered = true;
	return 0;
}
