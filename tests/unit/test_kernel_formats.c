// SPDX-License-Identifier: GPL-2.0
/*
 * The vmscan events as older kernels lay them out (tests/fixtures/formats,
 * whose README says where each layout comes from), decoded through both
 * paths drsnoop has: a tep built from a copied tracefs tree
 * (tracefs_local_events(), as the trace.dat reader's libtracecmd and the
 * perf.data reader build theirs from the formats in the file) with
 * vmscan_fields, and the ftrace backend's decoder, which parses the same
 * format text, over a sub-buffer in the ring buffer's layout.
 *
 * Each record is built from the layout this file writes down per kernel,
 * not from the parsed format, with every byte the decoder must not read
 * set to junk: a field read at the wrong place or width shows.
 */
#define _GNU_SOURCE /* asprintf */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "event.h"
#include "ftrace_decode.h"
#include "gfp.h"
#include "tracelibs.h"
#include "util.h"

#define FORMATS "tests/fixtures/formats"
#define JUNK	0xa5
#define TID	4242
#define ORDER	9

struct layout {
	const char *kernel; /* directory under FORMATS */
	unsigned int order_off;
	unsigned int gfp_off;
	unsigned int gfp_size; /* gfp_t: 4, unsigned long: 8 */
	unsigned int nr_off;
	unsigned int begin_size;
	unsigned int end_size;
	int first_id; /* the fixture's IDs: end, begin of each kind in turn */
	uint64_t highuser_movable; /* GFP_HIGHUSER_MOVABLE on that kernel */
};

static const struct layout layouts[] = {
	/* order, may_writepage, gfp_t gfp_flags */
	{ "4.4", 8, 16, 4, 8, 20, 16, 281, 0x24200ca },
	/* order, may_writepage, gfp_t gfp_flags, classzone_idx */
	{ "4.19", 8, 16, 4, 8, 24, 16, 357, 0x6200ca },
	/* order, gfp_t gfp_flags: packed after order */
	{ "5.4", 8, 12, 4, 8, 16, 16, 419, 0x100cca },
	/* order, unsigned long gfp_flags */
	{ "6.1", 8, 16, 8, 8, 24, 16, 495, 0x100cca },
	/* PREEMPT_RT: common_preempt_lazy_count moves every field */
	{ "6.1-rt", 12, 16, 8, 16, 24, 24, 498, 0x100cca },
};

static const char *const kind_names[VMSCAN_NR_KINDS] = {
	"direct",
	"memcg",
	"memcg_softlimit",
};

static int begin_id(const struct layout *l, int kind)
{
	return l->first_id + 2 * kind + 1;
}

static int end_id(const struct layout *l, int kind)
{
	return l->first_id + 2 * kind;
}

static uint64_t gfp_value(const struct layout *l, int kind)
{
	return l->highuser_movable | (uint64_t)kind << 4;
}

static uint64_t nr_value(int kind)
{
	return 0x1234 + kind;
}

static void put_common(unsigned char *e, unsigned int size, int id)
{
	uint16_t type = id;
	int32_t tid = TID;

	memset(e, JUNK, size);
	memcpy(e, &type, sizeof(type));
	memcpy(e + 4, &tid, sizeof(tid));
}

static unsigned int make_begin(const struct layout *l, int kind,
			       unsigned char *e)
{
	int32_t order = ORDER;
	uint64_t gfp = gfp_value(l, kind);
	uint32_t gfp32 = gfp;

	put_common(e, l->begin_size, begin_id(l, kind));
	memcpy(e + l->order_off, &order, sizeof(order));
	if (l->gfp_size == 4)
		memcpy(e + l->gfp_off, &gfp32, sizeof(gfp32));
	else
		memcpy(e + l->gfp_off, &gfp, sizeof(gfp));
	return l->begin_size;
}

static unsigned int make_end(const struct layout *l, int kind, unsigned char *e)
{
	uint64_t nr = nr_value(kind);

	put_common(e, l->end_size, end_id(l, kind));
	memcpy(e + l->nr_off, &nr, sizeof(nr));
	return l->end_size;
}

