/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_PSI_H
#define DRSNOOP_PSI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PSI_MEMORY  "/proc/pressure/memory"
#define PSI_WHY_LEN 256

/* A pressure file's "total=" fields: stall time since boot, in usecs. */
struct psi_totals {
	uint64_t some_us;
	uint64_t full_us;
	bool has_full; /* a "full" line was there */
};

/*
 * Read a pressure file (/proc/pressure/memory, a cgroup's
 * memory.pressure): its "some" line, and its "full" line where there is
 * one. Returns 0, -errno when it cannot be read, or -EINVAL when it has
 * no "some" line or a "some" or "full" line without a total.
 */
int psi_read(const char *path, struct psi_totals *t);

/* Why path could not be read (psi_read()'s err), for a reader. */
void psi_why(int err, const char *path, char *why, size_t len);

/*
 * PSI over a capture window: read where it opens and where it closes.
 * A failed read ends the window's PSI: why says so, once.
 */
struct psi_window {
	struct psi_totals start;
	struct psi_totals end;
	bool read; /* opened: live tracing, not a recording */
	int err; /* 0, or the first failed read's */
	char why[PSI_WHY_LEN]; /* with err */
};

void psi_window_open(struct psi_window *w, const char *path);
void psi_window_close(struct psi_window *w, const char *path);

/* The next window opens where this one closed. */
void psi_window_next(struct psi_window *w);

/* The window's rises, 0 each if it has none; full only with both ends'. */
uint64_t psi_window_some_us(const struct psi_window *w);
bool psi_window_has_full(const struct psi_window *w);
uint64_t psi_window_full_us(const struct psi_window *w);

#endif /* DRSNOOP_PSI_H */
