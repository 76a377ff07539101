/* SPDX-License-Identifier: GPL-2.0 */
/* What the output modes share (output_shared.c). */
#ifndef DRSNOOP_OUTPUT_SHARED_H
#define DRSNOOP_OUTPUT_SHARED_H

#include "output.h"

/* After each line; returns 0 or -errno if the stream failed. */
int output_finish_line(struct dr_output *out);
/* The event's cgroup path, or NULL if not known. */
const char *output_cgroup_of(struct dr_output *out, const struct dr_event *e);

/* Room for output_reason()'s text. */
#define OUTPUT_REASON_LEN 64

/* Whether REASON (text) and "reason" (JSON) are printed. */
static inline bool output_shows_reason(const struct dr_options *o)
{
	return o->throttle || o->compaction;
}

/*
 * REASON: a throttle's reason bits, or a compaction attempt's result, as
 * the kernel names them; NULL for the kinds that have none.
 */
const char *output_reason(const struct dr_event *e, char *buf, size_t len);

/*
 * Count a stall in -s's summary (out->summary), and in --folded's table
 * of stacks (out->folded): -s and --folded do, and --report and
 * --flamegraph when they are not asked for. Return 0 or -ENOMEM.
 */
int output_summary_add(struct dr_output *out, const struct dr_event *e);
int output_fold_add(struct dr_output *out, const struct dr_event *e);

/* Whether PAGES holds pages reclaimed: a throttle and a compaction reclaim
 * none. */
static inline bool output_has_pages(const struct dr_event *e)
{
	return e->kind != DR_KIND_THROTTLE && e->kind != DR_KIND_COMPACT;
}

#endif /* DRSNOOP_OUTPUT_SHARED_H */
