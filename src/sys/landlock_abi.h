/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_LANDLOCK_ABI_H
#define DRSNOOP_LANDLOCK_ABI_H

/*
 * The Landlock ABI up to 7 (Linux 6.15), where the distribution's
 * <linux/landlock.h> is older (Debian 12's has ABI 2): the rights and
 * the ruleset attribute of later kernels, which landlock.c offers only
 * to a kernel that reports the ABI that has them.
 */
#include <linux/landlock.h>

#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)
#endif
#ifndef LANDLOCK_ACCESS_NET_BIND_TCP
#define LANDLOCK_ACCESS_NET_BIND_TCP (1ULL << 0)
#endif
#ifndef LANDLOCK_ACCESS_NET_CONNECT_TCP
#define LANDLOCK_ACCESS_NET_CONNECT_TCP (1ULL << 1)
#endif
#ifndef LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET
#define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#endif
#ifndef LANDLOCK_SCOPE_SIGNAL
#define LANDLOCK_SCOPE_SIGNAL (1ULL << 1)
#endif

/* struct landlock_ruleset_attr of ABI 6; older kernels take a prefix. */
struct landlock_attr_v6 {
	__u64 handled_access_fs;
	__u64 handled_access_net;
	__u64 scoped;
};

#endif /* DRSNOOP_LANDLOCK_ABI_H */
