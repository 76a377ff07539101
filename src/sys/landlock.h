/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_LANDLOCK_H
#define DRSNOOP_LANDLOCK_H

#include <stddef.h>
#include "confine.h"

/* A ruleset being built: its fd, and the kernel's Landlock ABI. */
struct landlock_ruleset {
	int fd;
	int abi;
};

/*
 * The kernel's Landlock ABI version, or -errno: -ENOSYS before Linux
 * 5.13, -EOPNOTSUPP where Landlock is built but not enabled at boot.
 */
int landlock_abi(void);

/*
 * A ruleset that handles every write, creation, removal, execution (and
 * with ABI 4, TCP; with ABI 6, signals and abstract sockets out of the
 * domain), allowing only what paths say; reads stay unrestricted. The
 * paths are opened now, while drsnoop may still reach them. r->fd is -1
 * where the kernel has no Landlock (r->abi the -errno). Returns 0, or -1
 * with a one-line reason in why.
 */
int landlock_prepare(struct landlock_ruleset *r,
		     const struct confine_path *paths, size_t n, char *why,
		     size_t why_len);

/* Enforce r on this process (no_new_privs set first). */
int landlock_restrict(struct landlock_ruleset *r, char *why, size_t why_len);

void landlock_free(struct landlock_ruleset *r);

#endif /* DRSNOOP_LANDLOCK_H */
