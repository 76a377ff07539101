// SPDX-License-Identifier: GPL-2.0
/*
 * Reclaim throttling's event, vmscan:mm_vmscan_throttled, decoded by
 * field name from this project's test machine's formats (Linux 6.18,
 * tests/fixtures/formats/6.18): a payload built from the layout its
 * format file gives (nid at 8, usec_timeout at 12, usec_delayed at 16,
 * reason at 20, 4 bytes each; ID 622), every other byte junk; the
 * reasons as text; and tests/fixtures/throttle.dat read through the
 * pipeline, against counts made from trace-cmd report (see
 * tests/fixtures/README).
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
#include "src/pipeline.h"
#include "src/lib/event.h"
#include "src/sys/throttle_reason.h"
#include "src/sys/tracelibs.h"
#include "tests/unit/vmscan_fixture.h"

#define FORMATS	    "tests/fixtures/formats/6.18"
#define THROTTLE_ID 622
#define PAYLOAD	    24
#define TID	    4242

static void put32(unsigned char *e, unsigned int off, int32_t v)
{
	memcpy(e + off, &v, sizeof(v));
}

static void make_throttle(unsigned char *e, int32_t delayed, int32_t reason)
{
	uint16_t type = THROTTLE_ID;

	memset(e, 0xa5, PAYLOAD);
	memcpy(e, &type, sizeof(type));
	put32(e, 4, TID);
	put32(e, 8, 0); /* nid */
	put32(e, 12, 100000); /* usec_timeout: HZ/10 */
	put32(e, 16, delayed);
	put32(e, 20, reason);
}

static void test_decode(void **state)
{
	struct vmscan_fields vf;
	struct tep_handle *tep = fields_of(FORMATS, &vf);
	unsigned char e[PAYLOAD];
	struct vmscan_rec r;

	assert_int_equal(vf.throttle_id, THROTTLE_ID);
	make_throttle(e, 20833, 1);
	assert_int_equal(vmscan_decode(&vf, e, PAYLOAD, &r), VMSCAN_THROTTLE);
	assert_int_equal(r.tid, TID);
	assert_int_equal(r.kind, DR_KIND_THROTTLE);
	assert_int_equal(r.reason, 1);
	assert_int_equal(r.value, 20833000);
	assert_int_equal(r.order, -1);
	/* Several reasons at once; a negative sleep (never seen) is none. */
	make_throttle(e, -5, 6);
	assert_int_equal(vmscan_decode(&vf, e, PAYLOAD, &r), VMSCAN_THROTTLE);
	assert_int_equal(r.reason, 6);
	assert_int_equal(r.value, 0);
	/* One byte short of reason: not decoded. */
	assert_int_equal(vmscan_decode(&vf, e, PAYLOAD - 1, &r), VMSCAN_OTHER);
	tep_free(tep);
}

/* A tep without the event (a kernel before 5.16): reclaims only. */
static void test_absent(void **state)
{
	struct vmscan_fields vf;
	struct tep_handle *tep = fields_of("tests/fixtures/formats/6.1", &vf);
	unsigned char e[PAYLOAD];
	struct vmscan_rec r;

	assert_int_equal(vf.throttle_id, -1);
	make_throttle(e, 20833, 1);
	assert_int_equal(vmscan_decode(&vf, e, PAYLOAD, &r), VMSCAN_OTHER);
	tep_free(tep);
}

static void test_reason_names(void **state)
{
	char buf[THROTTLE_REASON_LEN];

	assert_string_equal(throttle_reason_format(0, buf, sizeof(buf)),
			    "none");
	assert_string_equal(throttle_reason_format(1, buf, sizeof(buf)),
			    "writeback");
	assert_string_equal(throttle_reason_format(2, buf, sizeof(buf)),
			    "isolated");
	assert_string_equal(throttle_reason_format(4, buf, sizeof(buf)),
			    "noprogress");
	assert_string_equal(throttle_reason_format(8, buf, sizeof(buf)),
			    "congested");
	assert_string_equal(throttle_reason_format(0x35, buf, sizeof(buf)),
			    "writeback|noprogress|0x30");
	/* Cut short, still a string. */
	assert_string_equal(throttle_reason_format(15, buf, 12), "writeback");
}

/*
 * tests/fixtures/README's counts of throttle.dat: 46 throttles, all
 * writeback, 344000 us in all, every one inside a memcg reclaim of its
 * thread (331 of them, no direct reclaim).
 */
#define FIXTURE		  "tests/fixtures/throttle.dat"
#define FIXTURE_THROTTLES 46
#define FIXTURE_SLEPT_NS  344000000ULL
#define FIXTURE_MEMCG	  331

/* The fixture through the trace.dat reader and the pipeline, with -s. */
static void read_fixture(struct dr_options *o, struct dr_pipeline *p, char *buf,
			 size_t len)
{
	FILE *f = fmemopen(buf, len, "w");
	struct file_replay rp;
	struct file_reader *r;
	char why[256];

	o->summary = true;
	o->input = FIXTURE;
	pipeline_init(p, o, f, 4);
	assert_int_equal(replay_init(&rp, &p->sink, 0), 0);
	r = tracedat_reader.open(FIXTURE, &rp, false, why, sizeof(why));
	assert_non_null(r);
	assert_int_equal(tracedat_reader.read(r, why, sizeof(why)), 0);
	tracedat_reader.close(r);
	replay_free(&rp);
	assert_int_equal(output_finish(&p->out), 0);
	fclose(f);
}

/* --throttle alone: the memcg reclaims are not shown, so nothing nests. */
static void test_fixture_alone(void **state)
{
	struct dr_options o = { .throttle = true };
	struct dr_pipeline p;
	char buf[8192];

	read_fixture(&o, &p, buf, sizeof(buf));
	assert_int_equal(p.out.summary.cap_line.seen[DR_KIND_THROTTLE],
			 FIXTURE_THROTTLES);
	assert_int_equal(p.out.summary.cap_line.seen[DR_KIND_MEMCG],
			 FIXTURE_MEMCG);
	assert_int_equal(p.out.summary.stalls, FIXTURE_THROTTLES);
	assert_int_equal(p.out.summary.nested_throttles, 0);
	assert_non_null(strstr(buf, "thr-writer     -            46       "
				    "344.00"));
	output_free(&p.out);
}

/* With --memcg, each is inside its reclaim: apart, not added. */
static void test_fixture_nested(void **state)
{
	struct dr_options o = { .throttle = true, .memcg = true };
	struct dr_pipeline p;
	char buf[8192];

	read_fixture(&o, &p, buf, sizeof(buf));
	assert_int_equal(p.out.summary.stalls, FIXTURE_MEMCG);
	assert_int_equal(p.out.summary.nested_throttles, FIXTURE_THROTTLES);
	assert_int_equal(p.out.summary.nested_throttle_ns, FIXTURE_SLEPT_NS);
	assert_non_null(
		strstr(buf, "of which throttled: 46 sleeps, 344.00 ms"));
	output_free(&p.out);
}

static int load_libraries(void **state)
{
	char why[256];

	return tracelibs_load_tracefs(why, sizeof(why));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_absent),
		cmocka_unit_test(test_reason_names),
		cmocka_unit_test(test_fixture_alone),
		cmocka_unit_test(test_fixture_nested),
	};

	return cmocka_run_group_tests_name("throttle", tests, load_libraries,
					   NULL);
}
