// SPDX-License-Identifier: GPL-2.0
/* The kernel's lockdown level, as securityfs shows it; see lockdown.h. */
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/vfs.h>
#include <unistd.h>
#include "lockdown.h"
#include "src/lib/util.h"

#define SECURITYFS_MAGIC 0x73636673
#define CONFIDENTIALITY                                                        \
	"kernel lockdown ('" LOCKDOWN_DIR "/lockdown' is 'confidentiality')"

static const char *const names[] = {
	[LOCKDOWN_NONE] = "none",
	[LOCKDOWN_INTEGRITY] = "integrity",
	[LOCKDOWN_CONFIDENTIALITY] = "confidentiality",
};

int lockdown_parse(const char *text)
{
	const char *open = strchr(text, '['), *close;
	size_t i, len;

	close = open ? strchr(open, ']') : NULL;
	if (!close)
		return LOCKDOWN_UNKNOWN;
	len = close - open - 1;
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (strlen(names[i]) == len &&
		    !strncmp(open + 1, names[i], len))
			return i;
	return LOCKDOWN_UNKNOWN;
}

int lockdown_read(const char *dir)
{
	char path[PATH_MAX], text[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/lockdown", dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return LOCKDOWN_UNKNOWN;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return LOCKDOWN_UNKNOWN;
	text[n] = '\0';
	return lockdown_parse(text);
}

/* Mount securityfs where nothing is: false if it is there, or cannot be. */
static bool mount_securityfs(void)
{
	struct statfs sf;

	if (statfs(LOCKDOWN_DIR, &sf) || sf.f_type == SECURITYFS_MAGIC)
		return false;
	return !mount("securityfs", LOCKDOWN_DIR, "securityfs", 0, NULL);
}

int lockdown_level(void)
{
	bool mounted = false;
	int level = lockdown_read(LOCKDOWN_DIR);

	if (level == LOCKDOWN_UNKNOWN)
		mounted = mount_securityfs();
	if (mounted) {
		level = lockdown_read(LOCKDOWN_DIR);
		umount(LOCKDOWN_DIR);
	}
	return level;
}

void lockdown_explain(int level, enum lockdown_loss loss, const char *need,
		      char *why, size_t len)
{
	if (level != LOCKDOWN_CONFIDENTIALITY)
		return;
	if (loss == LOCKDOWN_LOSES_TRACEFS)
		snprintf(why, len, "tracefs is disabled by " CONFIDENTIALITY);
	else
		snprintf(why, len,
			 CONFIDENTIALITY " forbids BPF programs to read kernel "
					 "memory, which %s needs",
			 need);
}

void lockdown_blame(enum lockdown_loss loss, const char *need, char *why,
		    size_t len)
{
	lockdown_explain(lockdown_level(), loss, need, why, len);
}
