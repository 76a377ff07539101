/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_SECCOMP_BASE_H
#define DRSNOOP_SECCOMP_BASE_H

#include <seccomp.h>
#include <stddef.h>
#include <sys/stat.h>

/* Allow each of the n system calls nrs, whatever their arguments. */
int seccomp_allow_all(scmp_filter_ctx ctx, const int *nrs, size_t n);

/*
 * What every filter of drsnoop's allows: reading, writing and seeking
 * open files, memory that is never executable, futexes, the time, signal
 * handling, stdio's isatty(), the sanitizers' dumpable check, and exit.
 * Returns 0 or a libseccomp -errno.
 */
int seccomp_allow_base(scmp_filter_ctx ctx);

/*
 * Refuse newfstatat (EACCES), whose path a filter cannot see: glibc's
 * fstat() is newfstatat(fd, "", AT_EMPTY_PATH), and with AT_EMPTY_PATH a
 * path that is not empty is still looked up. stdio's fstat() of a stream
 * then fails, and it takes the default buffer size. Returns 0 or a
 * libseccomp -errno.
 */
int seccomp_refuse_path_stat(scmp_filter_ctx ctx);

/* fstat(2) through the kernel's fstat, which takes no path: 0 or -1. */
int seccomp_fstat(int fd, struct stat *st);

/*
 * Load ctx's filter unless err (a libseccomp -errno from building it)
 * already says it failed, and release ctx. Returns 0, or -1 with a
 * one-line reason in why.
 */
int seccomp_finish(scmp_filter_ctx ctx, int err, char *why, size_t why_len);

#endif /* DRSNOOP_SECCOMP_BASE_H */
