// SPDX-License-Identifier: GPL-2.0
/*
 * Direct compaction attempts and memory.high penalties assembled from
 * their events (src/lib/compact.c, src/lib/high.c): which attempts count
 * as the kernel's compact_stall does, their latency and result, the
 * zone compactions of kcompactd, a task that moves CPUs, attempts over
 * once quiet but never inside a zone, records fed as sources do, and the
 * penalty of a memory.high call less the reclaims inside it.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "src/lib/compact.h"
#include "src/lib/high.h"

#define TID	  100
#define KCOMPACTD 35
#define MS	  1000000ull

static struct compact_tracker *tracker(void)
{
	static struct compact_tracker c;

	assert_int_equal(compact_init(&c), 0);
	return &c;
}

/* An attempt that compacts a zone: counted, timed to its zone's end. */
static void test_compacted_zone(void **state)
{
	struct compact_tracker *c = tracker();
	struct dr_event e;

	(void)state;
	assert_false(compact_try(c, 10 * MS, TID, 9, 0xcc0, &e));
	compact_zone(c, 10 * MS + 1000, TID, COMPACT_ZONE_SUITABLE,
		     COMPACT_RESULT_CONTINUE);
	compact_zone(c, 10 * MS + 2000, TID, COMPACT_ZONE_BEGIN, 0);
	compact_zone(c, 13 * MS, TID, COMPACT_ZONE_END,
		     COMPACT_RESULT_COMPLETE);
	/* Over once quiet for COMPACT_QUIET_NS after its zone's end. */
	assert_false(compact_expire(c, 13 * MS + COMPACT_QUIET_NS, &e));
	assert_true(compact_expire(c, 13 * MS + COMPACT_QUIET_NS + 1, &e));
	assert_int_equal(e.kind, DR_KIND_COMPACT);
	assert_int_equal(e.tid, TID);
	assert_int_equal(e.begin_ns, 10 * MS);
	assert_int_equal(e.lat_ns, 3 * MS);
	assert_int_equal(e.order, 9);
	assert_int_equal(e.gfp_flags, 0xcc0);
	assert_int_equal(e.reason, COMPACT_RESULT_COMPLETE);
	assert_string_equal(compact_result_name(e.reason), "complete");
	assert_false(compact_expire(c, UINT64_MAX, &e));
	compact_free(c);
}

/* Every zone turned away as "skipped": the kernel does not count it. */
static void test_skipped_not_counted(void **state)
{
	struct compact_tracker *c = tracker();
	struct dr_event e;

	(void)state;
	compact_try(c, MS, TID, 4, 0, &e);
	compact_zone(c, MS + 10, TID, COMPACT_ZONE_SUITABLE,
		     COMPACT_RESULT_SKIPPED);
	compact_zone(c, MS + 20, TID, COMPACT_ZONE_SUITABLE,
		     COMPACT_RESULT_NOT_SUITABLE_ZONE);
	/* The next attempt ends this one, which does not count. */
	assert_false(compact_try(c, 2 * MS, TID, 4, 0, &e));
	assert_int_equal(c->skipped, 1);
	/* A deferred zone counts (COMPACT_DEFERRED > COMPACT_SKIPPED). */
	compact_zone(c, 2 * MS + 10, TID, COMPACT_ZONE_DEFERRED, 0);
	assert_true(compact_close(c, TID, &e));
	assert_int_equal(e.reason, COMPACT_RESULT_DEFERRED);
	assert_int_equal(e.lat_ns, 10);
	compact_free(c);
}

/*
 * A zone whose watermark is met at once: since 6.x no suitable event,
 * only the defer_reset of its success. The kernel counts the attempt.
 */
static void test_watermark_met(void **state)
{
	struct compact_tracker *c = tracker();
	struct dr_event e;

	(void)state;
	compact_try(c, MS, TID, 9, 0, &e);
	compact_zone(c, MS + 40, TID, COMPACT_ZONE_DEFER_RESET, 0);
	assert_true(compact_close(c, TID, &e));
	assert_int_equal(e.reason, COMPACT_RESULT_SUCCESS);
	assert_int_equal(e.lat_ns, 40);
	/* kcompactd's defer_reset is background, and no zone compaction. */
	compact_zone(c, 2 * MS, KCOMPACTD, COMPACT_ZONE_DEFER_RESET, 0);
	assert_int_equal(c->background, 0);
	compact_free(c);
}

/* kcompactd's zones are background work, never a task's attempt. */
static void test_background(void **state)
{
	struct compact_tracker *c = tracker();
	struct dr_event e;

	(void)state;
	compact_try(c, MS, TID, 9, 0, &e);
	compact_zone(c, MS + 5, KCOMPACTD, COMPACT_ZONE_SUITABLE,
		     COMPACT_RESULT_CONTINUE);
	compact_zone(c, MS + 6, KCOMPACTD, COMPACT_ZONE_BEGIN, 0);
	compact_zone(c, 5 * MS, KCOMPACTD, COMPACT_ZONE_END,
		     COMPACT_RESULT_SUCCESS);
	assert_int_equal(c->background, 1);
	/* The attempt saw none of it: still skipped. */
	assert_false(compact_expire(c, UINT64_MAX, &e));
	assert_int_equal(c->skipped, 1);
	compact_free(c);
}

