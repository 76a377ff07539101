/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_PRIVS_H
#define DRSNOOP_PRIVS_H

#include <stdbool.h>
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

/* Debian's nobody and nogroup. */
#define PRIVS_NOBODY 65534

/*
 * Give up what uid 0 means beyond capabilities, where this process may
 * (CAP_SETPCAP; returns 0 without it): lock the securebits so that
 * neither execve(2) nor a change of uid ever gives capabilities back
 * (SECBIT_NOROOT, SECBIT_NO_SETUID_FIXUP, no ambient raise, all locked);
 * then, with to_nobody and CAP_SETUID, take the uid, gid and no
 * groups of PRIVS_NOBODY, so that root's files are no longer its own.
 * Returns 1 when the securebits are locked (2 when the uid changed too),
 * 0 when not allowed, -1 with a one-line reason in why.
 */
int privs_leave_root(bool to_nobody, char *why, size_t why_len);

#endif /* DRSNOOP_PRIVS_H */