static char *event_path(const struct layout *l, const char *file)
{
	char *path;

	assert_true(asprintf(&path, FORMATS "/%s/events/%s", l->kernel, file) >
		    0);
	return path;
}

static char *read_text(const struct layout *l, const char *file, int *len)
{
	char *path = event_path(l, file), *buf = NULL;
	size_t size = 0;
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	assert_int_equal(getdelim(&buf, &size, '\0', f) > 0, 1);
	*len = strlen(buf);
	fclose(f);
	free(path);
	return buf;
}

static char *read_format(const struct layout *l, const char *event, int *len)
{
	char file[128];

	snprintf(file, sizeof(file), "vmscan/%s/format", event);
	return read_text(l, file, len);
}

/* The tep the file readers would build from this kernel's formats. */
static struct tep_handle *tep_from_dir(const struct layout *l)
{
	char *dir;
	struct tep_handle *tep;

	assert_true(asprintf(&dir, FORMATS "/%s", l->kernel) > 0);
	tep = tracefs_local_events(dir);
	assert_non_null(tep);
	free(dir);
	return tep;
}

static void check_local_events(const struct layout *l)
{
	struct tep_handle *tep = tep_from_dir(l);
	struct vmscan_fields vf;
	struct vmscan_rec r;
	unsigned char e[64];
	unsigned int size;
	char why[256];
	int kind;

	assert_int_equal(vmscan_fields_init(&vf, tep, why, sizeof(why)), 0);
	for (kind = 0; kind < VMSCAN_NR_KINDS; kind++) {
		print_message("# %s: %s\n", l->kernel, kind_names[kind]);
		size = make_begin(l, kind, e);
		assert_int_equal(vmscan_decode(&vf, e, size, &r), VMSCAN_BEGIN);
		assert_int_equal(r.kind, kind);
		assert_int_equal(r.tid, TID);
		assert_int_equal(r.order, ORDER);
		assert_int_equal(r.value, gfp_value(l, kind));
		size = make_end(l, kind, e);
		assert_int_equal(vmscan_decode(&vf, e, size, &r), VMSCAN_END);
		assert_int_equal(r.kind, kind);
		assert_int_equal(r.tid, TID);
		assert_int_equal(r.value, nr_value(kind));
		/* One byte short of its last field: not decoded. */
		assert_int_equal(vmscan_decode(&vf, e, l->nr_off + 7, &r),
				 VMSCAN_OTHER);
	}
	tep_free(tep);
}

/* -g names flags by the kernel's own table, whose bits moved twice. */
static void check_gfp_names(const struct layout *l)
{
	struct tep_handle *tep = tep_from_dir(l);
	struct tep_event *ev = tep_find_event_by_name(
		tep, "vmscan", "mm_vmscan_direct_reclaim_begin");
	struct gfp_names g = { 0 };
	char buf[256];

	assert_non_null(ev);
	assert_int_equal(gfp_names_from_event(&g, ev), 0);
	assert_string_equal(
		gfp_format(&g, l->highuser_movable, buf, sizeof(buf)),
		"GFP_HIGHUSER_MOVABLE");
	gfp_names_free(&g);
	tep_free(tep);
}

/* The ftrace backend's formats, read as it reads them from tracefs. */
static void init_decoder(const struct layout *l, struct ftrace_decoder *d)
{
	struct ftrace_formats f = { 0 };
	char why[256];
	size_t i;
	int kind;

	f.header_page = read_text(l, "header_page", &f.header_len);
	f.begin = read_format(l, vmscan_begin_events[0], &f.begin_len);
	f.end = read_format(l, vmscan_end_events[0], &f.end_len);
	for (kind = 1; kind < VMSCAN_NR_KINDS; kind++) {
		i = 2 * kind - 2;
		f.memcg[i] = read_format(l, vmscan_begin_events[kind],
					 &f.memcg_len[i]);
		f.memcg[i + 1] = read_format(l, vmscan_end_events[kind],
					     &f.memcg_len[i + 1]);
	}
	assert_int_equal(ftrace_decoder_init(d, &f, why, sizeof(why)), 0);
	free(f.header_page);
	free(f.begin);
	free(f.end);
	for (i = 0; i < ARRAY_SIZE(f.memcg); i++)
		free(f.memcg[i]);
}

