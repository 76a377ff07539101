/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_COMPACT_H
#define DRSNOOP_COMPACT_H

#include <stdbool.h>
#include <stdint.h>
#include "event.h"
#include "pair.h"

/*
 * The kernel's enum compact_result (include/linux/compaction.h), the same
 * values from 4.x to 6.18: what try_to_compact_pages() returns, the
 * status of mm_compaction_end and the ret of mm_compaction_suitable.
 */
enum compact_result {
	COMPACT_RESULT_NOT_SUITABLE_ZONE,
	COMPACT_RESULT_SKIPPED,
	COMPACT_RESULT_DEFERRED,
	COMPACT_RESULT_NO_SUITABLE_PAGE,
	COMPACT_RESULT_CONTINUE,
	COMPACT_RESULT_COMPLETE,
	COMPACT_RESULT_PARTIAL_SKIPPED,
	COMPACT_RESULT_CONTENDED,
	COMPACT_RESULT_SUCCESS,
	COMPACT_NR_RESULTS,
};

/*
 * A result as the kernel's compaction tracepoints print it ("complete",
 * "partial_skipped"), as bcc's compactsnoop shows STATUS; "?" if unknown.
 */
const char *compact_result_name(uint32_t result);

/*
 * Direct compaction from the tracepoints alone, for sources without an
 * end of the attempt (the ftrace backend, recordings, BPF without fexit).
 *
 * mm_compaction_try_to_compact_pages opens a task's attempt. The zone
 * events that the same task fires until its next attempt make up the
 * attempt's result, as try_to_compact_pages() does: the largest of its
 * zones' results, where a deferred zone is COMPACT_DEFERRED, a zone that
 * mm_compaction_suitable turned away is its ret, a compacted zone is
 * mm_compaction_end's status, and a zone whose watermark was met at once
 * is COMPACT_SUCCESS: since 6.x the kernel decides that before
 * mm_compaction_suitable, and only the mm_compaction_defer_reset that
 * follows a zone's success shows it. The kernel counts an attempt in
 * compact_stall unless that result is at most COMPACT_SKIPPED; so does
 * this. The attempt's latency runs to its last zone event: the attempt
 * ends with no event of its own.
 *
 * An attempt is finished by the task's next attempt, by another stall of
 * the task (compact_close(): a direct reclaim, which follows a failed
 * attempt), or by compact_expire() once its task has been quiet.
 *
 * Zone compactions that no attempt holds (kcompactd's, proactive
 * compaction, writes to /proc/sys/vm/compact_memory) are counted in
 * background, never shown as stalls.
 */
enum compact_zone_event {
	COMPACT_ZONE_SUITABLE, /* mm_compaction_suitable: result is its ret */
	COMPACT_ZONE_DEFERRED, /* mm_compaction_deferred */
	COMPACT_ZONE_BEGIN, /* mm_compaction_begin */
	COMPACT_ZONE_END, /* mm_compaction_end: result is its status */
	COMPACT_ZONE_DEFER_RESET, /* mm_compaction_defer_reset: a success */
};

/*
 * How long a task's attempt stays open after its last zone event (the
 * BPF side, which keeps attempts too, uses the same bound).
 */
#define COMPACT_QUIET_NS 1000000000ull

/* One record of a source, as compact_feed() takes it. */
enum compact_rec_type {
	COMPACT_REC_TRY, /* mm_compaction_try_to_compact_pages */
	COMPACT_REC_ZONE, /* a zone event */
	COMPACT_REC_CLOSE, /* the task began another stall (a reclaim) */
};

struct compact_rec {
	uint64_t ts_ns;
	uint64_t gfp_flags; /* TRY */
	uint32_t type; /* enum compact_rec_type */
	uint32_t tid;
	int32_t order; /* TRY */
	uint32_t zone_event; /* ZONE: enum compact_zone_event */
	uint32_t result; /* ZONE: as compact_zone() takes it */
};

struct compact_tracker {
	struct dr_pairer attempts; /* the open attempts, by tid */
	uint64_t background; /* zone compactions outside any attempt */
	uint64_t skipped; /* attempts finished with nothing compacted */
};

int compact_init(struct compact_tracker *c);
void compact_free(struct compact_tracker *c);

/*
 * mm_compaction_try_to_compact_pages in tid at ts_ns. Returns true, with
 * the attempt in *done, when tid's previous attempt was open and counts.
 */
bool compact_try(struct compact_tracker *c, uint64_t ts_ns, uint32_t tid,
		 int32_t order, uint64_t gfp_flags, struct dr_event *done);

/* A zone event of tid at ts_ns; result as enum compact_zone_event says. */
void compact_zone(struct compact_tracker *c, uint64_t ts_ns, uint32_t tid,
		  enum compact_zone_event ev, uint32_t result);

/*
 * tid began another stall: its open attempt, if any, is over. Returns
 * true with it in *done when it counts.
 */
bool compact_close(struct compact_tracker *c, uint32_t tid,
		   struct dr_event *done);

/*
 * One attempt whose task has been quiet for COMPACT_QUIET_NS at now (its
 * last zone event older than that, and not inside a zone's compaction):
 * finished into *done (true), or false when none is left. At the end of
 * a source, now = UINT64_MAX finishes them all.
 */
bool compact_expire(struct compact_tracker *c, uint64_t now,
		    struct dr_event *done);

/*
 * A source's record, to compact_try(), compact_zone() or
 * compact_close(): how every source feeds the tracker. True with a
 * finished attempt in *done, as those say.
 */
bool compact_feed(struct compact_tracker *c, const struct compact_rec *r,
		  struct dr_event *done);

/* Stacks of tid's open attempt, as pairer_stack(). */
int compact_stack(struct compact_tracker *c, uint32_t tid, uint64_t begin_ts,
		  enum pair_stack_kind kind, const uint64_t *addrs,
		  uint32_t nr);

/* The source lost events: forget the open attempts (their end is unknown). */
void compact_lost(struct compact_tracker *c);

#endif /* DRSNOOP_COMPACT_H */
