// SPDX-License-Identifier: GPL-2.0
/*
 * Pressure stall information: how long tasks stalled on memory, by the
 * kernel's own account (Documentation/accounting/psi.rst), to set beside
 * the stalls drsnoop saw.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "psi.h"

/* "avg10=0.00 avg60=0.00 avg300=0.00 total=N": N, or false. */
static bool parse_total(const char *fields, uint64_t *us)
{
	const char *total = strstr(fields, " total=");
	char *end;

	if (!total || total[7] < '0' || total[7] > '9')
		return false;
	errno = 0;
	*us = strtoull(total + 7, &end, 10);
	return !errno && (*end == '\n' || !*end);
}

/* One line: 0, 1 when it is neither "some" nor "full", or -EINVAL. */
static int parse_line(const char *line, struct psi_totals *t, bool *some)
{
	if (!strncmp(line, "some ", 5)) {
		*some = parse_total(line + 4, &t->some_us);
		return *some ? 0 : -EINVAL;
	}
	if (!strncmp(line, "full ", 5)) {
		t->has_full = parse_total(line + 4, &t->full_us);
		return t->has_full ? 0 : -EINVAL;
	}
	return 1;
}

int psi_read(const char *path, struct psi_totals *t)
{
	bool some = false;
	char line[256];
	int err = 0;
	FILE *f;

	*t = (struct psi_totals){ 0 };
	f = fopen(path, "re");
	if (!f)
		return -errno;
	errno = 0;
	while (err >= 0 && fgets(line, sizeof(line), f))
		err = parse_line(line, t, &some);
	/* psi=0 leaves cgroup v2's files in place; reading them fails. */
	if (err >= 0 && ferror(f))
		err = errno ? -errno : -EIO;
	fclose(f);
	if (err < 0)
		return err;
	return some ? 0 : -EINVAL;
}

void psi_why(int err, const char *path, char *why, size_t len)
{
	bool system = !strncmp(path, "/proc/", 6);

	if (err == -ENOENT)
		snprintf(why, len, "PSI is off: no '%s' (%s)", path,
			 system ? "psi=0, or a kernel without CONFIG_PSI" :
				  "a cgroup v1 hierarchy, or PSI off");
	else if (err == -EOPNOTSUPP)
		snprintf(why, len, "PSI is off: cannot read '%s' (psi=0)",
			 path);
	else if (err == -EINVAL)
		snprintf(why, len, "cannot parse '%s'", path);
	else
		snprintf(why, len, "cannot read '%s': %s", path,
			 strerror(-err));
}

static void window_read(struct psi_window *w, const char *path,
			struct psi_totals *t)
{
	if (w->err)
		return;
	w->err = psi_read(path, t);
	if (w->err)
		psi_why(w->err, path, w->why, sizeof(w->why));
}

void psi_window_open(struct psi_window *w, const char *path)
{
	w->read = true;
	window_read(w, path, &w->start);
}

void psi_window_close(struct psi_window *w, const char *path)
{
	window_read(w, path, &w->end);
}

void psi_window_next(struct psi_window *w)
{
	w->start = w->end;
}

/* A counter that went back (a cgroup made again) has no rise to show. */
static uint64_t rise(uint64_t start, uint64_t end)
{
	return end > start ? end - start : 0;
}

uint64_t psi_window_some_us(const struct psi_window *w)
{
	return w->err ? 0 : rise(w->start.some_us, w->end.some_us);
}

bool psi_window_has_full(const struct psi_window *w)
{
	return !w->err && w->start.has_full && w->end.has_full;
}

uint64_t psi_window_full_us(const struct psi_window *w)
{
	return psi_window_has_full(w) ? rise(w->start.full_us, w->end.full_us) :
					0;
}
