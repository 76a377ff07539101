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
#define _GNU_SOURCE /* CLONE_CHILD_* */
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <seccomp.h>
#include "privs.h"
#include "sandbox.h"
#include "seccomp_base.h"
#include "src/lib/util.h"

/* Beside seccomp_allow_base(). */
static const int allowed[] = {
	SCMP_SYS(dup),
	SCMP_SYS(alarm),
	/* alarm() itself where there is no such call (arm64). */
	SCMP_SYS(setitimer),
	SCMP_SYS(set_robust_list),
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
	int err = seccomp_allow_base(ctx);
	size_t i;

	if (!err)
		err = seccomp_allow_all(ctx, allowed, ARRAY_SIZE(allowed));
	for (i = 0; !err && i < ARRAY_SIZE(refused); i++)
		err = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), refused[i],
				       0);
	if (!err)
		err = seccomp_refuse_path_stat(ctx);
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
	if (seccomp_finish(ctx, err, why, why_len))
		return -1;
	entered = true;
	return 0;
}
