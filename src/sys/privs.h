/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_PRIVS_H
#define DRSNOOP_PRIVS_H

#include <stddef.h>
#include <stdint.h>

/* A capability as a bit of a dr_backend's keep_caps. */
#define PRIVS_CAP(cap) (1ULL << (cap))

/*
 * Keep no capability but those in keep (and of those, only what the
 * process has): empty the bounding set of the rest where that is allowed
 * (CAP_SETPCAP), clear the ambient set, keep nothing inheritable, and set
 * no_new_privs, so that no execve() can give any back. Returns 0, or -1
 * with a one-line reason in why.
 */
int privs_drop(uint64_t keep, char *why, size_t why_len);

#endif /* DRSNOOP_PRIVS_H */
