// SPDX-License-Identifier: GPL-2.0
/*
 * The vmscan events as older kernels lay them out (tests/fixtures/formats,
 * whose README says where each layout comes from), decoded through both
 * paths drsnoop has: a tep built from a copied tracefs tree
 * (tracefs_local_events(), as the trace.dat reader's libtracecmd and the
 * perf.data reader build theirs from the formats in the file) with
 * vmscan_fields, and the ftrace backend's decoder, which parses the same
 * format text, over a sub-buffer in the ring buffer's layout. And a whole
 * recording: tests/fixtures/perf.data (Linux 6.18) rewritten as perf on
 * each older kernel would have written it (that kernel's formats in the
 * tracing data, each sample's raw payload in its layout) must replay
 * through the perf.data reader as the same stalls, order and gfp flags
 * included, and perf script must read it as the same events.
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
#include <unistd.h>
#include <cmocka.h>
#include "src/lib/event.h"
#include "fallback/file/file_reader.h"
#include "fallback/ftrace/ftrace_decode.h"
#include "src/sys/gfp.h"
#include "src/sys/tracelibs.h"
#include "src/lib/util.h"

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
	uint64_t commit, last = 0;
	int kind;

	init_decoder(l, &d);
	for (kind = 0; kind < VMSCAN_NR_KINDS; kind++) {
		subbuf_add(&p, e, make_begin(l, kind, e));
		subbuf_add(&p, e, make_end(l, kind, e));
	}
	commit = p.len;
	memcpy(p.buf + 8, &commit, sizeof(commit));
	time_queue_init(&q, sizeof(struct ftrace_rec));
	assert_int_equal(ftrace_decode_subbuf(&d, p.buf, 0, 0, &q, &last), 0);
	assert_int_equal(q.nr, ARRAY_SIZE(seen));
	assert_int_equal(last, 100 * ARRAY_SIZE(seen));
	assert_int_equal(time_queue_flush(&q, UINT64_MAX, collect, seen), 0);
	for (kind = 0; kind < VMSCAN_NR_KINDS; kind++) {
		print_message("# %s: %s\n", l->kernel, kind_names[kind]);
		assert_int_equal(seen[2 * kind].type, FTRACE_REC_VMSCAN);
		assert_int_equal(seen[2 * kind].v.type, VMSCAN_BEGIN);
		assert_int_equal(seen[2 * kind].v.kind, kind);
		assert_int_equal(seen[2 * kind].v.tid, TID);
		assert_int_equal(seen[2 * kind].v.order, ORDER);
		assert_int_equal(seen[2 * kind].v.value, gfp_value(l, kind));
		assert_int_equal(seen[2 * kind + 1].type, FTRACE_REC_VMSCAN);
		assert_int_equal(seen[2 * kind + 1].v.type, VMSCAN_END);
		assert_int_equal(seen[2 * kind + 1].v.kind, kind);
		assert_int_equal(seen[2 * kind + 1].v.value, nr_value(kind));
	}
	time_queue_free(&q);
	ftrace_decoder_free(&d);
}

/* --- the perf.data recording, rewritten for an older kernel ------------- */

#define PERF_FIXTURE "tests/fixtures/perf.data"
#define REC_SAMPLE   9
#define FEAT_TRACING 1 /* HEADER_TRACING_DATA */
/* The fixture's tracepoint samples: IP|TID|TIME|CPU|PERIOD|RAW|IDENTIFIER. */
#define SAMPLE_TYPE 0x10587ULL
/* Header, then identifier, ip, pid/tid, time, cpu, period: the raw size. */
#define SAMPLE_RAW_OFF (8 + 6 * 8)
#define MAX_STALLS     4096

/* Linux 6.18, which recorded the fixture. */
static const struct layout recorded = { "6.18", 8, 16, 8, 8, 24, 16, 0, 0 };

struct buf {
	unsigned char *p;
	size_t len;
};

