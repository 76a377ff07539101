// SPDX-License-Identifier: GPL-2.0
/*
 * The ftrace backend's decoding, without tracefs: sub-buffers built by hand
 * in the ring buffer's layout, decoded with the formats of Linux 6.18 (print
 * fmt shortened) and with an older layout whose fields sit elsewhere. Checks
 * fields by name (a field declared as an array is no number), merging of
 * CPUs in timestamp order, held-back records and lost-event markers; and
 * the backend's drain of fake CPU buffers, merged with a bounded
 * read-ahead, with a loss placed before the other CPUs' events it may have
 * split a stall with.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "fallback/ftrace/ftrace_backend.h"
#include "fallback/ftrace/ftrace_decode.h"
#include "src/sys/tracelibs.h"

#define HEADER_PAGE                                                            \
	"\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n"             \
	"\tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;\n"            \
	"\tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;\n"             \
	"\tfield: char data;\toffset:16;\tsize:4080;\tsigned:0;\n"

#define COMMON_FIELDS                                                          \
	"format:\n"                                                            \
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n" \
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n" \
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;"      \
	"\tsigned:0;\n"                                                        \
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"

/* Linux 6.18 */
static const char begin_new[] =
	"name: mm_vmscan_direct_reclaim_begin\nID: 637\n" COMMON_FIELDS
	"\tfield:int order;\toffset:8;\tsize:4;\tsigned:1;\n"
	"\tfield:unsigned long gfp_flags;\toffset:16;\tsize:8;\tsigned:0;\n\n"
	"print fmt: \"order=%d gfp_flags=%lx\", REC->order, REC->gfp_flags\n";

/* An older layout (may_writepage, classzone_idx) with a 4-byte gfp_t. */
static const char begin_old[] =
	"name: mm_vmscan_direct_reclaim_begin\nID: 637\n" COMMON_FIELDS
	"\tfield:int order;\toffset:8;\tsize:4;\tsigned:1;\n"
	"\tfield:int may_writepage;\toffset:12;\tsize:4;\tsigned:1;\n"
	"\tfield:gfp_t gfp_flags;\toffset:16;\tsize:4;\tsigned:0;\n"
	"\tfield:int classzone_idx;\toffset:20;\tsize:4;\tsigned:1;\n\n"
	"print fmt: \"order=%d gfp_flags=%x\", REC->order, REC->gfp_flags\n";

/* gfp_flags declared as an array, whatever its size: not a number. */
static const char begin_array[] =
	"name: mm_vmscan_direct_reclaim_begin\nID: 637\n" COMMON_FIELDS
	"\tfield:int order;\toffset:8;\tsize:4;\tsigned:1;\n"
	"\tfield:u32 gfp_flags[2];\toffset:16;\tsize:8;\tsigned:0;\n\n"
	"print fmt: \"order=%d\", REC->order\n";

static const char end_fmt[] =
	"name: mm_vmscan_direct_reclaim_end\nID: 634\n" COMMON_FIELDS
	"\tfield:unsigned long nr_reclaimed;\toffset:8;\tsize:8;\tsigned:0;\n\n"
	"print fmt: \"nr_reclaimed=%lu\", REC->nr_reclaimed\n";

#define MISSED_EVENTS (1UL << 31)
#define MISSED_STORED (1UL << 30)

/* A sub-buffer under construction: header, then events. */
struct page {
	unsigned char buf[4096];
	size_t len; /* bytes of data after the 16-byte header */
	uint64_t last_ts;
};

static struct ftrace_decoder dec;
static struct time_queue queue; /* of struct ftrace_rec */
static struct ftrace_rec seen[16];
static int nr_seen;

static void page_init(struct page *p, uint64_t ts)
{
	memset(p, 0, sizeof(*p));
	memcpy(p->buf, &ts, sizeof(ts));
	p->last_ts = ts;
}

static void page_add(struct page *p, uint64_t ts, const void *payload,
		     size_t size)
{
	uint32_t head = (uint32_t)(size / 4) | (uint32_t)(ts - p->last_ts) << 5;

	memcpy(p->buf + 16 + p->len, &head, sizeof(head));
	memcpy(p->buf + 20 + p->len, payload, size);
	p->len += 4 + size;
	p->last_ts = ts;
}

