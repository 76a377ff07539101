/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_STALL_TRACKERS_H
#define DRSNOOP_STALL_TRACKERS_H

#include <stdbool.h>
#include <stdint.h>
#include "src/core/backend.h"
#include "src/lib/compact.h"
#include "src/lib/high.h"
#include "vmscan_fields.h"

/*
 * The stalls that are not one begin and one end, as the ftrace backend
 * and the recordings' replay both build them from decoded records: direct
 * compaction attempts (compact.h) and memory.high penalties (high.h). A
 * kind not wanted ignores its records. The caller pairs the reclaims and
 * tells these of each reclaim begin (which closes the task's attempt) and
 * memcg reclaim end (inside the task's memory.high call).
 */
struct stall_trackers {
	struct compact_tracker compact;
	struct high_tracker high;
	bool compaction; /* --compaction: feed compact */
	bool want_high; /* --high: feed high */
	uint64_t background_told; /* compact.background, as told the sink */
};

int trackers_init(struct stall_trackers *t, bool compaction, bool high);
void trackers_free(struct stall_trackers *t);

/*
 * A record at ts other than a reclaim end: a compaction try or zone
 * event, a memory.high entry or return, or a reclaim begin. True with a
 * finished stall in *e: at most one a record.
 */
bool trackers_record(struct stall_trackers *t, uint64_t ts,
		     const struct vmscan_rec *r, struct dr_event *e);

/* A reclaim that ended, paired: a memcg one counts in its task's call. */
void trackers_reclaim_end(struct stall_trackers *t, const struct dr_event *e);

/*
 * One attempt quiet since before now - COMPACT_QUIET_NS (every one left
 * when now is UINT64_MAX), finished into *e: true, or false when none.
 */
bool trackers_expire(struct stall_trackers *t, uint64_t now,
		     struct dr_event *e);

/* The background zone compactions not told the sink yet, to it. */
void trackers_tell_background(struct stall_trackers *t, struct dr_sink *sink);

/* A stack of the try of tid stamped begin_ts; as pairer_stack(). */
int trackers_stack(struct stall_trackers *t, uint32_t tid, uint64_t begin_ts,
		   enum pair_stack_kind kind, const uint64_t *addrs,
		   uint32_t nr);

/* The source lost events: the open attempts and calls are forgotten. */
void trackers_lost(struct stall_trackers *t);

#endif /* DRSNOOP_STALL_TRACKERS_H */
