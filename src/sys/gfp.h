/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_GFP_H
#define DRSNOOP_GFP_H

#include <stddef.h>
#include <stdint.h>

struct tep_event;

/*
 * The gfp flag names of a kernel, as the begin tracepoint's own print fmt
 * lists them (its __print_flags() table): the bits differ across kernel
 * versions, so they are read from the kernel or the recording at hand,
 * never written down here. Formatting follows libtraceevent's: the first
 * entry whose mask is wholly set wins and its bits are cleared, leftover
 * bits print as hex, "|" between, and a zero mask prints as "none".
 */
struct gfp_flag {
	uint64_t mask;
	char *name;
};

struct gfp_names {
	struct gfp_flag *flags;
	size_t nr;
	char *delim; /* NULL: "|" */
};

/* Add one name; the table keeps a copy. Returns 0 or -ENOMEM. */
int gfp_names_add(struct gfp_names *g, uint64_t mask, const char *name);

/*
 * The table of ev's __print_flags() on its gfp_flags field. Returns 0, or
 * -ENOENT when the print fmt has none.
 */
int gfp_names_from_event(struct gfp_names *g, struct tep_event *ev);

/*
 * From tracefs: vmscan:mm_vmscan_direct_reclaim_begin's format, parsed
 * with libtraceevent, which this loads. Returns 0, or -1 with a one-line
 * reason in why.
 */
int gfp_names_from_tracefs(struct gfp_names *g, char *why, size_t why_len);

/* A deep copy of src into dst (empty before). Returns 0 or -ENOMEM. */
int gfp_names_copy(struct gfp_names *dst, const struct gfp_names *src);

void gfp_names_free(struct gfp_names *g);

/*
 * Write the names of flags into buf, as the tracepoint prints them; with
 * no table (g->nr == 0), the hex value. Returns buf.
 */
const char *gfp_format(const struct gfp_names *g, uint64_t flags, char *buf,
		       size_t len);

#endif /* DRSNOOP_GFP_H */