static void page_finish(struct page *p, long missed)
{
	uint64_t commit = p->len;

	if (missed > 0) {
		memcpy(p->buf + 16 + p->len, &missed, sizeof(missed));
		commit |= MISSED_EVENTS | MISSED_STORED;
	} else if (missed < 0) {
		commit |= MISSED_EVENTS;
	}
	memcpy(p->buf + 8, &commit, sizeof(commit));
}

static void add_begin(struct page *p, uint64_t ts, int32_t tid, bool old)
{
	unsigned char e[24] = { 0 };
	uint16_t type = 637;
	int32_t order = 9;
	uint64_t gfp = 0x140dca;
	uint32_t gfp32 = 0x140dca;

	memcpy(e, &type, 2);
	memcpy(e + 4, &tid, 4);
	memcpy(e + 8, &order, 4);
	if (old)
		memcpy(e + 16, &gfp32, 4);
	else
		memcpy(e + 16, &gfp, 8);
	page_add(p, ts, e, sizeof(e));
}

static void add_end(struct page *p, uint64_t ts, int32_t tid, uint64_t nr)
{
	unsigned char e[16] = { 0 };
	uint16_t type = 634;

	memcpy(e, &type, 2);
	memcpy(e + 4, &tid, 4);
	memcpy(e + 8, &nr, 8);
	page_add(p, ts, e, sizeof(e));
}

static char why[256];

static int init_decoder(const char *begin)
{
	struct ftrace_formats f = {
		.header_page = strdup(HEADER_PAGE),
		.header_len = sizeof(HEADER_PAGE) - 1,
		.begin = strdup(begin),
		.begin_len = strlen(begin),
		.end = strdup(end_fmt),
		.end_len = sizeof(end_fmt) - 1,
	};
	int err = ftrace_decoder_init(&dec, &f, why, sizeof(why));

	free(f.header_page);
	free(f.begin);
	free(f.end);
	nr_seen = 0;
	time_queue_init(&queue, sizeof(struct ftrace_rec));
	return err;
}

static int setup_new(void **state)
{
	return init_decoder(begin_new);
}

static int setup_old(void **state)
{
	return init_decoder(begin_old);
}

/* The decoder calls libtraceevent through the pointers this resolves. */
static int load_libraries(void **state)
{
	char why[256];

	return tracelibs_load_tracefs(why, sizeof(why));
}

static int teardown(void **state)
{
	time_queue_free(&queue);
	ftrace_decoder_free(&dec);
	return 0;
}

static int record(const void *rec, void *ctx)
{
	const struct ftrace_rec *r = rec;

	if (nr_seen < 16)
		seen[nr_seen++] = *r;
	return 0;
}

/* A sub-buffer read from cpu after its event stamped lost_after. */
static void decode_after(struct page *p, uint32_t cpu, uint64_t lost_after)
{
	uint64_t last = 0;

	assert_int_equal(ftrace_decode_subbuf(&dec, p->buf, cpu, lost_after,
					      &queue, &last),
			 0);
	assert_int_equal(last, p->last_ts);
}

static void decode(struct page *p, uint32_t cpu)
{
	decode_after(p, cpu, 0);
}

static void check_fields(bool old)
{
	struct page p;

	page_init(&p, 1000);
	add_begin(&p, 1000, 42, old);
	add_end(&p, 1500, 42, 512);
	page_finish(&p, 0);
	decode(&p, 0);
	assert_int_equal(time_queue_flush(&queue, UINT64_MAX, record, NULL), 0);
	assert_int_equal(nr_seen, 2);
	assert_int_equal(seen[0].type, FTRACE_REC_VMSCAN);
	assert_int_equal(seen[0].v.type, VMSCAN_BEGIN);
	assert_int_equal(seen[0].stamp.ts, 1000);
	assert_int_equal(seen[0].v.tid, 42);
	assert_int_equal(seen[0].v.order, 9);
	assert_int_equal(seen[0].v.value, 0x140dca);
	assert_int_equal(seen[1].type, FTRACE_REC_VMSCAN);
	assert_int_equal(seen[1].v.type, VMSCAN_END);
	assert_int_equal(seen[1].stamp.ts, 1500);
	assert_int_equal(seen[1].v.value, 512);
}

static void test_fields_new_layout(void **state)
{
	check_fields(false);
}

