/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who owns what drsnoop makes in tracefs (its instance, its probe group),
 * which every PID namespace on the host shares. The name says who made
 * it, its PID namespace's inode and its pid there, so that two drsnoops
 * with the same pid in two containers never take the same one. Whether
 * its owner lives is a lock, not a pid: the owner holds an flock(2) on
 * its instance's directory for as long as it runs, which the kernel
 * drops when it dies, and which any namespace can test, since tracefs
 * has one superblock. Every drsnoop removes the stale and claims its
 * own while holding the lock of the instances directory itself.
 */
#ifndef DRSNOOP_FTRACE_OWNER_H
#define DRSNOOP_FTRACE_OWNER_H

#include <stdbool.h>
#include <stddef.h>

/* drsnoop-<pidns>-<pid>: instances; drsnoop_<pidns>_<pid>: probe groups. */
#define FTRACE_INSTANCE_PREFIX "drsnoop-"
#define FTRACE_PROBE_PREFIX    "drsnoop_"

/*
 * prefix, then our PID namespace's inode and our pid, separated by the
 * prefix's last character: "drsnoop-4026531836-812". 0, or -1 with errno.
 */
int ftrace_owner_name(char *buf, size_t len, const char *prefix);

/* Whether name is one that ftrace_owner_name() makes with prefix. */
bool ftrace_owner_named(const char *name, const char *prefix);

/*
 * If name is, the same owner's name with other_prefix in buf (a probe
 * group's instance).
 */
bool ftrace_owner_rename(const char *name, const char *prefix,
			 const char *other_prefix, char *buf, size_t len);

/*
 * Hold the owner's lock of the directory name in dir_fd: its fd, or -1
 * (errno EWOULDBLOCK: its owner lives and holds it).
 */
int ftrace_owner_hold(int dir_fd, const char *name);

#endif
