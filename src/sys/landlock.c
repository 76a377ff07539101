// SPDX-License-Identifier: GPL-2.0
/*
 * Landlock, the unprivileged sandbox of Linux 5.13 and later, through its
 * three system calls (Debian 12's glibc has no wrappers). drsnoop handles
 * every access right its kernel knows except reading files and
 * directories: once attached it still reads /proc, tracefs, cgroups and
 * the ELF files of whatever stalls, and writes only where its plan says.
 * Rights of a later ABI than the kernel's are left out, as the kernel
 * would refuse the whole ruleset for them.
 */
#define _GNU_SOURCE /* O_PATH */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "landlock.h"
#include "landlock_abi.h"

#define FS_READS (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
/* ABI 1's thirteen rights, execute to make_sym. */
#define FS_ABI1	 ((LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1)
#define FS_WRITE (LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_TRUNCATE)

static const __u64 rights_of[] = {
	[CONFINE_WRITE] = FS_WRITE,
	[CONFINE_FILES] = FS_WRITE | LANDLOCK_ACCESS_FS_MAKE_REG |
			  LANDLOCK_ACCESS_FS_REMOVE_FILE,
	[CONFINE_RMDIRS] = LANDLOCK_ACCESS_FS_REMOVE_DIR,
};

int landlock_abi(void)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
			   LANDLOCK_CREATE_RULESET_VERSION);

	return abi < 0 ? -errno : (int)abi;
}

static __u64 handled_fs(int abi)
{
	__u64 fs = FS_ABI1;

	if (abi >= 2)
		fs |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		fs |= LANDLOCK_ACCESS_FS_TRUNCATE;
	if (abi >= 5)
		fs |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
	return fs & ~(__u64)FS_READS;
}

/* The attribute and its size for this ABI: each adds a field. */
static size_t ruleset_attr(int abi, struct landlock_attr_v6 *a)
{
	*a = (struct landlock_attr_v6){ .handled_access_fs = handled_fs(abi) };
	if (abi < 4)
		return sizeof(a->handled_access_fs);
	a->handled_access_net =
		LANDLOCK_ACCESS_NET_BIND_TCP | LANDLOCK_ACCESS_NET_CONNECT_TCP;
	if (abi < 6)
		return offsetof(struct landlock_attr_v6, scoped);
	a->scoped = LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET | LANDLOCK_SCOPE_SIGNAL;
	return sizeof(*a);
}

static int add_path(struct landlock_ruleset *r, const struct confine_path *p,
		    char *why, size_t why_len)
{
	struct landlock_path_beneath_attr pb = {
		.allowed_access = rights_of[p->access] & handled_fs(r->abi),
	};
	int err = 0;

	pb.parent_fd = open(p->path, O_PATH | O_CLOEXEC);
	if (pb.parent_fd < 0 || syscall(SYS_landlock_add_rule, r->fd,
					LANDLOCK_RULE_PATH_BENEATH, &pb, 0)) {
		snprintf(why, why_len, "cannot allow writes to '%s': %s",
			 p->path, strerror(errno));
		err = -1;
	}
	if (pb.parent_fd >= 0)
		close(pb.parent_fd);
	return err;
}

int landlock_prepare(struct landlock_ruleset *r,
		     const struct confine_path *paths, size_t n, char *why,
		     size_t why_len)
{
	struct landlock_attr_v6 attr;
	size_t size, i;

	r->fd = -1;
	r->abi = landlock_abi();
	if (r->abi < 0)
		return 0;
	size = ruleset_attr(r->abi, &attr);
	r->fd = syscall(SYS_landlock_create_ruleset, &attr, size, 0);
	if (r->fd < 0) {
		snprintf(why, why_len, "cannot create a Landlock ruleset: %s",
			 strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++)
		if (add_path(r, &paths[i], why, why_len)) {
			close(r->fd);
			r->fd = -1;
			return -1;
		}
	return 0;
}

int landlock_restrict(struct landlock_ruleset *r, char *why, size_t why_len)
{
	int err = 0;

	if (r->fd < 0)
		return 0;
	if (syscall(SYS_landlock_restrict_self, r->fd, 0)) {
		snprintf(why, why_len,
			 "cannot enforce the Landlock ruleset: %s",
			 strerror(errno));
		err = -1;
	}
	return err;
}

void landlock_free(struct landlock_ruleset *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}