static uint64_t get64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint32_t get32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static struct buf slurp(const char *path)
{
	struct buf b = { 0 };
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	b.len = ftell(f);
	rewind(f);
	b.p = malloc(b.len);
	assert_int_equal(fread(b.p, 1, b.len, f), b.len);
	fclose(f);
	return b;
}

/* The ID that "name: EVENT\nID: N" gives in the recording's formats. */
static int recorded_id(const struct buf *td, const char *event)
{
	char key[128];
	const unsigned char *p;

	snprintf(key, sizeof(key), "name: %s\nID: ", event);
	p = memmem(td->p, td->len, key, strlen(key));
	assert_non_null(p);
	return atoi((const char *)p + strlen(key));
}

/* Text after the "ID: N" line of an old kernel's format, behind our own. */
static void put_format(FILE *out, const struct layout *l, const char *event,
		       int id)
{
	int len;
	char *text = read_format(l, event, &len);
	char *body = strstr(text, "\nformat:");
	char *head;

	assert_non_null(body);
	assert_true(asprintf(&head, "name: %s\nID: %d", event, id) > 0);
	len = strlen(head) + strlen(body);
	assert_int_equal(fwrite(&(uint64_t){ len }, 8, 1, out), 1);
	fputs(head, out);
	fputs(body, out);
	free(head);
	free(text);
}

static bool is_event(const char *event)
{
	return !strcmp(event, vmscan_begin_events[0]) ||
	       !strcmp(event, vmscan_end_events[0]);
}

/*
 * The tracing data (a version 6 trace.dat's first part) with the vmscan
 * formats of the old kernel; everything else as recorded.
 */
static void rewrite_tracing_data(const struct buf *td, const struct layout *l,
				 FILE *out)
{
	const unsigned char *p = td->p, *end = td->p + td->len;
	uint32_t systems, n, i, j;
	char name[64];
	uint64_t size;

	p += 10 + strlen((const char *)p + 10) + 1 + 1 + 1 + 4;
	for (i = 0; i < 2; i++) /* header_page, header_event */
		p += strlen((const char *)p) + 1 + 8 +
		     get64(p + strlen((const char *)p) + 1);
	n = get32(p); /* ftrace formats */
	for (p += 4; n--; p += 8 + get64(p))
		;
	fwrite(td->p, 1, p - td->p, out);
	systems = get32(p);
	fwrite(p, 1, 4, out);
	for (p += 4, i = 0; i < systems; i++) {
		bool vmscan = !strcmp((const char *)p, "vmscan");

		fwrite(p, 1, strlen((const char *)p) + 1 + 4, out);
		p += strlen((const char *)p) + 1;
		n = get32(p);
		for (p += 4, j = 0; j < n; j++, p += 8 + size) {
			size = get64(p);
			sscanf((const char *)p + 8, "name: %63s", name);
			if (vmscan && is_event(name))
				put_format(out, l, name, recorded_id(td, name));
			else
				fwrite(p, 1, 8 + size, out);
		}
	}
	fwrite(p, 1, end - p, out);
}

