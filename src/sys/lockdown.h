/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_LOCKDOWN_H
#define DRSNOOP_LOCKDOWN_H

#include <stddef.h>

/*
 * The kernel's lockdown level (security/lockdown): at confidentiality the
 * kernel disables tracefs, which leaves the ftrace backend nothing to read,
 * while BPF programs that read no kernel memory still load.
 */
enum lockdown_level {
	LOCKDOWN_UNKNOWN = -1, /* no lockdown LSM, no securityfs, unreadable */
	LOCKDOWN_NONE,
	LOCKDOWN_INTEGRITY,
	LOCKDOWN_CONFIDENTIALITY,
};

#define LOCKDOWN_DIR "/sys/kernel/security"

/* The level the file's text brackets: "none integrity [confidentiality]". */
int lockdown_parse(const char *text);

/* The level in DIR/lockdown, DIR being where securityfs is mounted. */
int lockdown_read(const char *dir);

/*
 * The running kernel's level, from LOCKDOWN_DIR/lockdown. Where securityfs
 * is not mounted there, it is mounted for the read and unmounted after.
 */
int lockdown_level(void);

/* What lockdown=confidentiality takes from a backend. */
enum lockdown_loss {
	LOCKDOWN_LOSES_TRACEFS, /* it mounts, but is empty */
	LOCKDOWN_LOSES_KERNEL_READS, /* BPF programs may not read the kernel */
};

/*
 * At level LOCKDOWN_CONFIDENTIALITY, why becomes the one-line reason for
 * a failure that loss explains (need: what needed the kernel reads, for
 * LOCKDOWN_LOSES_KERNEL_READS); at any other level why is left as it is.
 */
void lockdown_explain(int level, enum lockdown_loss loss, const char *need,
		      char *why, size_t len);

/*
 * lockdown_explain() at the running kernel's level. Called only once
 * something failed: reading the level may mount securityfs.
 */
void lockdown_blame(enum lockdown_loss loss, const char *need, char *why,
		    size_t len);

#endif /* DRSNOOP_LOCKDOWN_H */
