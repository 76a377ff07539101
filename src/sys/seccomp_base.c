// SPDX-License-Identifier: GPL-2.0
/*
 * The part that drsnoop's seccomp filters share: that of -i's reader
 * (sandbox.c) and that of the attached poll loop (loop_filter.c).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "seccomp_base.h"
#include "src/lib/util.h"

static const int base[] = {
	SCMP_SYS(read),
	SCMP_SYS(readv),
	SCMP_SYS(pread64),
	SCMP_SYS(write),
	SCMP_SYS(writev),
	SCMP_SYS(lseek),
	SCMP_SYS(close),
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
	SCMP_SYS(uname),
	SCMP_SYS(clock_gettime),
	SCMP_SYS(rt_sigreturn),
	SCMP_SYS(rt_sigprocmask),
	SCMP_SYS(rt_sigaction),
	SCMP_SYS(restart_syscall),
	SCMP_SYS(sigaltstack),
	SCMP_SYS(exit),
	SCMP_SYS(exit_group),
};

int seccomp_allow_all(scmp_filter_ctx ctx, const int *nrs, size_t n)
{
	int err = 0;
	size_t i;

	for (i = 0; !err && i < n; i++)
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nrs[i], 0);
	return err;
}

int seccomp_allow_base(scmp_filter_ctx ctx)
{
	int err = seccomp_allow_all(ctx, base, ARRAY_SIZE(base));

	if (!err)
		err = seccomp_rule_add(
			ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
			SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	if (!err)
		err = seccomp_rule_add(
			ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
			SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	if (!err)
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
				       SCMP_A1(SCMP_CMP_EQ, TCGETS));
	/* The sanitizers' exit (make test builds drsnoop with them). */
	if (!err)
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1,
				       SCMP_A0(SCMP_CMP_EQ, PR_GET_DUMPABLE));
	return err;
}

int seccomp_refuse_path_stat(scmp_filter_ctx ctx)
{
	return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES),
				SCMP_SYS(newfstatat), 0);
}

/* On 64-bit Linux, glibc's struct stat is the kernel's. */
int seccomp_fstat(int fd, struct stat *st)
{
	return syscall(SYS_fstat, fd, st);
}

int seccomp_finish(scmp_filter_ctx ctx, int err, char *why, size_t why_len)
{
	if (!err)
		err = seccomp_load(ctx);
	seccomp_release(ctx);
	if (!err)
		return 0;
	snprintf(why, why_len, "cannot load the seccomp filter: %s",
		 strerror(-err));
	return -1;
}
