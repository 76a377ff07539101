// SPDX-License-Identifier: GPL-2.0
/* Compaction attempts and memory.high penalties; see stall_trackers.h. */
#include "stall_trackers.h"

int trackers_init(struct stall_trackers *t, bool compaction, bool high)
{
	*t = (struct stall_trackers){
		.compaction = compaction,
		.want_high = high,
	};
	if (compact_init(&t->compact))
		return -1;
	if (high_init(&t->high)) {
		compact_free(&t->compact);
		return -1;
	}
	return 0;
}

void trackers_free(struct stall_trackers *t)
{
	compact_free(&t->compact);
	high_free(&t->high);
}

/* A compaction record of type, from r, to the tracker with --compaction. */
static bool feed_compact(struct stall_trackers *t, uint64_t ts,
			 const struct vmscan_rec *r, enum compact_rec_type type,
			 struct dr_event *e)
{
	struct compact_rec c = {
		.ts_ns = ts,
		.type = type,
		.tid = r->tid,
		.order = r->order,
	};

	if (type == COMPACT_REC_TRY)
		c.gfp_flags = r->value;
	if (type == COMPACT_REC_ZONE) {
		c.zone_event = r->value;
		c.result = r->reason;
	}
	return t->compaction && compact_feed(&t->compact, &c, e);
}

bool trackers_record(struct stall_trackers *t, uint64_t ts,
		     const struct vmscan_rec *r, struct dr_event *e)
{
	switch (r->type) {
	case VMSCAN_BEGIN:
		/* A reclaim follows a failed attempt: that one is over. */
		return feed_compact(t, ts, r, COMPACT_REC_CLOSE, e);
	case VMSCAN_COMPACT_TRY:
		return feed_compact(t, ts, r, COMPACT_REC_TRY, e);
	case VMSCAN_COMPACT_ZONE:
		return feed_compact(t, ts, r, COMPACT_REC_ZONE, e);
	case VMSCAN_HIGH_ENTER:
		/* Out of memory for the table: this call goes unseen. */
		if (t->want_high)
			high_enter(&t->high, ts, r->tid);
		return false;
	case VMSCAN_HIGH_EXIT:
		return t->want_high && high_exit(&t->high, ts, r->tid, e);
	}
	return false;
}

void trackers_reclaim_end(struct stall_trackers *t, const struct dr_event *e)
{
	if (t->want_high && e->kind == DR_KIND_MEMCG)
		high_reclaim(&t->high, e->tid, e->lat_ns, e->nr_reclaimed);
}

bool trackers_expire(struct stall_trackers *t, uint64_t now, struct dr_event *e)
{
	return t->compaction && compact_expire(&t->compact, now, e);
}

void trackers_tell_background(struct stall_trackers *t, struct dr_sink *sink)
{
	uint64_t n = t->compact.background - t->background_told;

	if (!t->compaction || !n || !sink->background)
		return;
	sink->background(sink, n);
	t->background_told = t->compact.background;
}

int trackers_stack(struct stall_trackers *t, uint32_t tid, uint64_t begin_ts,
		   enum pair_stack_kind kind, const uint64_t *addrs,
		   uint32_t nr)
{
	if (!t->compaction)
		return 0;
	return compact_stack(&t->compact, tid, begin_ts, kind, addrs, nr);
}

void trackers_lost(struct stall_trackers *t)
{
	compact_lost(&t->compact);
	high_lost(&t->high);
}