/* One sample's raw payload, moved from the recorded layout to l's. */
static void rewrite_sample(const unsigned char *rec, const struct layout *l,
			   int begin_id, FILE *out)
{
	const unsigned char *raw = rec + SAMPLE_RAW_OFF + 4;
	unsigned char e[64] = { 0 };
	uint16_t type, size;
	uint32_t raw_size, len;
	int32_t order;
	uint64_t v;

	memcpy(&type, raw, sizeof(type));
	if (type == begin_id) {
		memcpy(&order, raw + recorded.order_off, sizeof(order));
		v = get64(raw + recorded.gfp_off);
		len = make_begin(l, 0, e);
		memcpy(e + l->order_off, &order, sizeof(order));
		assert_true(v >> 32 == 0 || l->gfp_size == 8);
		memcpy(e + l->gfp_off, &v, l->gfp_size);
	} else {
		v = get64(raw + recorded.nr_off);
		len = make_end(l, 0, e);
		memcpy(e + l->nr_off, &v, sizeof(v));
	}
	memcpy(e, raw, 2); /* the recorded ID */
	memcpy(e + 4, raw + 4, 4); /* and thread */
	/* perf pads the raw data so that it ends 8-byte aligned. */
	raw_size = ((4 + len + 7) & ~7U) - 4;
	size = SAMPLE_RAW_OFF + 4 + raw_size;
	fwrite(rec, 1, 6, out);
	fwrite(&size, 2, 1, out);
	fwrite(rec + 8, 1, SAMPLE_RAW_OFF - 8, out);
	fwrite(&raw_size, 4, 1, out);
	fwrite(e, 1, raw_size, out);
}

static void rewrite_data(const struct buf *data, const struct layout *l,
			 int begin_id, FILE *out)
{
	const unsigned char *p = data->p, *end = data->p + data->len;
	uint16_t size;

	for (; p < end; p += size) {
		memcpy(&size, p + 6, sizeof(size));
		if (get32(p) == REC_SAMPLE)
			rewrite_sample(p, l, begin_id, out);
		else
			fwrite(p, 1, size, out);
	}
}

static void check_attrs(const struct buf *f)
{
	uint64_t off = get64(f->p + 24), size = get64(f->p + 32);
	uint64_t attr_size = get64(f->p + 16), i;
	const unsigned char *a;

	for (i = 0; i < size / attr_size; i++) {
		a = f->p + off + i * attr_size;
		if (get32(a) == 2) /* PERF_TYPE_TRACEPOINT */
			assert_int_equal(get64(a + 24), SAMPLE_TYPE);
	}
}

/*
 * Write path: the fixture with its data and its tracing data feature
 * rewritten for l; the other features follow, moved.
 */
static void write_old_perfdata(const struct layout *l, const char *path)
{
	struct buf f = slurp(PERF_FIXTURE), data, td, sec[256];
	uint64_t data_off = get64(f.p + 40), bits = get64(f.p + 72), off;
	FILE *out;
	int nr = __builtin_popcountll(bits), i, begin_id;
	const unsigned char *table;

	assert_int_equal(get64(f.p + 80) | get64(f.p + 88) | get64(f.p + 96),
			 0);
	assert_true(bits & 1ULL << FEAT_TRACING);
	check_attrs(&f);
	table = f.p + data_off + get64(f.p + 48);
	data = (struct buf){ f.p + data_off, get64(f.p + 48) };
	td = (struct buf){ f.p + get64(table + 16 * (bits & 1)),
			   get64(table + 16 * (bits & 1) + 8) };
	begin_id = recorded_id(&td, vmscan_begin_events[0]);
	for (i = 0; i < nr; i++) {
		FILE *m = open_memstream((char **)&sec[i].p, &sec[i].len);

		if (i == (int)(bits & 1))
			rewrite_tracing_data(&td, l, m);
		else
			fwrite(f.p + get64(table + 16 * i), 1,
			       get64(table + 16 * i + 8), m);
		fclose(m);
	}
	{
		FILE *m = open_memstream((char **)&sec[nr].p, &sec[nr].len);

		rewrite_data(&data, l, begin_id, m);
		fclose(m);
	}
	out = fopen(path, "w");
	assert_non_null(out);
	memcpy(f.p + 48, &sec[nr].len, 8); /* the data's new size */
	fwrite(f.p, 1, data_off, out);
	fwrite(sec[nr].p, 1, sec[nr].len, out);
	off = data_off + sec[nr].len + 16 * nr;
	for (i = 0; i < nr; off += sec[i++].len) {
		fwrite(&off, 8, 1, out);
		fwrite(&sec[i].len, 8, 1, out);
	}
	for (i = 0; i <= nr; i++) {
		if (i < nr)
			fwrite(sec[i].p, 1, sec[i].len, out);
		free(sec[i].p);
	}
	assert_int_equal(fclose(out), 0);
	free(f.p);
}

