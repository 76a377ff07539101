// SPDX-License-Identifier: GPL-2.0
/*
 * Direct compaction's events through the shared decoder and the
 * recordings' replay (drsnoop -i --compaction).
 *
 * Decoding: payloads laid out as this machine's formats
 * (tests/fixtures/formats/6.18/events/compaction, copied from tracefs)
 * give the try's order and gfp mask and the zone events' results, read by
 * field name; one byte short of a field decodes nothing; a tep without
 * the events (6.1's copies hold only vmscan) leaves them undecoded.
 *
 * Recordings: tests/fixtures/compact.dat and compact.perf.data (see
 * tests/fixtures/README) through their readers and the pipeline. The
 * attempt counts are the README's "compact:" lines, counted without
 * drsnoop code by scripts/record-fixtures' count_compact (awk over
 * 'trace-cmd report -N' and 'perf script -F tid,event,trace'): a try opens
 * its thread's attempt, its next try or reclaim begin closes it, the
 * result is the largest of its zone events', and an attempt counts above
 * COMPACT_SKIPPED. compact.dat: 459 attempts (compact_stall rose by 459
 * while it was recorded), 2 background zone compactions (kcompactd's),
 * 200 direct reclaims; by result, from the same awk: complete 230,
 * deferred 211, success 10, partial_skipped 5, contended 3.
 * compact.perf.data: 262 attempts, no background, 100 direct and 331
 * memcg reclaims, and 30 mm_vmscan_throttled (perf script | grep -c).
 *
 * memory.high: the probes' events as kprobe_events lays them out (the
 * group drsnoop_4242 in tests/fixtures/formats/kprobes) are found in any
 * group and decoded; and a call replayed with a memcg reclaim inside is
 * one high stall whose latency leaves the reclaim out, while a call that
 * reclaimed nothing is none.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "fallback/file/file_reader.h"
#include "fallback/shared/vmscan_fields.h"
#include "src/lib/compact.h"
#include "src/lib/event.h"
#include "src/pipeline.h"
#include "src/sys/tracelibs.h"
#include "tests/unit/vmscan_fixture.h"

#define FORMATS "tests/fixtures/formats/6.18"
#define TID	4242

/* IDs and offsets as FORMATS' compaction format files give them. */
#define TRY_ID	    668 /* order@8:4 gfp_mask@16:8 prio@24:4 */
#define SUITABLE_ID 666 /* nid@8 idx@12 order@16 ret@20, 4 each */
#define DEFERRED_ID 665
#define BEGIN_ID    670 /* zone_start@8 ... sync@40:1 */
#define END_ID	    669 /* ... status@44:4 */
#define PAYLOAD	    48

static void put(unsigned char *e, unsigned int off, const void *v, size_t n)
{
	memcpy(e + off, v, n);
}

static void make(unsigned char *e, uint16_t id)
{
	int32_t tid = TID;

	memset(e, 0xa5, PAYLOAD);
	put(e, 0, &id, sizeof(id));
	put(e, 4, &tid, sizeof(tid));
}

static void test_decode(void **state)
{
	struct vmscan_fields vf;
	struct tep_handle *tep = fields_of(FORMATS, &vf);
	unsigned char e[PAYLOAD];
	uint64_t gfp = 0x140cca;
	int32_t order = 9, ret = COMPACT_RESULT_CONTINUE;
	int32_t status = COMPACT_RESULT_COMPLETE;
	struct vmscan_rec r;

	assert_int_equal(vf.compact.id[0], TRY_ID);
	make(e, TRY_ID);
	put(e, 8, &order, 4);
	put(e, 16, &gfp, 8);
	assert_int_equal(vmscan_decode(&vf, e, 28, &r), VMSCAN_COMPACT_TRY);
	assert_int_equal(r.tid, TID);
	assert_int_equal(r.kind, DR_KIND_COMPACT);
	assert_int_equal(r.order, 9);
	assert_int_equal(r.value, gfp);
	assert_int_equal(vmscan_decode(&vf, e, 23, &r), VMSCAN_OTHER);

	make(e, SUITABLE_ID);
	put(e, 20, &ret, 4);
	assert_int_equal(vmscan_decode(&vf, e, 24, &r), VMSCAN_COMPACT_ZONE);
	assert_int_equal(r.value, COMPACT_ZONE_SUITABLE);
	assert_int_equal(r.reason, COMPACT_RESULT_CONTINUE);
	assert_int_equal(vmscan_decode(&vf, e, 23, &r), VMSCAN_OTHER);

	make(e, DEFERRED_ID);
	assert_int_equal(vmscan_decode(&vf, e, 32, &r), VMSCAN_COMPACT_ZONE);
	assert_int_equal(r.value, COMPACT_ZONE_DEFERRED);

	make(e, BEGIN_ID);
	assert_int_equal(vmscan_decode(&vf, e, 41, &r), VMSCAN_COMPACT_ZONE);
	assert_int_equal(r.value, COMPACT_ZONE_BEGIN);

	make(e, END_ID);
	put(e, 44, &status, 4);
	assert_int_equal(vmscan_decode(&vf, e, 48, &r), VMSCAN_COMPACT_ZONE);
	assert_int_equal(r.value, COMPACT_ZONE_END);
	assert_int_equal(r.reason, COMPACT_RESULT_COMPLETE);
	assert_int_equal(vmscan_decode(&vf, e, 47, &r), VMSCAN_OTHER);
	tep_free(tep);
}