static void test_fields_old_layout(void **state)
{
	check_fields(true);
}

static void test_array_field_refused(void **state)
{
	assert_int_equal(init_decoder(begin_array), -1);
	assert_string_equal(why, "field 'gfp_flags' of event "
				 "'vmscan:mm_vmscan_direct_reclaim_begin' is "
				 "not a number");
	time_queue_free(&queue);
}

/* A task that migrates: its end is read (CPU 1) before its begin (CPU 0). */
static void test_cpus_merged_in_time_order(void **state)
{
	struct page cpu0, cpu1;

	page_init(&cpu1, 2000);
	add_end(&cpu1, 2000, 7, 32);
	page_finish(&cpu1, 0);
	page_init(&cpu0, 1000);
	add_begin(&cpu0, 1000, 7, false);
	add_begin(&cpu0, 2500, 8, false);
	page_finish(&cpu0, 0);
	decode(&cpu1, 1);
	decode(&cpu0, 0);
	assert_int_equal(time_queue_flush(&queue, UINT64_MAX, record, NULL), 0);
	assert_int_equal(nr_seen, 3);
	assert_int_equal(seen[0].stamp.ts, 1000);
	assert_int_equal(seen[0].cpu, 0);
	assert_int_equal(seen[1].stamp.ts, 2000);
	assert_int_equal(seen[1].cpu, 1);
	assert_int_equal(seen[2].stamp.ts, 2500);
}

/* Records younger than the watermark wait for the next flush. */
static void test_young_records_held(void **state)
{
	struct page p;

	page_init(&p, 1000);
	add_begin(&p, 1000, 7, false);
	add_end(&p, 3000, 7, 1);
	page_finish(&p, 0);
	decode(&p, 0);
	assert_int_equal(time_queue_flush(&queue, 2000, record, NULL), 0);
	assert_int_equal(nr_seen, 1);
	assert_int_equal(queue.nr, 1);
	assert_int_equal(time_queue_flush(&queue, 3000, record, NULL), 0);
	assert_int_equal(nr_seen, 2);
	assert_int_equal(seen[1].v.type, VMSCAN_END);
	assert_int_equal(queue.nr, 0);
}

/*
 * A flagged page yields a LOST record stamped with the CPU's last event
 * read before it, where the events lost begin.
 */
static void test_lost_events(void **state)
{
	struct page counted, flagged;

	page_init(&counted, 5000);
	add_end(&counted, 5000, 7, 1);
	page_finish(&counted, 17);
	page_init(&flagged, 6000);
	add_begin(&flagged, 6000, 9, false);
	page_finish(&flagged, -1);
	decode_after(&counted, 0, 4000);
	decode_after(&flagged, 1, 5500);
	assert_int_equal(time_queue_flush(&queue, UINT64_MAX, record, NULL), 0);
	assert_int_equal(nr_seen, 4);
	assert_int_equal(seen[0].type, FTRACE_REC_LOST);
	assert_int_equal(seen[0].lost, 17);
	assert_int_equal(seen[0].stamp.ts, 4000);
	assert_int_equal(seen[1].v.type, VMSCAN_END);
	assert_int_equal(seen[2].type, FTRACE_REC_LOST);
	assert_int_equal(seen[2].lost, 0); /* count unknown */
	assert_int_equal(seen[2].cpu, 1);
	assert_int_equal(seen[2].stamp.ts, 5500);
	assert_int_equal(seen[3].v.type, VMSCAN_BEGIN);
}

static int stop_at_end(const void *rec, void *ctx)
{
	const struct ftrace_rec *r = rec;

	if (r->type == FTRACE_REC_VMSCAN && r->v.type == VMSCAN_END)
		return -32;
	return record(r, ctx);
}

/* The sink's error (a closed stdout) stops the flush and is returned. */
static void test_flush_stops_on_error(void **state)
{
	struct page p;

	page_init(&p, 100);
	add_begin(&p, 100, 1, false);
	add_end(&p, 200, 1, 1);
	add_begin(&p, 300, 1, false);
	page_finish(&p, 0);
	decode(&p, 0);
	assert_int_equal(
		time_queue_flush(&queue, UINT64_MAX, stop_at_end, NULL), -32);
	assert_int_equal(nr_seen, 1);
	assert_int_equal(queue.nr, 1);
}