struct stalls {
	struct dr_sink sink;
	struct dr_event *e;
	size_t nr;
};

static int keep_stall(struct dr_sink *sink, const struct dr_event *e)
{
	struct stalls *s = (struct stalls *)sink;

	assert_true(s->nr < MAX_STALLS);
	s->e[s->nr++] = *e;
	return 0;
}

static void no_loss(struct dr_sink *sink, uint64_t count)
{
	fail_msg("%llu events lost", (unsigned long long)count);
}

static void replay_perfdata(const char *path, struct stalls *s)
{
	struct file_replay rp;
	struct file_reader *r;
	char why[256];

	*s = (struct stalls){ .sink = { keep_stall, no_loss, NULL, NULL },
			      .e = calloc(MAX_STALLS, sizeof(*s->e)) };
	assert_int_equal(replay_init(&rp, &s->sink, 0), 0);
	r = perfdata_reader.open(path, &rp, false, why, sizeof(why));
	if (!r)
		fail_msg("%s: %s", path, why);
	assert_int_equal(perfdata_reader.read(r, why, sizeof(why)), 0);
	perfdata_reader.close(r);
	replay_free(&rp);
}

/* "begin", "end" lines perf script prints, with order= and nr_reclaimed=. */
static void perf_script_counts(const char *path, int *begins, int *ends)
{
	char cmd[512], line[4096];
	FILE *f;

	snprintf(cmd, sizeof(cmd),
		 "perf script -i %s -F event,trace 2>/dev/null", path);
	f = popen(cmd, "r");
	assert_non_null(f);
	*begins = *ends = 0;
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, "reclaim_begin:") && strstr(line, "order=9"))
			(*begins)++;
		if (strstr(line, "reclaim_end:") &&
		    strstr(line, "nr_reclaimed="))
			(*ends)++;
	}
	assert_int_equal(pclose(f), 0);
}

static void check_perfdata(const struct layout *l)
{
	char path[] = "/tmp/drsnoop-old-perf.XXXXXX";
	struct stalls want, got;
	int fd = mkstemp(path), b0, e0, b1, e1;
	size_t i;

	assert_true(fd >= 0);
	close(fd);
	write_old_perfdata(l, path);
	replay_perfdata(PERF_FIXTURE, &want);
	replay_perfdata(path, &got);
	print_message("# %s: %zu stalls\n", l->kernel, got.nr);
	assert_true(want.nr > 0);
	assert_int_equal(got.nr, want.nr);
	for (i = 0; i < want.nr; i++) {
		assert_int_equal(got.e[i].tid, want.e[i].tid);
		assert_int_equal(got.e[i].pid, want.e[i].pid);
		assert_int_equal(got.e[i].begin_ns, want.e[i].begin_ns);
		assert_int_equal(got.e[i].lat_ns, want.e[i].lat_ns);
		assert_int_equal(got.e[i].nr_reclaimed, want.e[i].nr_reclaimed);
		assert_int_equal(got.e[i].order, want.e[i].order);
		assert_int_equal(got.e[i].gfp_flags, want.e[i].gfp_flags);
		assert_string_equal(got.e[i].comm, want.e[i].comm);
	}
	perf_script_counts(PERF_FIXTURE, &b0, &e0);
	perf_script_counts(path, &b1, &e1);
	assert_true(b0 > 0 && e0 > 0);
	assert_int_equal(b1, b0);
	assert_int_equal(e1, e0);
	free(want.e);
	free(got.e);
	unlink(path);
}

static void test_perfdata_reader(void **state)
{
	check_perfdata(*state);
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
					  (void *)&layouts[i]),                \
		cmocka_unit_test_prestate(test_perfdata_reader,                \
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
