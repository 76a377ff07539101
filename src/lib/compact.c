// SPDX-License-Identifier: GPL-2.0
/*
 * Direct compaction attempts from the compaction tracepoints: see
 * compact.h for the rule, which matches the kernel's compact_stall.
 */
#include "compact.h"

static const char *const result_names[COMPACT_NR_RESULTS] = {
	[COMPACT_RESULT_NOT_SUITABLE_ZONE] = "not_suitable_zone",
	[COMPACT_RESULT_SKIPPED] = "skipped",
	[COMPACT_RESULT_DEFERRED] = "deferred",
	[COMPACT_RESULT_NO_SUITABLE_PAGE] = "no_suitable_page",
	[COMPACT_RESULT_CONTINUE] = "continue",
	[COMPACT_RESULT_COMPLETE] = "complete",
	[COMPACT_RESULT_PARTIAL_SKIPPED] = "partial_skipped",
	[COMPACT_RESULT_CONTENDED] = "contended",
	[COMPACT_RESULT_SUCCESS] = "success",
};

const char *compact_result_name(uint32_t result)
{
	return result < COMPACT_NR_RESULTS ? result_names[result] : "?";
}

int compact_init(struct compact_tracker *c)
{
	*c = (struct compact_tracker){ 0 };
	return pairer_init(&c->attempts);
}

void compact_free(struct compact_tracker *c)
{
	pairer_free(&c->attempts);
}

/* End tid's attempt at its last zone event; true if the kernel counts it. */
static bool finish(struct compact_tracker *c, const struct dr_begin *b,
		   struct dr_event *done)
{
	uint32_t result = b->result, tid = b->tid;

	pairer_end(&c->attempts, b->last_ns, tid, 0, done);
	if (result <= COMPACT_RESULT_SKIPPED) {
		c->skipped++;
		return false;
	}
	done->reason = result;
	return true;
}

bool compact_try(struct compact_tracker *c, uint64_t ts_ns, uint32_t tid,
		 int32_t order, uint64_t gfp_flags, struct dr_event *done)
{
	struct dr_begin b = {
		.ts_ns = ts_ns,
		.tid = tid,
		.order = order,
		.gfp_flags = gfp_flags,
		.kind = DR_KIND_COMPACT,
		.has_gfp = true,
		.last_ns = ts_ns,
		.result = COMPACT_RESULT_SKIPPED,
	};
	bool counted = compact_close(c, tid, done);

	/* Out of memory for the table: this attempt goes unseen. */
	pairer_begin(&c->attempts, &b);
	return counted;
}

/* A zone's part in the attempt's result, as try_to_compact_pages() takes it. */
static uint32_t zone_result(enum compact_zone_event ev, uint32_t result)
{
	switch (ev) {
	case COMPACT_ZONE_DEFERRED:
		return COMPACT_RESULT_DEFERRED;
	case COMPACT_ZONE_BEGIN:
		return COMPACT_RESULT_CONTINUE;
	case COMPACT_ZONE_DEFER_RESET:
		return COMPACT_RESULT_SUCCESS;
	default:
		return result;
	}
}

void compact_zone(struct compact_tracker *c, uint64_t ts_ns, uint32_t tid,
		  enum compact_zone_event ev, uint32_t result)
{
	struct dr_begin *b = pairer_pending_begin(&c->attempts, tid);
	uint32_t r;

	if (!b) {
		c->background += ev == COMPACT_ZONE_BEGIN;
		return;
	}
	r = zone_result(ev, result);
	if (r > b->result && r < COMPACT_NR_RESULTS)
		b->result = r;
	b->in_zone = ev == COMPACT_ZONE_BEGIN;
	if (ts_ns > b->last_ns)
		b->last_ns = ts_ns;
}

bool compact_close(struct compact_tracker *c, uint32_t tid,
		   struct dr_event *done)
{
	struct dr_begin *b = pairer_pending_begin(&c->attempts, tid);

	return b && finish(c, b, done);
}

/* The last zone event of an attempt over at now, as compact_expire() says. */
static uint64_t quiet_before(uint64_t now)
{
	if (now == UINT64_MAX)
		return now;
	return now > COMPACT_QUIET_NS ? now - COMPACT_QUIET_NS : 0;
}

bool compact_expire(struct compact_tracker *c, uint64_t now,
		    struct dr_event *done)
{
	uint64_t before = quiet_before(now);
	const struct dr_begin *b;
	uint32_t cursor = 0;

	while ((b = pairer_next_pending(&c->attempts, &cursor))) {
		if (before != UINT64_MAX &&
		    (b->in_zone || b->last_ns >= before))
			continue;
		if (finish(c, b, done))
			return true;
		/* finish() reordered the table. */
		cursor = 0;
	}
	return false;
}

bool compact_feed(struct compact_tracker *c, const struct compact_rec *r,
		  struct dr_event *done)
{
	switch (r->type) {
	case COMPACT_REC_TRY:
		return compact_try(c, r->ts_ns, r->tid, r->order, r->gfp_flags,
				   done);
	case COMPACT_REC_ZONE:
		if (r->zone_event <= COMPACT_ZONE_DEFER_RESET)
			compact_zone(c, r->ts_ns, r->tid, r->zone_event,
				     r->result);
		return false;
	case COMPACT_REC_CLOSE:
		return compact_close(c, r->tid, done);
	}
	return false;
}

int compact_stack(struct compact_tracker *c, uint32_t tid, uint64_t begin_ts,
		  enum pair_stack_kind kind, const uint64_t *addrs, uint32_t nr)
{
	return pairer_stack(&c->attempts, tid, begin_ts, kind, addrs, nr);
}

void compact_lost(struct compact_tracker *c)
{
	pairer_reset(&c->attempts);
}