/* A tep without the compaction events: they stay undecoded. */
static void test_absent(void **state)
{
	struct vmscan_fields vf;
	struct tep_handle *tep = fields_of("tests/fixtures/formats/6.1", &vf);
	unsigned char e[PAYLOAD];
	struct vmscan_rec r;
	int i;

	for (i = 0; i < COMPACT_NR_EVENTS; i++)
		assert_int_equal(vf.compact.id[i], -1);
	assert_int_equal(vf.compact.high_id[0], -1);
	make(e, TRY_ID);
	assert_int_equal(vmscan_decode(&vf, e, PAYLOAD, &r), VMSCAN_OTHER);
	tep_free(tep);
}

/* kprobe and kretprobe events: the common fields, then their own. */
static void test_high_decode(void **state)
{
	struct vmscan_fields vf;
	struct tep_handle *tep =
		fields_of("tests/fixtures/formats/kprobes", &vf);
	unsigned char e[PAYLOAD];
	struct vmscan_rec r;

	assert_int_equal(vf.compact.high_id[0], 2001);
	assert_int_equal(vf.compact.high_id[1], 2002);
	make(e, 2001);
	assert_int_equal(vmscan_decode(&vf, e, 16, &r), VMSCAN_HIGH_ENTER);
	assert_int_equal(r.tid, TID);
	assert_int_equal(r.kind, DR_KIND_HIGH);
	make(e, 2002);
	assert_int_equal(vmscan_decode(&vf, e, 24, &r), VMSCAN_HIGH_EXIT);
	assert_int_equal(r.tid, TID);
	tep_free(tep);
}

static void nothing_lost(struct dr_sink *sink, uint64_t n)
{
}

static struct dr_event high_seen[4];
static unsigned int nr_high_seen;

static int keep_event(struct dr_sink *sink, const struct dr_event *e)
{
	if (nr_high_seen < 4)
		high_seen[nr_high_seen++] = *e;
	return 0;
}

static void replay_at(struct file_replay *rp, uint64_t ts, uint32_t type,
		      uint32_t kind, uint64_t value)
{
	struct vmscan_rec r = { .type = type,
				.tid = TID,
				.kind = kind,
				.order = -1,
				.value = value };
	struct replay_task t = { .comm = "hog", .pid = 77 };

	replay_record(rp, ts, &r, &t);
}

/*
 * Two calls: one with a memcg reclaim of 300 us and 32 pages inside,
 * 1000 us in all; one that reclaimed nothing (no penalty).
 */
static void test_high_replay(void **state)
{
	struct dr_sink sink = { .event = keep_event, .lost = nothing_lost };
	struct file_replay rp;

	assert_int_equal(replay_init(&rp, &sink, 0), 0);
	rp.trackers.want_high = true;
	replay_at(&rp, 1000000, VMSCAN_HIGH_ENTER, DR_KIND_HIGH, 0);
	replay_at(&rp, 1100000, VMSCAN_BEGIN, DR_KIND_MEMCG, 0x400);
	replay_at(&rp, 1400000, VMSCAN_END, DR_KIND_MEMCG, 32);
	replay_at(&rp, 2000000, VMSCAN_HIGH_EXIT, DR_KIND_HIGH, 0);
	replay_at(&rp, 3000000, VMSCAN_HIGH_ENTER, DR_KIND_HIGH, 0);
	replay_at(&rp, 3500000, VMSCAN_HIGH_EXIT, DR_KIND_HIGH, 0);
	replay_end(&rp);
	replay_free(&rp);
	assert_int_equal(nr_high_seen, 2);
	assert_int_equal(high_seen[0].kind, DR_KIND_MEMCG);
	assert_int_equal(high_seen[0].lat_ns, 300000);
	assert_int_equal(high_seen[1].kind, DR_KIND_HIGH);
	assert_int_equal(high_seen[1].begin_ns, 1000000);
	assert_int_equal(high_seen[1].lat_ns, 700000);
	assert_int_equal(high_seen[1].nr_reclaimed, 32);
	assert_int_equal(high_seen[1].pid, 77);
	assert_string_equal(high_seen[1].comm, "hog");
}