/* One sub-buffer: 16-byte header, then each event behind a 4-byte head. */
struct subbuf {
	unsigned char buf[4096];
	size_t len;
};

static void subbuf_add(struct subbuf *p, const unsigned char *e,
		       unsigned int size)
{
	uint32_t head = size / 4 | 100U << 5; /* 100 ns after the last */

	memcpy(p->buf + 16 + p->len, &head, sizeof(head));
	memcpy(p->buf + 20 + p->len, e, size);
	p->len += 4 + size;
}

static int collect(const void *rec, void *ctx)
{
	struct ftrace_rec *seen = ctx;
	const struct ftrace_rec *r = rec;

	seen[r->stamp.ts / 100 - 1] = *r;
	return 0;
}

static void check_ftrace_decoder(const struct layout *l)
{
	struct ftrace_rec seen[2 * VMSCAN_NR_KINDS];
	struct ftrace_decoder d;
	struct time_queue q;
	struct subbuf p = { .buf = { 0 } };
	unsigned char e[64];
	uint64_t commit;
	int kind;

	init_decoder(l, &d);
	for (kind = 0; kind < VMSCAN_NR_KINDS; kind++) {
		subbuf_add(&p, e, make_begin(l, kind, e));
		subbuf_add(&p, e, make_end(l, kind, e));
	}
	commit = p.len;
	memcpy(p.buf + 8, &commit, sizeof(commit));
	time_queue_init(&q, sizeof(struct ftrace_rec));
	assert_int_equal(ftrace_decode_subbuf(&d, p.buf, 0, &q), 0);
	assert_int_equal(q.nr, ARRAY_SIZE(seen));
	assert_int_equal(time_queue_flush(&q, UINT64_MAX, collect, seen), 0);
	for (kind = 0; kind < VMSCAN_NR_KINDS; kind++) {
		print_message("# %s: %s\n", l->kernel, kind_names[kind]);
		assert_int_equal(seen[2 * kind].type, FTRACE_REC_BEGIN);
		assert_int_equal(seen[2 * kind].kind, kind);
		assert_int_equal(seen[2 * kind].tid, TID);
		assert_int_equal(seen[2 * kind].order, ORDER);
		assert_int_equal(seen[2 * kind].value, gfp_value(l, kind));
		assert_int_equal(seen[2 * kind + 1].type, FTRACE_REC_END);
		assert_int_equal(seen[2 * kind + 1].kind, kind);
		assert_int_equal(seen[2 * kind + 1].value, nr_value(kind));
	}
	time_queue_free(&q);
	ftrace_decoder_free(&d);
}

static void test_local_events(void **state)
{
	check_local_events(*state);
}

static void test_gfp_names(void **state)
{
	check_gfp_names(*state);
}

static void test_ftrace_decoder(void **state)
{
	check_ftrace_decoder(*state);
}

static int load_libraries(void **state)
{
	char why[256];

	return tracelibs_load_tracefs(why, sizeof(why));
}

#define FOR_KERNEL(i)                                                          \
	cmocka_unit_test_prestate(test_local_events, (void *)&layouts[i]),     \
		cmocka_unit_test_prestate(test_gfp_names,                      \
					  (void *)&layouts[i]),                \
		cmocka_unit_test_prestate(test_ftrace_decoder,                 \
					  (void *)&layouts[i])

int main(void)
{
	const struct CMUnitTest tests[] = {
		FOR_KERNEL(0), FOR_KERNEL(1), FOR_KERNEL(2),
		FOR_KERNEL(3), FOR_KERNEL(4),
	};

	_Static_assert(ARRAY_SIZE(layouts) == 5, "a FOR_KERNEL per layout");
	return cmocka_run_group_tests_name("kernel_formats", tests,
					   load_libraries, NULL);
}
