/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_LOCKDOWN_H
#define DRSNOOP_LOCKDOWN_H

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

#endif /* DRSNOOP_LOCKDOWN_H */
