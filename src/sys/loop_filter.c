// SPDX-License-Identifier: GPL-2.0
/*
 * What drsnoop's poll loop, its outputs and its exit call once attached,
 * found by strace on each backend with -K, --user-stack, --memcg, -s,
 * --interval, --metrics and -j: reads of /proc, cgroups and tracefs,
 * epoll (ring and perf buffers) or poll (tracefs), BPF map lookups (lost
 * counts), stdio, the metrics file's mkstemp, fchmod and rename, and at
 * exit the perf events' disable and the tracefs instance's rmdir.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <seccomp.h>
#include "loop_filter.h"
#include "seccomp_base.h"
#include "symbolizer.h"
#include "src/lib/util.h"

/* Beside seccomp_allow_base(). */
static const int allowed[] = {
	SCMP_SYS(newfstatat), SCMP_SYS(statx),	     SCMP_SYS(getdents64),
	SCMP_SYS(fcntl),      SCMP_SYS(readlink),    SCMP_SYS(readlinkat),
	SCMP_SYS(getuid),     SCMP_SYS(geteuid),     SCMP_SYS(getgid),
	SCMP_SYS(getegid),    SCMP_SYS(nanosleep),   SCMP_SYS(clock_nanosleep),
	SCMP_SYS(epoll_wait), SCMP_SYS(epoll_pwait), SCMP_SYS(poll),
	SCMP_SYS(ppoll),      SCMP_SYS(sched_yield),
};

/* The metrics file's mkstemp()/fchmod()/rename(), the instance's rmdir. */
static const int file_writes[] = {
	SCMP_SYS(fchmod),    SCMP_SYS(rename), SCMP_SYS(renameat),
	SCMP_SYS(renameat2), SCMP_SYS(unlink), SCMP_SYS(unlinkat),
	SCMP_SYS(rmdir),
};

/* Each of these in open's flags writes, creates or truncates. */
static const int open_writes[] = { O_WRONLY, O_RDWR, O_CREAT, O_TRUNC,
				   O_APPEND };

/*
 * Opening to read always; to write, create or truncate only where the
 * plan writes (Landlock says where), else EACCES.
 */
static int add_open(scmp_filter_ctx ctx, const struct confine_plan *p)
{
	int err = 0, all = 0;
	size_t i;

	if (p->nr_paths) {
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(openat),
				       0);
		return err ? err :
			     seccomp_allow_all(ctx, file_writes,
					       ARRAY_SIZE(file_writes));
	}
	for (i = 0; i < ARRAY_SIZE(open_writes); i++)
		all |= open_writes[i];
	for (i = 0; !err && i < ARRAY_SIZE(open_writes); i++)
		err = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES),
				       SCMP_SYS(openat), 1,
				       SCMP_A2(SCMP_CMP_MASKED_EQ,
					       open_writes[i], open_writes[i]));
	if (!err)
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(openat), 1,
				       SCMP_A2(SCMP_CMP_MASKED_EQ, all, 0));
	return err;
}

/*
 * The BPF side's counters' lookups where they cannot be mapped; the perf
 * buffer's free deletes its entries.
 */
static const int bpf_cmds[] = { BPF_MAP_LOOKUP_ELEM, BPF_MAP_DELETE_ELEM };

/*
 * The perf events' disable at exit; the BPF maps; abort() and raise()
 * on ourselves; the /proc broker's answers; the symbolizer's requests.
 */
static int add_narrow(scmp_filter_ctx ctx, const struct confine_plan *p)
{
	size_t i;
	int err;

	err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
			       SCMP_A1(SCMP_CMP_EQ, PERF_EVENT_IOC_DISABLE));
	for (i = 0; !err && p->bpf_maps && i < ARRAY_SIZE(bpf_cmds); i++)
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(bpf), 1,
				       SCMP_A0(SCMP_CMP_EQ, bpf_cmds[i]));
	if (!err)
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1,
				       SCMP_A0(SCMP_CMP_EQ, getpid()));
	if (!err)
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(kill), 1,
				       SCMP_A0(SCMP_CMP_EQ, getpid()));
	if (!err && p->broker_caps)
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(recvmsg),
				       0);
	if (!err && symbolizer_socket() >= 0)
		err = seccomp_rule_add(
			ctx, SCMP_ACT_ALLOW, SCMP_SYS(sendmsg), 1,
			SCMP_A0(SCMP_CMP_EQ, symbolizer_socket()));
	return err;
}

/*
 * LeakSanitizer's check at exit, in the sanitizer build that the tests
 * run (the release build has no such symbol): a thread that ptraces the
 * process's other threads to stop them while it scans memory, making the
 * process dumpable for that while.
 */
static const int lsan_prctls[] = { PR_SET_PTRACER, PR_SET_PDEATHSIG,
				   PR_GET_DUMPABLE, PR_SET_DUMPABLE };

extern void __lsan_do_leak_check(void) __attribute__((weak));

#define LSAN_CLONE (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_UNTRACED)

static int add_leak_check(scmp_filter_ctx ctx)
{
	size_t i;
	int err;

	if (!__lsan_do_leak_check)
		return 0;
	err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
			       SCMP_A0(SCMP_CMP_EQ, LSAN_CLONE));
	if (!err)
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ptrace),
				       0);
	if (!err)
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(wait4), 0);
	if (!err)
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(getppid),
				       0);
	/* Its thread list, /proc/self/task, read with the legacy calls. */
	if (!err)
		err = seccomp_rule_add(
			ctx, SCMP_ACT_ALLOW, SCMP_SYS(open), 1,
			SCMP_A1(SCMP_CMP_MASKED_EQ, O_ACCMODE, O_RDONLY));
	if (!err)
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(getdents),
				       0);
	for (i = 0; !err && i < ARRAY_SIZE(lsan_prctls); i++)
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1,
				       SCMP_A0(SCMP_CMP_EQ, lsan_prctls[i]));
	return err;
}

int loop_filter_load(const struct confine_plan *p, char *why, size_t why_len)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	int err;

	if (!ctx) {
		snprintf(why, why_len, "cannot set up seccomp: %s",
			 strerror(ENOMEM));
		return -1;
	}
	err = seccomp_allow_base(ctx);
	if (!err)
		err = seccomp_allow_all(ctx, allowed, ARRAY_SIZE(allowed));
	if (!err)
		err = add_open(ctx, p);
	if (!err)
		err = add_narrow(ctx, p);
	if (!err)
		err = add_leak_check(ctx);
	return seccomp_finish(ctx, err, why, why_len);
}
