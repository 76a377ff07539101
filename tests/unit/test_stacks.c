// SPDX-License-Identifier: GPL-2.0
/*
 * Stacks in every output: the frames under a text line, JSON's kstack
 * and ustack, -s's top stacks and --folded's lines, against golden text;
 * kernel frames named by a table handed over as a recording's would be,
 * user frames of a recording shown as addresses.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "src/output/output.h"

static char buf[16384];

static const char kallsyms[] =
	"ffffffff81000000 T try_to_free_pages\n"
	"ffffffff81000100 T __alloc_pages_slowpath\n"
	"ffffffff81000200 T do_huge_pmd_anonymous_page\n"
	"ffffffff81000300 T vfs_write\n"
	"ffffffff81000400 T bpf_trace_run2\n"
	"ffffffff81000500 T __traceiter_mm_vmscan_direct_reclaim_begin\n"
	"ffffffff81000600 t "
	"trace_event_raw_event_mm_vmscan_direct_reclaim_begin_template\n"
	"ffffffffc0000000 t bpf_prog_1_direct_begin_fast\t[bpf]\n";

/* Two paths: the THP fault (twice, different offsets) and a write. */
static const uint64_t thp[] = { 0xffffffff81000010, 0xffffffff81000120,
				0xffffffff81000230 };
static const uint64_t thp2[] = { 0xffffffff81000010, 0xffffffff81000120,
				 0xffffffff81000240 };
static const uint64_t wr[] = { 0xffffffff81000010, 0xffffffff81000120,
			       0xffffffff81000310 };
static const uint64_t user[] = { 0x401000, 0x402000 };

static struct dr_event stall(const uint64_t *k, uint32_t nk, uint64_t lat_us)
{
	struct dr_event e = {
		.lat_ns = lat_us * 1000,
		.nr_reclaimed = 10,
		.pid = 42,
		.tid = 42,
		.comm = "drpressure",
		.fields = DR_HAS_PID | DR_HAS_COMM | DR_HAS_KSTACK |
			  DR_HAS_USTACK,
		.kstack = k,
		.kstack_nr = nk,
		.ustack = user,
		.ustack_nr = 2,
	};

	return e;
}