/*
 * Fake trace_pipe_raw files: DRAIN_PAGES sub-buffers a CPU, each of
 * PAGE_PAIRS stalls, 10 ns apart, the CPUs' stamps interleaved; more
 * records than the backend reads ahead.
 */
#define DRAIN_CPUS  2
#define DRAIN_PAGES 640
#define PAGE_PAIRS  40
#define PAGE_RECS   (2 * PAGE_PAIRS)

static struct page pages[DRAIN_CPUS][DRAIN_PAGES];
static int next_page[DRAIN_CPUS];
static int nr_pages[DRAIN_CPUS];
static struct ftrace_state drain_st;
static uint64_t delivered_ts;
static size_t nr_delivered, most_queued;

static uint64_t page_ts(int cpu, int page, int i)
{
	return 1000 + (page * PAGE_RECS + i) * 10 + cpu * 5;
}

static int fake_read(struct tracefs_cpu *tcpu, void *buf, bool nonblock)
{
	int cpu = (int *)tcpu - next_page;

	assert_true(nonblock);
	if (next_page[cpu] == nr_pages[cpu])
		return 0;
	memcpy(buf, pages[cpu][next_page[cpu]++].buf, 4096);
	return 4096;
}

static int drained(const void *rec, void *ctx)
{
	const struct ftrace_rec *r = rec;
	struct ftrace_state *st = ctx;

	assert_ptr_equal(st, &drain_st);
	assert_true(r->stamp.ts > delivered_ts);
	delivered_ts = r->stamp.ts;
	nr_delivered++;
	if (st->queue.nr > most_queued)
		most_queued = st->queue.nr;
	return 0;
}

static int setup_drain(void **state)
{
	struct page *p;
	int cpu, page, i;

	if (init_decoder(begin_new))
		return -1;
	for (cpu = 0; cpu < DRAIN_CPUS; cpu++) {
		for (page = 0; page < DRAIN_PAGES; page++) {
			p = &pages[cpu][page];
			page_init(p, page_ts(cpu, page, 0));
			for (i = 0; i < PAGE_RECS; i += 2) {
				add_begin(p, page_ts(cpu, page, i), cpu + 1,
					  false);
				add_end(p, page_ts(cpu, page, i + 1), cpu + 1,
					1);
			}
			page_finish(p, 0);
		}
		next_page[cpu] = 0;
		nr_pages[cpu] = DRAIN_PAGES;
	}
	drain_st = (struct ftrace_state){ .dec = dec,
					  .nr_cpus = DRAIN_CPUS,
					  .subbuf = malloc(4096) };
	drain_st.cpus = calloc(DRAIN_CPUS, sizeof(*drain_st.cpus));
	for (cpu = 0; cpu < DRAIN_CPUS; cpu++)
		drain_st.cpus[cpu].tcpu = (struct tracefs_cpu *)&next_page[cpu];
	time_queue_init(&drain_st.queue, sizeof(struct ftrace_rec));
	sym_tracefs_cpu_read = fake_read;
	delivered_ts = 0;
	nr_delivered = most_queued = 0;
	return !drain_st.subbuf || !drain_st.cpus;
}

static int teardown_drain(void **state)
{
	char why[256];

	free(drain_st.subbuf);
	free(drain_st.cpus);
	time_queue_free(&drain_st.queue);
	dec = drain_st.dec;
	/* The real tracefs_cpu_read back, for the tests after. */
	return teardown(state) || tracelibs_load_tracefs(why, sizeof(why));
}

/*
 * Full buffers, as when the reader was starved: every record comes out in
 * order, and the queue takes in as many as it reads ahead, not the
 * buffers' content.
 */
static void test_drain_reads_ahead_bounded(void **state)
{
	assert_true(DRAIN_CPUS * DRAIN_PAGES * PAGE_RECS > FTRACE_READ_AHEAD);
	assert_int_equal(ftrace_drain_cpus(&drain_st, UINT64_MAX, drained), 0);
	assert_int_equal(nr_delivered, DRAIN_CPUS * DRAIN_PAGES * PAGE_RECS);
	assert_int_equal(drain_st.queue.nr, 0);
	assert_true(most_queued >= FTRACE_READ_AHEAD);
	assert_true(most_queued <= FTRACE_READ_AHEAD + DRAIN_CPUS * PAGE_RECS);
}