/*
 * A task that moves CPUs between its zones: its events come in time
 * order from two CPUs, and the tid keys them all the same.
 */
static void test_migrating_task(void **state)
{
	struct compact_tracker *c = tracker();
	struct dr_event e;

	(void)state;
	compact_try(c, MS, TID, 3, 0, &e);
	compact_zone(c, MS + 100, TID, COMPACT_ZONE_BEGIN, 0);
	compact_zone(c, 2 * MS, TID + 1, COMPACT_ZONE_BEGIN, 0);
	compact_zone(c, 4 * MS, TID, COMPACT_ZONE_END,
		     COMPACT_RESULT_PARTIAL_SKIPPED);
	assert_false(compact_expire(c, 4 * MS + COMPACT_QUIET_NS, &e));
	assert_true(compact_expire(c, UINT64_MAX, &e));
	assert_int_equal(e.lat_ns, 3 * MS);
	assert_int_equal(e.reason, COMPACT_RESULT_PARTIAL_SKIPPED);
	assert_int_equal(c->background, 1);
	compact_free(c);
}

/*
 * Inside a zone's compaction an attempt never expires, however long the
 * zone takes; the records of a source, through compact_feed(), build the
 * same attempt as the calls above.
 */
static void test_feed_in_zone(void **state)
{
	struct compact_tracker *c = tracker();
	const struct compact_rec recs[] = {
		{ .type = COMPACT_REC_TRY,
		  .ts_ns = MS,
		  .tid = TID,
		  .order = 9,
		  .gfp_flags = 0xcc0 },
		{ .type = COMPACT_REC_ZONE,
		  .ts_ns = 2 * MS,
		  .tid = TID,
		  .zone_event = COMPACT_ZONE_BEGIN },
		/* Not a zone event: ignored. */
		{ .type = COMPACT_REC_ZONE,
		  .ts_ns = 3 * MS,
		  .tid = TID,
		  .zone_event = COMPACT_ZONE_DEFER_RESET + 1 },
	};
	const struct compact_rec end = {
		.type = COMPACT_REC_ZONE,
		.ts_ns = 5 * COMPACT_QUIET_NS,
		.tid = TID,
		.zone_event = COMPACT_ZONE_END,
		.result = COMPACT_RESULT_CONTENDED,
	};
	const struct compact_rec reclaim = { .type = COMPACT_REC_CLOSE,
					     .tid = TID };
	struct dr_event e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(recs) / sizeof(recs[0]); i++)
		assert_false(compact_feed(c, &recs[i], &e));
	assert_false(compact_expire(c, 4 * COMPACT_QUIET_NS, &e));
	assert_false(compact_feed(c, &end, &e));
	assert_true(compact_feed(c, &reclaim, &e));
	assert_int_equal(e.begin_ns, MS);
	assert_int_equal(e.lat_ns, 5 * COMPACT_QUIET_NS - MS);
	assert_int_equal(e.order, 9);
	assert_int_equal(e.gfp_flags, 0xcc0);
	assert_int_equal(e.reason, COMPACT_RESULT_CONTENDED);
	assert_false(compact_feed(c, &reclaim, &e));
	compact_free(c);
}

/* Lost events: the open attempts are forgotten, not finished. */
static void test_lost(void **state)
{
	struct compact_tracker *c = tracker();
	struct dr_event e;

	(void)state;
	compact_try(c, MS, TID, 3, 0, &e);
	compact_zone(c, MS + 100, TID, COMPACT_ZONE_DEFERRED, 0);
	compact_lost(c);
	assert_false(compact_expire(c, UINT64_MAX, &e));
	compact_free(c);
}

/* A memory.high call: the penalty is its time outside its reclaims. */
static void test_high_penalty(void **state)
{
	struct high_tracker h;
	struct dr_event e;

	(void)state;
	assert_int_equal(high_init(&h), 0);
	assert_int_equal(high_enter(&h, 10 * MS, TID), 0);
	high_reclaim(&h, TID, 2 * MS, 32);
	high_reclaim(&h, TID, 1 * MS, 0);
	high_reclaim(&h, TID + 1, 50 * MS, 7);
	assert_true(high_exit(&h, 40 * MS, TID, &e));
	assert_int_equal(e.kind, DR_KIND_HIGH);
	assert_int_equal(e.begin_ns, 10 * MS);
	assert_int_equal(e.lat_ns, 27 * MS);
	assert_int_equal(e.nr_reclaimed, 32);
	/* A call that did not reclaim did not sleep: no stall. */
	assert_int_equal(high_enter(&h, 50 * MS, TID), 0);
	assert_false(high_exit(&h, 50 * MS + 300, TID, &e));
	/* A return without its entry (tracing began inside it). */
	assert_false(high_exit(&h, 60 * MS, TID, &e));
	high_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compacted_zone),
		cmocka_unit_test(test_skipped_not_counted),
		cmocka_unit_test(test_watermark_met),
		cmocka_unit_test(test_background),
		cmocka_unit_test(test_migrating_task),
		cmocka_unit_test(test_feed_in_zone),
		cmocka_unit_test(test_lost),
		cmocka_unit_test(test_high_penalty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