static const char *render(const struct dr_options *o, const struct dr_event *ev,
			  int n)
{
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	struct dr_output out;
	int i;

	output_init(&out, f, o, 4);
	stacks_set_ksyms(&out.stacks, ksyms_parse(kallsyms, strlen(kallsyms)));
	assert_int_equal(output_header(&out), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(output_event(&out, &ev[i]), 0);
	assert_int_equal(output_finish(&out), 0);
	output_free(&out);
	fclose(f);
	return buf;
}

static void test_text_kernel(void **state)
{
	struct dr_options o = { .kernel_stack = true };
	struct dr_event e[] = { stall(thp, 3, 80), stall(wr, 3, 50) };

	e[1].fields &= ~DR_HAS_KSTACK;
	assert_string_equal(render(&o, e, 2),
			    "COMM           PID     LAT(ms) PAGES\n"
			    "drpressure     42         0.08    10\n"
			    "    try_to_free_pages+0x10\n"
			    "    __alloc_pages_slowpath+0x20\n"
			    "    do_huge_pmd_anonymous_page+0x30\n"
			    "\n"
			    "drpressure     42         0.05    10\n"
			    "\n");
}

/*
 * The tracer's own frames (a BPF program, bpf_trace_run2, the
 * tracepoint's iterator) are dropped from the top of the stack only.
 */
static void test_tracer_frames(void **state)
{
	static const uint64_t k[] = { 0xffffffffc0000010, 0xffffffff81000410,
				      0xffffffff81000510, 0xffffffff81000010,
				      0xffffffff81000410 };
	struct dr_options o = { .kernel_stack = true };
	struct dr_event e = stall(k, 5, 50);

	assert_string_equal(render(&o, &e, 1),
			    "COMM           PID     LAT(ms) PAGES\n"
			    "drpressure     42         0.05    10\n"
			    "    try_to_free_pages+0x10\n"
			    "    bpf_trace_run2+0x10\n"
			    "\n");
}

/* ftrace's stacks start in its event glue, then maybe the iterator. */
static void test_ftrace_frames(void **state)
{
	static const uint64_t k[] = { 0xffffffff81000610, 0xffffffff81000510,
				      0xffffffff81000010, 0xffffffff81000120 };
	struct dr_options o = { .kernel_stack = true };
	struct dr_event e = stall(k, 4, 50);

	assert_string_equal(render(&o, &e, 1),
			    "COMM           PID     LAT(ms) PAGES\n"
			    "drpressure     42         0.05    10\n"
			    "    try_to_free_pages+0x10\n"
			    "    __alloc_pages_slowpath+0x20\n"
			    "\n");
}

/* A recording's user stack: addresses, never names from this machine. */
static void test_text_both(void **state)
{
	struct dr_options o = { .kernel_stack = true, .user_stack = true };
	struct dr_event e = stall(wr, 3, 50);

	assert_string_equal(render(&o, &e, 1),
			    "COMM           PID     LAT(ms) PAGES\n"
			    "drpressure     42         0.05    10\n"
			    "    try_to_free_pages+0x10\n"
			    "    __alloc_pages_slowpath+0x20\n"
			    "    vfs_write+0x10\n"
			    "    --\n"
			    "    [unknown] 0x401000\n"
			    "    [unknown] 0x402000\n"
			    "\n");
}

static void test_json(void **state)
{
	struct dr_options o = { .kernel_stack = true, .json = true };
	struct dr_event e[] = { stall(thp, 2, 80), stall(thp, 2, 80) };
	const char *got;

	e[1].fields &= ~DR_HAS_KSTACK;
	got = render(&o, e, 2);
	assert_non_null(strstr(got, ",\"kstack\":[\"try_to_free_pages+0x10\","
				    "\"__alloc_pages_slowpath+0x20\"],"
				    "\"ustack\":null}\n{"));
	assert_non_null(strstr(got, "\"kstack\":null,\"ustack\":null}\n"));
}

/* --folded: functions only, outermost first, user before kernel, in us. */
static void test_folded(void **state)
{
	struct dr_options o = { .kernel_stack = true,
				.user_stack = true,
				.folded = true };
	struct dr_event e[] = { stall(thp, 3, 80), stall(thp2, 3, 20),
				stall(wr, 3, 50) };

	e[2].comm[3] = ';';
	assert_string_equal(
		render(&o, e, 3),
		"drpressure;[unknown] 0x402000;[unknown] 0x401000;"
		"do_huge_pmd_anonymous_page;__alloc_pages_slowpath;"
		"try_to_free_pages 100\n"
		"drp:essure;[unknown] 0x402000;[unknown] 0x401000;vfs_write;"
		"__alloc_pages_slowpath;try_to_free_pages 50\n");
}

/* -s: the top stacks after the table, their totals adding up. */
static void test_summary(void **state)
{
	struct dr_options o = { .kernel_stack = true, .summary = true };
	struct dr_event e[] = { stall(thp, 3, 80), stall(thp, 3, 20),
				stall(wr, 3, 50) };
	const char *got = render(&o, e, 3);

	assert_non_null(strstr(got,
			       "\ntop stacks by total stall time "
			       "(2 distinct):\n"
			       "  STALLS    TOTAL(ms)    AVG(ms)    MAX(ms)\n"
			       "       2         0.10       0.05       0.08\n"
			       "    try_to_free_pages+0x10\n"
			       "    __alloc_pages_slowpath+0x20\n"
			       "    do_huge_pmd_anonymous_page+0x30\n"
			       "       1         0.05       0.05       0.05\n"
			       "    try_to_free_pages+0x10\n"
			       "    __alloc_pages_slowpath+0x20\n"
			       "    vfs_write+0x10\n"
			       "\n"));
}

/* Past the top ten, one line sums the rest. */
static void test_summary_others(void **state)
{
	struct dr_options o = { .kernel_stack = true, .summary = true };
	uint64_t k[12][1];
	struct dr_event e[12];
	int i;

	for (i = 0; i < 12; i++) {
		k[i][0] = 0xffffffff81000000 + i;
		e[i] = stall(k[i], 1, 100 - i);
	}
	assert_non_null(strstr(render(&o, e, 12),
			       "    try_to_free_pages+0x9\n"
			       "       2         0.18       0.09       0.09\n"
			       "    [2 other stacks]\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_kernel),
		cmocka_unit_test(test_text_both),
		cmocka_unit_test(test_tracer_frames),
		cmocka_unit_test(test_ftrace_frames),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_folded),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_summary_others),
	};

	return cmocka_run_group_tests_name("stacks", tests, NULL, NULL);
}