/*
 * Records past upto wait, and a CPU is not read further than the page
 * that passed upto: the next drain takes up the rest, nothing lost or
 * handed over twice.
 */
static void test_drain_stops_past_upto(void **state)
{
	uint64_t upto = page_ts(0, 5, PAGE_RECS / 2);

	assert_int_equal(ftrace_drain_cpus(&drain_st, upto, drained), 0);
	assert_int_equal(delivered_ts, upto);
	assert_int_equal(next_page[0], 6);
	assert_int_equal(next_page[1], 6);
	assert_int_equal(nr_delivered + drain_st.queue.nr, 2 * 6 * PAGE_RECS);
	assert_int_equal(ftrace_drain_cpus(&drain_st, UINT64_MAX, drained), 0);
	assert_int_equal(nr_delivered, DRAIN_CPUS * DRAIN_PAGES * PAGE_RECS);
}

static struct dr_pairer drain_pairer;
static uint64_t drain_lines;

/* The backend's pairing, with the loss counted from the page. */
static int paired(const void *rec, void *ctx)
{
	const struct ftrace_rec *r = rec;
	struct dr_begin b = { .ts_ns = r->stamp.ts, .tid = r->v.tid };
	struct dr_event e;

	if (r->type == FTRACE_REC_LOST) {
		pairer_lost(&drain_pairer, r->lost);
		return 0;
	}
	if (r->v.type == VMSCAN_BEGIN)
		return pairer_begin(&drain_pairer, &b);
	drain_lines += pairer_end(&drain_pairer, r->stamp.ts, r->v.tid,
				  r->v.value, &e);
	return 0;
}

/*
 * The first loss: the kernel overwrote task 7's begin on CPU 0, and its
 * end, on CPU 1 where the task ran on, is stamped before the page that
 * flags the loss. The loss comes first all the same, and the end counts
 * as the lost stall's other half: 3 stalls, 2 lines and 1 lost.
 */
static void test_first_loss_before_other_cpus(void **state)
{
	struct page *cpu0 = pages[0], *cpu1 = pages[1];

	page_init(&cpu0[0], 1000);
	add_begin(&cpu0[0], 1000, 5, false);
	add_end(&cpu0[0], 1100, 5, 1);
	page_finish(&cpu0[0], 0);
	page_init(&cpu1[0], 1300);
	add_end(&cpu1[0], 1300, 7, 1);
	page_finish(&cpu1[0], 0);
	page_init(&cpu0[1], 1400);
	add_begin(&cpu0[1], 1400, 8, false);
	add_end(&cpu0[1], 1500, 8, 1);
	page_finish(&cpu0[1], 1);
	nr_pages[0] = 2;
	nr_pages[1] = 1;
	drain_lines = 0;
	assert_int_equal(pairer_init(&drain_pairer), 0);
	assert_int_equal(ftrace_drain_cpus(&drain_st, UINT64_MAX, paired), 0);
	assert_int_equal(drain_lines, 2);
	assert_int_equal(pairer_take_lost(&drain_pairer), 1);
	pairer_free(&drain_pairer);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fields_new_layout,
						setup_new, teardown),
		cmocka_unit_test_setup_teardown(test_fields_old_layout,
						setup_old, teardown),
		cmocka_unit_test(test_array_field_refused),
		cmocka_unit_test_setup_teardown(test_cpus_merged_in_time_order,
						setup_new, teardown),
		cmocka_unit_test_setup_teardown(test_young_records_held,
						setup_new, teardown),
		cmocka_unit_test_setup_teardown(test_lost_events, setup_new,
						teardown),
		cmocka_unit_test_setup_teardown(test_flush_stops_on_error,
						setup_new, teardown),
		cmocka_unit_test_setup_teardown(test_drain_reads_ahead_bounded,
						setup_drain, teardown_drain),
		cmocka_unit_test_setup_teardown(test_drain_stops_past_upto,
						setup_drain, teardown_drain),
		cmocka_unit_test_setup_teardown(
			test_first_loss_before_other_cpus, setup_drain,
			teardown_drain),
	};

	return cmocka_run_group_tests_name("ftrace_decode", tests,
					   load_libraries, NULL);
}
