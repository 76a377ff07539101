// SPDX-License-Identifier: GPL-2.0
/*
 * Text output against golden lines from bcc's drsnoop_example.txt: the
 * header and rows of each mode must match bcc byte for byte.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "src/output/output.h"
#include "src/lib/compact.h"
#include "src/pipeline.h"
#include "src/lib/util.h"

static char buf[4096];

static struct dr_event stall(const char *comm, uint32_t pid, double lat_ms,
			     uint64_t pages)
{
	struct dr_event e = {
		.begin_ns = 1000000000,
		.lat_ns = lat_ms * 1e6 + 0.5,
		.nr_reclaimed = pages,
		.pid = pid,
		.tid = pid,
		.uid = 0,
		.fields = DR_HAS_PID | DR_HAS_UID | DR_HAS_COMM,
	};

	memcpy(e.comm, comm, strnlen(comm, sizeof(e.comm) - 1));
	return e;
}

/* Print the header and the events with options o; return the text. */
static const char *render(const struct dr_options *o,
			  const struct dr_event *events, int n)
{
	struct dr_output out;
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	int i;

	output_init(&out, f, o, 4);
	assert_int_equal(output_header(&out), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(output_event(&out, &events[i]), 0);
	fclose(f);
	return buf;
}

static void test_default(void **state)
{
	struct dr_options o = { 0 };
	struct dr_event ev[] = {
		stall("summond", 17678, 0.19, 143),
		stall("summond", 17496, 104.84, 40),
		stall("head", 17821, 0.29, 339),
	};

	assert_string_equal(render(&o, ev, 3),
			    "COMM           PID     LAT(ms) PAGES\n"
			    "summond        17678      0.19   143\n"
			    "summond        17496    104.84    40\n"
			    "head           17821      0.29   339\n");
}

static void test_timestamp(void **state)
{
	struct dr_options o = { .timestamp = true };
	struct dr_event ev[] = {
		stall("summond", 17491, 0.24, 50),
		stall("summond", 17491, 0.26, 38),
	};

	/*
	 * TIME(s) counts from the first stall's end in whole microseconds,
	 * as bcc's does: this one ends 454.999 us after the first.
	 */
	ev[1].begin_ns += 434999;
	assert_string_equal(
		render(&o, ev, 2),
		"TIME(s)       COMM           PID     LAT(ms) PAGES\n"
		"0.000000000   summond        17491      0.24    50\n"
		"0.000454000   summond        17491      0.26    38\n");
}

static void test_uid(void **state)
{
	struct dr_options o = { .print_uid = true };
	struct dr_event ev[] = {
		stall("summond", 17678, 0.32, 46),
		stall("base64", 17816, 0.16, 85),
	};

	ev[0].uid = 1000;
	assert_string_equal(render(&o, ev, 2),
			    "UID   COMM           PID     LAT(ms) PAGES\n"
			    "1000  summond        17678      0.32    46\n"
			    "0     base64         17816      0.16    85\n");
}

static void test_free_column(void **state)
{
	struct dr_options o = { .free_mem = true };
	struct dr_event ev[] = {
		stall("base64", 34924, 0.23, 151),
		stall("head", 34963, 0.19, 151),
	};

	ev[0].free_pages = 86260 / 4;
	ev[1].free_pages = 86228 / 4;
	ev[0].fields |= DR_HAS_FREE;
	ev[1].fields |= DR_HAS_FREE | DR_FREE_APPROX;
	assert_string_equal(render(&o, ev, 2),
			    "COMM           PID     LAT(ms) PAGES  FREE(KB)\n"
			    "base64         34924      0.23   151     86260\n"
			    "head           34963      0.19   151     86228\n");
}

static void test_tid_and_unknowns(void **state)
{
	struct dr_options o = { .has_tid = true,
				.tid = 4242,
				.print_uid = true,
				.free_mem = true };
	struct dr_event ev[] = { stall("kworker/u4:2-events", 4200, 1.005, 7) };

	ev[0].tid = 4242;
	ev[0].fields = DR_HAS_COMM;
	assert_string_equal(
		render(&o, ev, 1),
		"UID   COMM           TID     LAT(ms) PAGES  FREE(KB)\n"
		"-     kworker/u4:2-e 4242       1.00     7         -\n");
}

static void test_all_columns(void **state)
{
	struct dr_options o = { .timestamp = true,
				.print_uid = true,
				.free_mem = true };
	struct dr_event ev[] = { stall("drpressure", 5, 12.5, 1234) };

	ev[0].uid = 65534;
	ev[0].free_pages = 100;
	ev[0].fields |= DR_HAS_FREE;
	assert_string_equal(
		render(&o, ev, 1),
		"TIME(s)       UID   COMM           PID     LAT(ms) "
		"PAGES  FREE(KB)\n"
		"0.000000000   65534 drpressure     5         12.50  "
		"1234       400\n");
}

/* The pipeline filters before it prints and counts what it dropped. */
static void test_pipeline_filters(void **state)
{
	struct dr_options o = { .name = "mond" };
	struct dr_event ev[] = {
		stall("summond", 10271, 0.03, 51),
		stall("head", 10272, 0.03, 51),
	};
	struct dr_pipeline p;
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	int i;

	pipeline_init(&p, &o, f, 4);
	for (i = 0; i < 2; i++)
		assert_int_equal(p.sink.event(&p.sink, &ev[i]), 0);
	fclose(f);
	assert_int_equal(p.shown, 1);
	assert_string_equal(buf, "summond        10271      0.03    51\n");
}

/* -g: ORDER and GFP; without names (none handed over) GFP is hex. */
static void test_gfp_columns(void **state)
{
	struct dr_options o = { .gfp = true };
	struct dr_event ev[] = { stall("drpressure", 5, 0.5, 32),
				 stall("x", 6, 0.5, 1) };

	ev[0].order = 9;
	ev[0].gfp_flags = 0x346cca;
	ev[0].fields |= DR_HAS_ORDER | DR_HAS_GFP;
	assert_string_equal(
		render(&o, ev, 2),
		"COMM           PID     LAT(ms) PAGES ORDER GFP\n"
		"drpressure     5          0.50    32     9 0x346cca\n"
		"x              6          0.50     1     - -\n");
}

/* --memcg: KIND and CGROUP (unknown here: no tree); memcg stalls pass. */
static void test_memcg_columns(void **state)
{
	struct dr_options o = { .memcg = true };
	struct dr_event ev[] = { stall("cat", 5, 0.07, 640),
				 stall("cat", 5, 0.11, 528),
				 stall("cat", 5, 0.09, 32) };

	ev[1].kind = DR_KIND_MEMCG;
	ev[2].kind = DR_KIND_MEMCG_SOFTLIMIT;
	assert_string_equal(
		render(&o, ev, 3),
		"COMM           PID     LAT(ms) PAGES KIND      CGROUP\n"
		"cat            5          0.07   640 direct    -\n"
		"cat            5          0.11   528 memcg     -\n"
		"cat            5          0.09    32 softlimit -\n");
}

/* Without --memcg, memcg stalls (from a recording) are not shown. */
static void test_memcg_filtered(void **state)
{
	struct dr_options o = { 0 };
	struct dr_event e = stall("cat", 5, 0.07, 640);
	struct dr_pipeline p;
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	pipeline_init(&p, &o, f, 4);
	e.kind = DR_KIND_MEMCG_SOFTLIMIT;
	assert_int_equal(p.sink.event(&p.sink, &e), 0);
	fclose(f);
	assert_int_equal(p.shown, 0);
	assert_int_equal(p.out.summary.cap_line.seen[DR_KIND_MEMCG_SOFTLIMIT],
			 1);
	output_free(&p.out);
}

/* A throttle of pid 5 for lat_ms (reason: writeback), nested or not. */
static struct dr_event throttle(double lat_ms, bool nested, uint32_t outer)
{
	struct dr_event e = stall("dd", 5, lat_ms, 0);

	e.kind = DR_KIND_THROTTLE;
	e.reason = 1;
	e.outer_kind = outer;
	if (nested)
		e.fields |= DR_NESTED;
	return e;
}

/* --throttle: KIND and REASON; PAGES is "-" for a throttle. */
static void test_throttle_columns(void **state)
{
	struct dr_options o = { .throttle = true };
	struct dr_event ev[] = { stall("dd", 5, 1.0, 32),
				 throttle(0.1, true, DR_KIND_DIRECT) };

	assert_string_equal(
		render(&o, ev, 2),
		"COMM           PID     LAT(ms) PAGES KIND      REASON\n"
		"dd             5          1.00    32 direct    -\n"
		"dd             5          0.10     - throttle  writeback\n");
	o.memcg = true;
	ev[1].reason = 5;
	assert_string_equal(render(&o, ev, 2),
			    "COMM           PID     LAT(ms) PAGES KIND      "
			    "REASON     CGROUP\n"
			    "dd             5          1.00    32 direct    "
			    "-          -\n"
			    "dd             5          0.10     - throttle  "
			    "writeback|noprogress -\n");
}

/* -j --throttle: the reason, and the reclaim it slept in. */
static void test_throttle_json(void **state)
{
	struct dr_options o = { .json = true, .throttle = true };
	struct dr_event ev[] = { throttle(2.0, true, DR_KIND_MEMCG) };

	assert_string_equal(
		render(&o, ev, 1),
		"{\"begin_ns\":1000000000,\"end_ns\":1002000000,"
		"\"lat_ns\":2000000,\"lat_ms\":2.000000,"
		"\"comm\":\"dd\",\"pid\":5,\"tid\":5,"
		"\"uid\":0,\"pages\":null,\"free_kb\":null,"
		"\"free_approx\":false,\"order\":null,\"gfp_flags\":null,"
		"\"gfp\":null,\"kind\":\"throttle\",\"reason\":\"writeback\","
		"\"nested_in\":\"memcg\",\"cgroup_id\":null,"
		"\"cgroup\":null}\n");
}

/* A compaction attempt of pid 7 for lat_ms, order 9, result "complete". */
static struct dr_event compaction(double lat_ms)
{
	struct dr_event e = stall("thp", 7, lat_ms, 0);

	e.kind = DR_KIND_COMPACT;
	e.reason = COMPACT_RESULT_COMPLETE;
	e.order = 9;
	e.fields |= DR_HAS_ORDER;
	return e;
}

/*
 * --compaction: KIND and REASON, the attempt's result as the kernel's
 * tracepoints name it; PAGES "-". --high: a penalty's PAGES are its
 * reclaims'.
 */
static void test_compact_columns(void **state)
{
	struct dr_options o = { .compaction = true, .high = true };
	struct dr_event ev[] = { compaction(3.5), stall("thp", 7, 1.0, 32),
				 stall("svc", 8, 20.0, 12) };

	ev[2].kind = DR_KIND_HIGH;
	assert_string_equal(
		render(&o, ev, 3),
		"COMM           PID     LAT(ms) PAGES KIND      REASON\n"
		"thp            7          3.50     - compact   complete\n"
		"thp            7          1.00    32 direct    -\n"
		"svc            8         20.00    12 high      -\n");
}

/* -j --compaction: the result, and got_page where the outcome is known. */
static void test_compact_json(void **state)
{
	struct dr_options o = { .json = true, .compaction = true };
	struct dr_event ev[] = { compaction(2.0), compaction(1.0) };

	ev[1].fields |= DR_HAS_OUTCOME | DR_GOT_PAGE;
	ev[1].reason = COMPACT_RESULT_SUCCESS;
	assert_non_null(strstr(render(&o, ev, 2),
			       "\"pages\":null,\"free_kb\":null,"
			       "\"free_approx\":false,\"order\":9,"
			       "\"gfp_flags\":null,\"gfp\":null,"
			       "\"kind\":\"compact\",\"reason\":\"complete\","
			       "\"got_page\":null,"));
	assert_non_null(strstr(buf, "\"reason\":\"success\","
				    "\"got_page\":true,"));
}

/* Events through the pipeline with -s and options o; the summary. */
static const char *summarize(struct dr_options *o, const struct dr_event *ev,
			     int n)
{
	struct dr_pipeline p;
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	int i;

	o->summary = true;
	pipeline_init(&p, o, f, 4);
	for (i = 0; i < n; i++)
		assert_int_equal(p.sink.event(&p.sink, &ev[i]), 0);
	assert_int_equal(output_finish(&p.out), 0);
	fclose(f);
	output_free(&p.out);
	return buf;
}

/*
 * -s --throttle: a throttle inside a direct reclaim is in that reclaim's
 * time, told apart, not added; one inside a memcg reclaim that is not
 * shown (no --memcg) is a stall of its own. 1.00 + 0.30 ms in the table.
 */
static void test_throttle_summary(void **state)
{
	struct dr_options o = { .throttle = true };
	struct dr_event ev[] = { throttle(0.2, true, DR_KIND_DIRECT),
				 stall("dd", 5, 1.0, 32),
				 throttle(0.3, true, DR_KIND_MEMCG) };
	const char *s = summarize(&o, ev, 3);

	assert_non_null(
		strstr(s, "dd             5             2"
			  "         1.30       0.65       1.00       32\n"));
	assert_non_null(strstr(s, "of which throttled: 1 sleeps, 0.20 ms"));
	assert_non_null(strstr(s, "capture: 1 direct, 0 memcg, 0 softlimit, "
				  "2 throttle stalls seen"));
	/* With --memcg, the second is nested too: 1.00 ms alone. */
	o = (struct dr_options){ .throttle = true, .memcg = true };
	s = summarize(&o, ev, 3);
	assert_non_null(
		strstr(s, "dd             5             1"
			  "         1.00       1.00       1.00       32\n"));
	assert_non_null(strstr(s, "of which throttled: 2 sleeps, 0.50 ms"));
}

/*
 * -s --compaction: the capture line counts the attempts, the outcomes
 * seen and the background zone compactions the backend reported.
 */
static void test_compact_capture(void **state)
{
	struct dr_options o = { .compaction = true };
	struct dr_event ev[] = { compaction(2.0), compaction(1.0),
				 stall("thp", 7, 1.0, 32) };
	struct dr_pipeline p;
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	int i;

	ev[0].fields |= DR_HAS_OUTCOME;
	ev[1].fields |= DR_HAS_OUTCOME | DR_GOT_PAGE;
	o.summary = true;
	pipeline_init(&p, &o, f, 4);
	p.sink.background(&p.sink, 3);
	for (i = 0; i < 3; i++)
		assert_int_equal(p.sink.event(&p.sink, &ev[i]), 0);
	assert_int_equal(output_finish(&p.out), 0);
	fclose(f);
	output_free(&p.out);
	assert_non_null(strstr(buf, "capture: 1 direct, 0 memcg, 0 softlimit, "
				    "2 compact stalls seen; allocstall not "
				    "read; attempts that got their page 1, "
				    "did not 1; 3 background zone "
				    "compactions; 0 stalls lost\n"));
}

/* A kind the backend cannot trace is said once and left out. */
static void test_untraced(void **state)
{
	struct dr_options o = { .high = true, .compaction = true };
	struct dr_pipeline p;
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	pipeline_init(&p, &o, f, 4);
	p.sink.untraced(&p.sink, DR_KIND_HIGH, "no kprobes");
	assert_int_equal(p.kinds, DR_KIND_BIT(DR_KIND_DIRECT) |
					  DR_KIND_BIT(DR_KIND_COMPACT));
	assert_int_equal(p.out.summary.cap_line.kinds, p.kinds);
	fclose(f);
	output_free(&p.out);
}

/*
 * --folded --throttle: a throttle folds under a frame of its own; one
 * nested in a reclaim is in that reclaim's line already, and left out.
 */
static void test_throttle_folded(void **state)
{
	struct dr_options o = { .folded = true,
				.kernel_stack = true,
				.throttle = true };
	struct dr_event ev[] = { throttle(0.2, false, 0),
				 throttle(0.3, true, DR_KIND_DIRECT),
				 throttle(0.05, false, 0) };
	struct dr_output out;
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	int i;

	output_init(&out, f, &o, 4);
	for (i = 0; i < 3; i++)
		assert_int_equal(output_event(&out, &ev[i]), 0);
	assert_int_equal(output_finish(&out), 0);
	fclose(f);
	output_free(&out);
	assert_string_equal(buf, "dd;[throttle] 250\n");
}

/* --folded --compaction: an attempt folds under [compact]. */
static void test_compact_folded(void **state)
{
	struct dr_options o = { .folded = true,
				.kernel_stack = true,
				.compaction = true };
	struct dr_event e = compaction(1.5);
	struct dr_output out;
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	output_init(&out, f, &o, 4);
	assert_int_equal(output_event(&out, &e), 0);
	assert_int_equal(output_finish(&out), 0);
	fclose(f);
	output_free(&out);
	assert_string_equal(buf, "thp;[compact] 1500\n");
}

/* -j: every field, typed; unknowns are null. */
static void test_json_line(void **state)
{
	struct dr_options o = { .json = true };
	struct dr_event ev[] = { stall("a\"b\\c\x01", 42, 1.5, 7) };

	ev[0].tid = 43;
	ev[0].fields &= ~DR_HAS_UID;
	ev[0].order = 0;
	ev[0].gfp_flags = 0xcc0;
	ev[0].fields |= DR_HAS_ORDER | DR_HAS_GFP;
	ev[0].kind = DR_KIND_MEMCG;
	assert_string_equal(
		render(&o, ev, 1),
		"{\"begin_ns\":1000000000,\"end_ns\":1001500000,"
		"\"lat_ns\":1500000,\"lat_ms\":1.500000,"
		"\"comm\":\"a\\\"b\\\\c\\u0001\",\"pid\":42,\"tid\":43,"
		"\"uid\":null,\"pages\":7,\"free_kb\":null,"
		"\"free_approx\":false,\"order\":0,\"gfp_flags\":3264,"
		"\"gfp\":\"0xcc0\",\"kind\":\"memcg\",\"cgroup_id\":null,"
		"\"cgroup\":null}\n");
}

/* -s alone: no header, no lines; the summary at output_finish(). */
static void test_summary_mode(void **state)
{
	struct dr_options o = { .summary = true };
	struct dr_event e = stall("x", 1, 1, 1);
	struct dr_output out;
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	output_init(&out, f, &o, 4);
	assert_int_equal(output_header(&out), 0);
	assert_int_equal(output_event(&out, &e), 0);
	assert_int_equal(ftell(f), 0);
	assert_int_equal(output_finish(&out), 0);
	fclose(f);
	output_free(&out);
	assert_non_null(strstr(buf, "\nx              1             1 "));
}

/*
 * -s --interval: each interval's summary holds that interval's stalls
 * only, one blank line apart; the last, partial one comes at exit.
 */
static void test_summary_intervals(void **state)
{
	struct dr_options o = { .summary = true, .interval = 1 };
	struct dr_event a = stall("first", 1, 1, 1),
			b = stall("second", 2, 2, 2);
	struct dr_pipeline p;
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	const char *second;

	pipeline_init(&p, &o, f, 4);
	assert_int_equal(p.sink.event(&p.sink, &a), 0);
	assert_int_equal(p.sink.event(&p.sink, &a), 0);
	assert_int_equal(pipeline_tick(&p, 999), 0);
	assert_int_equal(ftell(f), 0);
	assert_int_equal(pipeline_tick(&p, 1000), 0);
	p.sink.lost(&p.sink, 3);
	assert_int_equal(p.sink.event(&p.sink, &b), 0);
	assert_int_equal(pipeline_tick(&p, 1999), 0);
	assert_int_equal(pipeline_finish(&p), 0);
	fclose(f);
	second = strstr(buf, "memory PSI not read\n\nCOMM");
	assert_non_null(second);
	assert_non_null(strstr(buf, "first          1             2 "));
	assert_true(strstr(buf, "second") > second); /* not before */
	assert_non_null(strstr(buf, "capture: 2 direct, 0 memcg, 0 softlimit "
				    "stalls seen; allocstall not read; "
				    "0 stalls lost\n"));
	assert_null(strstr(second, "first"));
	assert_non_null(strstr(second, "second         2             1 "));
	assert_non_null(strstr(second, "capture: 1 direct, 0 memcg, 0 "
				       "softlimit stalls seen; allocstall not "
				       "read; 3 stalls lost\n"));
}

/* With -j, one summary object per interval. */
static void test_summary_intervals_json(void **state)
{
	struct dr_options o = { .summary = true, .json = true, .interval = 2 };
	struct dr_event a = stall("x", 1, 1, 1);
	struct dr_pipeline p;
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	const char *c;
	int lines = 0;

	pipeline_init(&p, &o, f, 4);
	assert_int_equal(p.sink.event(&p.sink, &a), 0);
	assert_int_equal(pipeline_tick(&p, 2000), 0);
	assert_int_equal(pipeline_tick(&p, 4100), 0);
	assert_int_equal(pipeline_finish(&p), 0);
	fclose(f);
	assert_memory_equal(buf, "{\"summary\":{\"stalls\":1,", 23);
	assert_non_null(strstr(buf, "}}\n{\"summary\":{\"stalls\":0,"
				    "\"processes\":[],"));
	for (c = buf; (c = strchr(c, '\n')); c++)
		lines++;
	assert_int_equal(lines, 3); /* two ends of interval, and exit */
}

/*
 * The text columns are formatted without printf: each line must still be
 * printf's, for latencies and times on and around every rounding tie.
 */
static void check_line(const struct dr_event *e, uint64_t first_us,
		       const char *comm)
{
	struct dr_options o = { .timestamp = true, .free_mem = true };
	struct dr_output out;
	uint64_t end_us = dr_event_end_ns(e) / 1000;
	char want[256], got[256];
	FILE *f = fmemopen(got, sizeof(got), "w");

	output_init(&out, f, &o, 4);
	out.batch = true;
	out.first_us = first_us;
	out.started = true;
	assert_int_equal(output_event(&out, e), 0);
	fclose(f);
	snprintf(want, sizeof(want), "%-14.9f%-14.14s %-6u %8.2f %5llu%10llu\n",
		 (double)(end_us - first_us) / 1e6, comm, e->pid,
		 (double)e->lat_ns / 1e6, (unsigned long long)e->nr_reclaimed,
		 (unsigned long long)e->free_pages * 4);
	assert_string_equal(got, want);
}

static void test_numbers_like_printf(void **state)
{
	static const uint64_t scales[] = { 1,
					   10,
					   10000,
					   1000000,
					   1000000000ULL,
					   1000000000000ULL,
					   999999999999999ULL,
					   1000000000000000ULL,
					   9007199254740993ULL };
	struct dr_event e = stall("a-comm-longer-than-14", 1, 0, 0);
	uint64_t seed = 1, base, lat;
	size_t i;
	int d;

	e.fields |= DR_HAS_FREE;
	for (i = 0; i < ARRAY_SIZE(scales); i++) {
		for (d = -20000; d <= 20000; d++) {
			/* Ties x.xx5 ms, and both sides of them. */
			base = scales[i] - scales[i] % 10000 + 5000;
			lat = base + d;
			seed = seed * 6364136223846793005ULL +
			       1442695040888963407ULL;
			e.lat_ns = lat;
			e.begin_ns = 0;
			e.nr_reclaimed = seed >> 40;
			e.free_pages = seed >> (seed & 63);
			e.pid = seed >> 32;
			check_line(&e, 0, "a-comm-longer-");
		}
	}
	for (i = 0; i < 200000; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		e.lat_ns = seed >> (seed & 31);
		e.begin_ns = seed >> 12;
		if (e.lat_ns > UINT64_MAX - e.begin_ns)
			continue;
		check_line(&e, (seed >> 20) % 1000000, "a-comm-longer-");
	}
	(void)state;
}

static void test_write_error(void **state)
{
	struct dr_options o = { 0 };
	struct dr_output out;
	struct dr_event e = stall("x", 1, 1, 1);
	FILE *f = fopen("/dev/full", "w");

	assert_non_null(f);
	output_init(&out, f, &o, 4);
	assert_true(output_event(&out, &e) < 0);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default),
		cmocka_unit_test(test_timestamp),
		cmocka_unit_test(test_uid),
		cmocka_unit_test(test_free_column),
		cmocka_unit_test(test_tid_and_unknowns),
		cmocka_unit_test(test_all_columns),
		cmocka_unit_test(test_pipeline_filters),
		cmocka_unit_test(test_gfp_columns),
		cmocka_unit_test(test_memcg_columns),
		cmocka_unit_test(test_memcg_filtered),
		cmocka_unit_test(test_throttle_columns),
		cmocka_unit_test(test_throttle_json),
		cmocka_unit_test(test_throttle_summary),
		cmocka_unit_test(test_throttle_folded),
		cmocka_unit_test(test_json_line),
		cmocka_unit_test(test_summary_mode),
		cmocka_unit_test(test_summary_intervals),
		cmocka_unit_test(test_summary_intervals_json),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test(test_numbers_like_printf),
		cmocka_unit_test(test_compact_columns),
		cmocka_unit_test(test_compact_json),
		cmocka_unit_test(test_compact_capture),
		cmocka_unit_test(test_untraced),
		cmocka_unit_test(test_compact_folded),
	};

	return cmocka_run_group_tests_name("output", tests, NULL, NULL);
}
