// SPDX-License-Identifier: GPL-2.0
/*
 * Dropping capabilities once drsnoop is attached, with capget/capset(2)
 * directly: two 32-bit words of each set (_LINUX_CAPABILITY_VERSION_3),
 * which is all libcap would do here; and leaving root's identity.
 */
#define _GNU_SOURCE /* setresuid() */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include "privs.h"

struct cap_sets {
	uint64_t effective;
	uint64_t permitted;
	uint64_t inheritable;
};

static int caps_get(struct cap_sets *s)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	s->effective = d[0].effective | (uint64_t)d[1].effective << 32;
	s->permitted = d[0].permitted | (uint64_t)d[1].permitted << 32;
	s->inheritable = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
	return 0;
}

static int caps_read(struct cap_sets *s, char *why, size_t why_len)
{
	if (!caps_get(s))
		return 0;
	snprintf(why, why_len, "cannot read capabilities: %s", strerror(errno));
	return -1;
}

static int caps_set(const struct cap_sets *s)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = {
		{ (uint32_t)s->effective, (uint32_t)s->permitted,
		  (uint32_t)s->inheritable },
		{ s->effective >> 32, s->permitted >> 32,
		  s->inheritable >> 32 },
	};

	return syscall(SYS_capset, &h, d);
}

/* Every capability this kernel knows, but keep, out of the bounding set. */
static int drop_bounding(uint64_t keep)
{
	int cap, in;

	for (cap = 0; cap < 64 && (in = prctl(PR_CAPBSET_READ, cap)) >= 0;
	     cap++)
		if (in && !(keep & PRIVS_CAP(cap)) &&
		    prctl(PR_CAPBSET_DROP, cap))
			return -1;
	return 0;
}

int privs_drop(uint64_t keep, char *why, size_t why_len)
{
	struct cap_sets s;

	if (caps_read(&s, why, why_len))
		return -1;
	keep &= s.permitted;
	if ((s.effective & PRIVS_CAP(CAP_SETPCAP)) && drop_bounding(keep)) {
		snprintf(why, why_len, "cannot drop the bounding set: %s",
			 strerror(errno));
		return -1;
	}
	/* EINVAL: a kernel older than 4.3, which has no ambient set. */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) &&
	    errno != EINVAL) {
		snprintf(why, why_len, "cannot clear ambient capabilities: %s",
			 strerror(errno));
		return -1;
	}
	s = (struct cap_sets){ .effective = keep, .permitted = keep };
	if (caps_set(&s) || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		snprintf(why, why_len, "cannot drop capabilities: %s",
			 strerror(errno));
		return -1;
	}
	return 0;
}

#define LOCKED_SECUREBITS                                                      \
	(SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP |       \
	 SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED |             \
	 SECBIT_NO_CAP_AMBIENT_RAISE | SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED)

/* NO_SETUID_FIXUP keeps the capabilities across it: privs_drop() cuts. */
static int become_nobody(char *why, size_t why_len)
{
	if (setgroups(0, NULL) ||
	    setresgid(PRIVS_NOBODY, PRIVS_NOBODY, PRIVS_NOBODY) ||
	    setresuid(PRIVS_NOBODY, PRIVS_NOBODY, PRIVS_NOBODY)) {
		snprintf(why, why_len, "cannot take the uid %d: %s",
			 PRIVS_NOBODY, strerror(errno));
		return -1;
	}
	return 0;
}

int privs_leave_root(bool to_nobody, char *why, size_t why_len)
{
	struct cap_sets s;

	if (caps_read(&s, why, why_len))
		return -1;
	if (!(s.effective & PRIVS_CAP(CAP_SETPCAP)))
		return 0;
	if (prctl(PR_SET_SECUREBITS, LOCKED_SECUREBITS, 0, 0, 0)) {
		snprintf(why, why_len, "cannot lock the securebits: %s",
			 strerror(errno));
		return -1;
	}
	if (!to_nobody || !(s.effective & PRIVS_CAP(CAP_SETUID)) ||
	    !(s.effective & PRIVS_CAP(CAP_SETGID)))
		return 1;
	return become_nobody(why, why_len) ? -1 : 2;
}