/* A fixture through its reader and the pipeline, with -s. */
static void read_fixture(const char *path, const struct file_reader_ops *ops,
			 struct dr_options *o, struct dr_pipeline *p)
{
	static char buf[65536];
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	struct file_replay rp;
	struct file_reader *r;
	char why[256];

	o->summary = true;
	o->input = path;
	pipeline_init(p, o, f, 4);
	assert_int_equal(replay_init(&rp, &p->sink, 0), 0);
	rp.trackers.compaction = o->compaction;
	rp.trackers.want_high = o->high;
	r = ops->open(path, &rp, false, why, sizeof(why));
	assert_non_null(r);
	assert_int_equal(ops->read(r, why, sizeof(why)), 0);
	replay_end(&rp);
	replay_finish(&rp);
	ops->close(r);
	replay_free(&rp);
	assert_int_equal(output_finish(&p->out), 0);
	fclose(f);
}

static void test_tracedat(void **state)
{
	struct dr_options o = { .compaction = true };
	struct dr_pipeline p;
	const struct summary_capture *c = &p.out.summary.cap_line;

	read_fixture("tests/fixtures/compact.dat", &tracedat_reader, &o, &p);
	assert_int_equal(c->seen[DR_KIND_COMPACT], 459);
	assert_int_equal(c->seen[DR_KIND_DIRECT], 200);
	assert_int_equal(c->background, 2);
	assert_int_equal(c->lost, 0);
	output_free(&p.out);
}

/* Not asked for: the same file shows no attempt and no background. */
static void test_tracedat_unasked(void **state)
{
	struct dr_options o = { 0 };
	struct dr_pipeline p;
	const struct summary_capture *c = &p.out.summary.cap_line;

	read_fixture("tests/fixtures/compact.dat", &tracedat_reader, &o, &p);
	assert_int_equal(c->seen[DR_KIND_COMPACT], 0);
	assert_int_equal(c->seen[DR_KIND_DIRECT], 200);
	assert_int_equal(c->background, 0);
	output_free(&p.out);
}

static void test_perfdata(void **state)
{
	struct dr_options o = { .compaction = true, .throttle = true };
	struct dr_pipeline p;
	const struct summary_capture *c = &p.out.summary.cap_line;

	read_fixture("tests/fixtures/compact.perf.data", &perfdata_reader, &o,
		     &p);
	assert_int_equal(c->seen[DR_KIND_COMPACT], 262);
	assert_int_equal(c->seen[DR_KIND_THROTTLE], 30);
	assert_int_equal(c->seen[DR_KIND_DIRECT], 100);
	assert_int_equal(c->seen[DR_KIND_MEMCG], 331);
	assert_int_equal(c->background, 0);
	assert_int_equal(c->lost, 0);
	output_free(&p.out);
}

/* Each attempt's result, against the README's tally of compact.dat. */
static unsigned int results[COMPACT_NR_RESULTS];

static int count_result(struct dr_sink *sink, const struct dr_event *e)
{
	if (e->kind == DR_KIND_COMPACT && e->reason < COMPACT_NR_RESULTS)
		results[e->reason]++;
	return 0;
}

static void test_results(void **state)
{
	struct dr_sink sink = { .event = count_result, .lost = nothing_lost };
	struct file_replay rp;
	struct file_reader *r;
	char why[256];

	assert_int_equal(replay_init(&rp, &sink, 0), 0);
	rp.trackers.compaction = true;
	r = tracedat_reader.open("tests/fixtures/compact.dat", &rp, false, why,
				 sizeof(why));
	assert_non_null(r);
	assert_int_equal(tracedat_reader.read(r, why, sizeof(why)), 0);
	replay_end(&rp);
	tracedat_reader.close(r);
	replay_free(&rp);
	assert_int_equal(results[COMPACT_RESULT_COMPLETE], 230);
	assert_int_equal(results[COMPACT_RESULT_DEFERRED], 211);
	assert_int_equal(results[COMPACT_RESULT_SUCCESS], 10);
	assert_int_equal(results[COMPACT_RESULT_PARTIAL_SKIPPED], 5);
	assert_int_equal(results[COMPACT_RESULT_CONTENDED], 3);
	assert_int_equal(results[COMPACT_RESULT_SKIPPED], 0);
}

static int load_libraries(void **state)
{
	char why[256];

	return tracelibs_load_tracefs(why, sizeof(why)) ||
	       tracelibs_load_tracecmd(why, sizeof(why));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_absent),
		cmocka_unit_test(test_high_decode),
		cmocka_unit_test(test_high_replay),
		cmocka_unit_test(test_tracedat),
		cmocka_unit_test(test_tracedat_unasked),
		cmocka_unit_test(test_perfdata),
		cmocka_unit_test(test_results),
	};

	return cmocka_run_group_tests_name("compact_decode", tests,
					   load_libraries, NULL);
}
