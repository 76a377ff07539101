// SPDX-License-Identifier: GPL-2.0
/*
 * A small reader of perf.data as 'perf record' writes it to a file
 * (tools/perf/Documentation/perf.data-file-format.txt), enough for
 * tracepoint samples:
 *
 *   header    "PERFILE2", sections for the attrs, the data and (after the
 *             data) one section per feature bit set;
 *   attrs     perf_event_attr + the section of its sample ids, each entry
 *             attr_size bytes: sample_type says how to parse samples;
 *   feature   HEADER_TRACING_DATA: the event formats, laid out as in the
 *             first part of a version 6 trace.dat; only header_page and
 *             the vmscan formats are parsed, with libtraceevent;
 *   data      records {u32 type, u16 misc, u16 size}: SAMPLE (raw payload
 *             decoded by field name), COMM and FORK (a new thread has its
 *             parent's comm), LOST, LOST_SAMPLES and FINISHED_ROUND; the
 *             rest is skipped.
 *
 * Every size and offset is checked against the file before use, records
 * are read through a bounded buffer, and only files in this machine's
 * byte order are accepted. perf writes each CPU's records in order but
 * interleaves CPUs: records are queued and, like perf's ordered events,
 * flushed at each FINISHED_ROUND up to the newest timestamp of the round
 * before it, and half at a time should a file have no rounds.
 */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "comm_table.h"
#include "file_reader.h"
#include "time_queue.h"
#include "tracelibs.h"

#define PERF_MAGIC	 0x32454c4946524550ULL /* "PERFILE2" */
#define HEADER_SIZE	 104
#define FEAT_TRACING	 1 /* HEADER_TRACING_DATA */
#define MAX_ATTRS	 256
#define MAX_IDS		 65536
#define MAX_TRACING_DATA (256U << 20)
#define CHUNK		 (1U << 20)
#define MAX_RECORD	 65535 /* size is a u16 */
#define PERF_QUEUE_MAX	 (1U << 20) /* items held without a round's end */

#define TYPE_TRACEPOINT 2
#define ATTR_MIN_SIZE	64 /* PERF_ATTR_SIZE_VER0 */
#define SAMPLE_ID_ALL	(1ULL << 18) /* bit of the attr's flags word */

enum {
	REC_LOST = 2,
	REC_COMM = 3,
	REC_FORK = 7,
	REC_SAMPLE = 9,
	REC_LOST_SAMPLES = 13,
	REC_FINISHED_ROUND = 68,
	REC_COMPRESSED = 81,
};

enum {
	S_IP = 1 << 0,
	S_TID = 1 << 1,
	S_TIME = 1 << 2,
	S_ADDR = 1 << 3,
	S_READ = 1 << 4,
	S_CALLCHAIN = 1 << 5,
	S_ID = 1 << 6,
	S_CPU = 1 << 7,
	S_PERIOD = 1 << 8,
	S_STREAM_ID = 1 << 9,
	S_RAW = 1 << 10,
	S_IDENTIFIER = 1 << 16,
};

enum {
	RF_ENABLED = 1 << 0,
	RF_RUNNING = 1 << 1,
	RF_ID = 1 << 2,
	RF_GROUP = 1 << 3,
	RF_LOST = 1 << 4,
};

struct perf_section {
	uint64_t offset;
	uint64_t size;
};

struct perf_attr {
	uint64_t sample_type;
	uint64_t read_format;
	bool id_all;
};

struct perf_id {
	uint64_t id;
	uint32_t attr;
};

/* A window on the data section, refilled with pread. */
struct perf_stream {
	int fd;
	uint64_t pos; /* file offset of buf[len] */
	uint64_t end;
	uint8_t *buf;
	size_t len;
	size_t off;
};

/* What the perf.data reader keeps until it can be replayed in time order. */
enum perf_item_kind {
	PERF_ITEM_EVENT, /* a vmscan begin or end */
	PERF_ITEM_COMM,
	PERF_ITEM_FORK, /* tid inherits the comm of pid, the parent thread */
	PERF_ITEM_LOST,
};

struct perf_item {
	struct time_stamp stamp; /* seq: file order */
	uint32_t kind; /* enum perf_item_kind */
	uint32_t pid;
	uint32_t tid; /* COMM, FORK */
	union {
		struct vmscan_rec rec; /* EVENT */
		char comm[DR_COMM_LEN]; /* COMM */
		uint64_t lost; /* LOST: 0 when unknown */
	};
};

struct file_reader {
	struct file_replay *rp;
	struct tep_handle *tep;
	struct vmscan_fields vf;
	struct perf_attr attrs[MAX_ATTRS];
	uint32_t nr_attrs;
	struct perf_id *ids;
	uint32_t nr_ids;
	bool by_identifier; /* samples start with their id */
	struct perf_stream in;
	struct time_queue queue; /* of struct perf_item */
	struct comm_table comms;
	uint64_t next_flush; /* FINISHED_ROUND flushes up to here */
	uint64_t max_ts;
	struct stat st;
	char *why;
	size_t why_len;
};

static uint64_t get_u64(const void *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint32_t get_u32(const void *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static int fail(struct file_reader *r, const char *fmt, unsigned long long n)
{
	snprintf(r->why, r->why_len, fmt, n);
	return -1;
}

static bool within_file(const struct file_reader *r,
			const struct perf_section *s)
{
	uint64_t size = r->st.st_size;

	return s->offset <= size && s->size <= size - s->offset;
}

static int read_at(struct file_reader *r, void *buf, size_t len, uint64_t off)
{
	ssize_t n;

	while (len) {
		n = pread(r->in.fd, buf, len, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fail(r, "read error at offset %llu", off);
		if (n == 0)
			return fail(r, "truncated at offset %llu", off);
		buf = (char *)buf + n;
		len -= n;
		off += n;
	}
	return 0;
}

static int by_id(const void *a, const void *b)
{
	const struct perf_id *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static int read_ids(struct file_reader *r, const struct perf_section *s,
		    uint32_t attr)
{
	uint64_t n = s->size / sizeof(uint64_t), i;
	struct perf_id *ids;

	if (!within_file(r, s) || n > MAX_IDS - r->nr_ids)
		return fail(r, "bad id section of event %llu", attr);
	ids = realloc(r->ids, (r->nr_ids + n + 1) * sizeof(*ids));
	if (!ids)
		return fail(r, "out of memory for %llu ids", n);
	r->ids = ids;
	for (i = 0; i < n; i++) {
		if (read_at(r, &ids[r->nr_ids].id, sizeof(uint64_t),
			    s->offset + i * sizeof(uint64_t)))
			return -1;
		ids[r->nr_ids++].attr = attr;
	}
	return 0;
}

/* perf_event_attr: type @0, sample_type @24, read_format @32, flags @40. */
static int read_attr(struct file_reader *r, uint64_t off, uint64_t attr_size,
		     uint32_t idx)
{
	uint8_t buf[4096];
	struct perf_attr *a = &r->attrs[idx];
	struct perf_section ids;

	if (read_at(r, buf, attr_size, off))
		return -1;
	a->sample_type = get_u64(buf + 24);
	a->read_format = get_u64(buf + 32);
	a->id_all = get_u64(buf + 40) & SAMPLE_ID_ALL;
	if (get_u32(buf) == TYPE_TRACEPOINT &&
	    (a->sample_type & (S_TID | S_TIME | S_RAW)) !=
		    (S_TID | S_TIME | S_RAW))
		return fail(r,
			    "tracepoint event %llu was recorded without "
			    "tid, time or raw data",
			    idx);
	memcpy(&ids, buf + attr_size - sizeof(ids), sizeof(ids));
	return read_ids(r, &ids, idx);
}

/*
 * Samples of different layouts can only be told apart by an id at a fixed
 * place: first (PERF_SAMPLE_IDENTIFIER), as perf records several events.
 */
static int check_layouts(struct file_reader *r)
{
	uint32_t i, with_identifier = 0, same = 0;

	for (i = 0; i < r->nr_attrs; i++) {
		with_identifier += !!(r->attrs[i].sample_type & S_IDENTIFIER);
		same += r->attrs[i].sample_type == r->attrs[0].sample_type &&
			r->attrs[i].read_format == r->attrs[0].read_format &&
			r->attrs[i].id_all == r->attrs[0].id_all;
	}
	r->by_identifier = with_identifier == r->nr_attrs;
	if (r->nr_ids)
		qsort(r->ids, r->nr_ids, sizeof(*r->ids), by_id);
	if (!r->by_identifier && same != r->nr_attrs)
		return fail(r, "its %llu events have different sample layouts",
			    r->nr_attrs);
	return 0;
}

static int read_attrs(struct file_reader *r, const uint8_t *hdr)
{
	uint64_t attr_size = get_u64(hdr + 16), i;
	struct perf_section s;

	memcpy(&s, hdr + 24, sizeof(s));
	if (attr_size < ATTR_MIN_SIZE + sizeof(s) || attr_size > 4096 ||
	    !within_file(r, &s) || s.size % attr_size)
		return fail(r, "bad event attribute section (%llu bytes each)",
			    attr_size);
	r->nr_attrs = s.size / attr_size;
	if (!r->nr_attrs || r->nr_attrs > MAX_ATTRS)
		return fail(r, "it records %llu events", s.size / attr_size);
	for (i = 0; i < r->nr_attrs; i++)
		if (read_attr(r, s.offset + i * attr_size, attr_size, i))
			return -1;
	return check_layouts(r);
}

/* The trace.dat-like tracing data, parsed in place within [p, end). */
struct td_cursor {
	const char *p;
	const char *end;
	bool bad;
};

static const char *td_take(struct td_cursor *c, uint64_t n)
{
	const char *p = c->p;

	if (c->bad || n > (uint64_t)(c->end - c->p)) {
		c->bad = true;
		return NULL;
	}
	c->p += n;
	return p;
}

static uint64_t td_num(struct td_cursor *c, int size)
{
	const char *p = td_take(c, size);

	if (!p)
		return 0;
	return size == 4 ? get_u32(p) : get_u64(p);
}

static const char *td_string(struct td_cursor *c)
{
	const char *p = c->p;
	size_t n = c->bad ? 0 : strnlen(p, c->end - p);

	if (c->bad || n == (size_t)(c->end - p)) {
		c->bad = true;
		return NULL;
	}
	c->p += n + 1;
	return p;
}

/* Sections of u64 size + text. */
static const char *td_blob(struct td_cursor *c, uint64_t *size)
{
	*size = td_num(c, 8);
	return td_take(c, *size);
}

static void td_skip_blobs(struct td_cursor *c, int count_size)
{
	uint64_t n = td_num(c, count_size), size;

	while (n-- && !c->bad)
		td_blob(c, &size);
}

/*
 * Only the vmscan formats are handed to libtraceevent, and without their
 * "print fmt:" line: nothing here prints with it, and libtraceevent 1.7's
 * parser of it does not survive a hostile file.
 */
static void parse_format(struct file_reader *r, const char *fmt, uint64_t size)
{
	static const char print[] = "\nprint fmt:";
	const char *end = memmem(fmt, size, print, sizeof(print) - 1);
	size_t len = end ? (size_t)(end - fmt) : size;
	char *text = malloc(len + sizeof(print) + 4);

	if (!text)
		return;
	memcpy(text, fmt, len);
	memcpy(text + len, print, sizeof(print) - 1);
	memcpy(text + len + sizeof(print) - 1, " \"\"\n", 4);
	sym_tep_parse_event(r->tep, text, len + sizeof(print) + 3, "vmscan");
	free(text);
}

static void td_events(struct file_reader *r, struct td_cursor *c)
{
	uint32_t systems = td_num(c, 4), n;
	const char *sys, *fmt;
	uint64_t size;

	while (systems-- && !c->bad) {
		sys = td_string(c);
		n = td_num(c, 4);
		while (n-- && !c->bad) {
			fmt = td_blob(c, &size);
			if (fmt && !strcmp(sys, "vmscan"))
				parse_format(r, fmt, size);
		}
	}
}

static void td_cmdlines(struct file_reader *r, struct td_cursor *c)
{
	uint64_t size;
	const char *p = td_blob(c, &size);
	char *text;

	if (!p || !size)
		return;
	text = strndup(p, size);
	if (text)
		sym_tep_parse_saved_cmdlines(r->tep, text);
	free(text);
}

static int td_header(struct file_reader *r, struct td_cursor *c)
{
	static const char magic[] = "\027\010\104tracing";
	const char *p = td_take(c, sizeof(magic) - 1);
	const char *version = p ? td_string(c) : NULL;
	uint8_t endian, long_size;
	uint32_t page_size;

	if (!version || memcmp(p, magic, sizeof(magic) - 1))
		return fail(r, "its tracing data has no magic", 0);
	p = td_take(c, 2);
	page_size = td_num(c, 4);
	if (!p || c->bad)
		return fail(r, "its tracing data is truncated", 0);
	endian = p[0];
	long_size = p[1];
	if (endian != (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__))
		return fail(r, "its tracing data is in the other byte order",
			    0);
	if (long_size != 4 && long_size != 8)
		return fail(r, "its tracing data has longs of %llu bytes",
			    long_size);
	sym_tep_set_file_bigendian(r->tep,
				   endian ? TEP_BIG_ENDIAN : TEP_LITTLE_ENDIAN);
	sym_tep_set_long_size(r->tep, long_size);
	sym_tep_set_page_size(r->tep, page_size);
	return strcmp(version, "0.5") ? 6 : 5;
}

static int parse_tracing_data(struct file_reader *r, const char *buf,
			      uint64_t size)
{
	struct td_cursor c = { .p = buf, .end = buf + size };
	uint64_t len;
	const char *p;
	int version = td_header(r, &c);

	if (version < 0)
		return -1;
	if (!td_string(&c) || !(p = td_blob(&c, &len)) ||
	    sym_tep_parse_header_page(r->tep, (char *)p, len,
				      sym_tep_get_long_size(r->tep)))
		return fail(r, "its tracing data has no header page", 0);
	if (!td_string(&c) || !td_blob(&c, &len))
		return fail(r, "its tracing data has no event header", 0);
	td_skip_blobs(&c, 4);
	td_events(r, &c);
	if (c.bad)
		return fail(r, "its event formats are truncated", 0);
	len = td_num(&c, 4); /* kallsyms */
	td_take(&c, len);
	len = td_num(&c, 4); /* printk formats */
	td_take(&c, len);
	if (version >= 6 && !c.bad)
		td_cmdlines(r, &c);
	return vmscan_fields_init(&r->vf, r->tep, r->why, r->why_len);
}

/* perf writes the feature sections last: a cut file has lost some. */
static int check_features(struct file_reader *r,
			  const struct perf_section *data, const uint8_t *hdr)
{
	struct perf_section table, sec;
	uint64_t i, n = 0;

	for (i = 0; i < 4; i++)
		n += __builtin_popcountll(get_u64(hdr + 72 + 8 * i));
	table.offset = data->offset + data->size;
	table.size = n * sizeof(sec);
	if (!within_file(r, &table))
		return fail(r,
			    "truncated at byte %llu (before its feature "
			    "sections)",
			    r->st.st_size);
	for (i = 0; i < n; i++) {
		if (read_at(r, &sec, sizeof(sec),
			    table.offset + i * sizeof(sec)))
			return -1;
		if (!within_file(r, &sec))
			return fail(r,
				    "truncated at byte %llu (in its feature "
				    "sections)",
				    r->st.st_size);
	}
	return 0;
}

static int read_tracing_data(struct file_reader *r, const uint8_t *hdr)
{
	uint64_t features = get_u64(hdr + 72);
	struct perf_section data, feat;
	char *buf;
	int err;

	memcpy(&data, hdr + 40, sizeof(data));
	if (check_features(r, &data, hdr))
		return -1;
	if (!(features & (1ULL << FEAT_TRACING)))
		return fail(r,
			    "it holds no event formats (was it recorded "
			    "with tracepoint events?)",
			    0);
	/* Feature sections follow the data, one per bit set, in bit order. */
	feat.offset = data.offset + data.size + (features & 1) * sizeof(feat);
	feat.size = sizeof(feat);
	if (feat.offset < data.offset || !within_file(r, &feat) ||
	    read_at(r, &feat, sizeof(feat), feat.offset))
		return fail(r, "its feature sections are truncated", 0);
	if (!within_file(r, &feat) || feat.size > MAX_TRACING_DATA)
		return fail(r, "bad tracing data section (%llu bytes)",
			    feat.size);
	buf = malloc(feat.size + 1);
	if (!buf)
		return fail(r, "out of memory for %llu bytes", feat.size);
	err = read_at(r, buf, feat.size, feat.offset);
	if (!err)
		err = parse_tracing_data(r, buf, feat.size);
	free(buf);
	return err;
}

static int read_header(struct file_reader *r)
{
	uint8_t hdr[HEADER_SIZE];
	struct perf_section data;

	if (r->st.st_size < HEADER_SIZE)
		return fail(r, "truncated perf.data header (%llu bytes)",
			    r->st.st_size);
	if (read_at(r, hdr, sizeof(hdr), 0))
		return -1;
	if (get_u64(hdr) == __builtin_bswap64(PERF_MAGIC))
		return fail(r,
			    "perf.data of the other byte order is not "
			    "supported",
			    0);
	if (get_u64(hdr) != PERF_MAGIC)
		return fail(r, "not a perf.data file", 0);
	if (get_u64(hdr + 8) != HEADER_SIZE)
		return fail(r,
			    "unsupported perf.data header of %llu bytes "
			    "(a pipe recording?)",
			    get_u64(hdr + 8));
	memcpy(&data, hdr + 40, sizeof(data));
	if (!within_file(r, &data))
		return fail(r, "truncated at byte %llu (in its data section)",
			    r->st.st_size);
	r->in.pos = data.offset;
	r->in.end = data.offset + data.size;
	if (read_attrs(r, hdr))
		return -1;
	return read_tracing_data(r, hdr);
}

/*
 * The next whole record, in place: returns 1 with *rec and *size set, 0 at
 * the end of the data section, -1 on a corrupt or truncated record.
 */
static int next_record(struct file_reader *r, const uint8_t **rec,
		       uint16_t *size)
{
	struct perf_stream *in = &r->in;
	size_t left = in->len - in->off, n;

	*size = left < 8 ? 0 : get_u32(in->buf + in->off + 4) >> 16;
	if (left < 8 || left < *size) {
		memmove(in->buf, in->buf + in->off, left);
		in->len = left;
		in->off = 0;
		n = in->end - in->pos < CHUNK ? in->end - in->pos : CHUNK;
		if (read_at(r, in->buf + in->len, n, in->pos))
			return -1;
		in->pos += n;
		in->len += n;
		left = in->len;
		*size = left < 8 ? 0 : get_u32(in->buf + 4) >> 16;
	}
	if (!left)
		return 0;
	if (*size < 8 || *size > left)
		return fail(r, "corrupt record at offset %llu", in->pos - left);
	*rec = in->buf + in->off;
	in->off += *size;
	return 1;
}

/* Fields are taken front to back; a short record sets bad. */
struct rec_cursor {
	const uint8_t *p;
	const uint8_t *end;
	bool bad;
};

static const uint8_t *take(struct rec_cursor *c, uint64_t n)
{
	const uint8_t *p = c->p;

	if (c->bad || n > (uint64_t)(c->end - c->p)) {
		c->bad = true;
		return NULL;
	}
	c->p += n;
	return p;
}

static uint64_t take_u64(struct rec_cursor *c)
{
	const uint8_t *p = take(c, 8);

	return p ? get_u64(p) : 0;
}

static const struct perf_attr *attr_of_id(const struct file_reader *r,
					  uint64_t id)
{
	struct perf_id key = { .id = id }, *found;

	if (!r->nr_ids)
		return NULL;
	found = bsearch(&key, r->ids, r->nr_ids, sizeof(key), by_id);
	return found ? &r->attrs[found->attr] : NULL;
}

/* The attr of a record whose id, if any, is the u64 at p. */
static const struct perf_attr *attr_of(const struct file_reader *r,
				       const uint8_t *p)
{
	if (!r->by_identifier)
		return &r->attrs[0];
	return p ? attr_of_id(r, get_u64(p)) : NULL;
}

static void skip_read(struct rec_cursor *c, uint64_t rf)
{
	uint64_t nr = rf & RF_GROUP ? take_u64(c) : 1;
	uint64_t each = 8 + 8 * (!!(rf & RF_ID) + !!(rf & RF_LOST));

	take(c, 8 * (!!(rf & RF_ENABLED) + !!(rf & RF_RUNNING)));
	if (nr > (uint64_t)(c->end - c->p) / each)
		c->bad = true;
	else
		take(c, nr * each);
}

/* The fields of a sample up to PERF_SAMPLE_RAW, in the order perf writes. */
static const uint8_t *sample_raw(const struct perf_attr *a,
				 struct rec_cursor *c, struct perf_item *it,
				 uint32_t *raw_size)
{
	uint64_t st = a->sample_type, v;
	const uint8_t *p;

	take(c, 8 * (!!(st & S_IDENTIFIER) + !!(st & S_IP)));
	p = take(c, 8);
	if (p) {
		it->pid = get_u32(p);
		it->rec.tid = get_u32(p + 4);
	}
	it->stamp.ts = take_u64(c);
	take(c, 8 * (!!(st & S_ADDR) + !!(st & S_ID) + !!(st & S_STREAM_ID) +
		     !!(st & S_CPU) + !!(st & S_PERIOD)));
	if (st & S_READ)
		skip_read(c, a->read_format);
	if (st & S_CALLCHAIN) {
		v = take_u64(c);
		if (v > (uint64_t)(c->end - c->p) / 8)
			c->bad = true;
		else
			take(c, 8 * v);
	}
	p = take(c, 4);
	*raw_size = p ? get_u32(p) : 0;
	return take(c, *raw_size);
}

static int on_sample(struct file_reader *r, const uint8_t *rec, uint16_t size)
{
	struct rec_cursor c = { .p = rec + 8, .end = rec + size };
	const struct perf_attr *a = attr_of(r, size >= 16 ? rec + 8 : NULL);
	struct perf_item it = { .kind = PERF_ITEM_EVENT };
	const uint8_t *raw;
	uint32_t raw_size, tid;

	/* Only tracepoint samples carry TID, TIME and RAW all three. */
	if (!a || (a->sample_type & (S_TID | S_TIME | S_RAW)) !=
			  (S_TID | S_TIME | S_RAW))
		return 0;
	raw = sample_raw(a, &c, &it, &raw_size);
	if (c.bad)
		return fail(r, "corrupt sample at offset %llu",
			    r->in.pos - (r->in.len - r->in.off) - size);
	tid = it.rec.tid;
	if (vmscan_decode(&r->vf, raw, raw_size, &it.rec) == VMSCAN_OTHER)
		return 0;
	/* The sample's tid is the kernel's; the payload's is the same. */
	it.rec.tid = tid;
	if (it.stamp.ts > r->max_ts)
		r->max_ts = it.stamp.ts;
	return time_queue_push(&r->queue, &it) ? fail(r, "out of memory", 0) :
						 0;
}

/*
 * sample_id_all: a trailer of TID, TIME, ID, STREAM_ID, CPU, IDENTIFIER
 * (those in sample_type) ends every other record. Its time, if any.
 */
static uint64_t trailer_time(const struct file_reader *r, const uint8_t *rec,
			     uint16_t size, size_t body)
{
	const struct perf_attr *a =
		attr_of(r, size >= body + 8 ? rec + size - 8 : NULL);
	uint64_t st = a ? a->sample_type : 0;
	size_t after = 8 * (!!(st & S_ID) + !!(st & S_STREAM_ID) +
			    !!(st & S_CPU) + !!(st & S_IDENTIFIER));

	if (!a || !a->id_all || !(st & S_TIME) || size < body + after + 8)
		return r->max_ts;
	return get_u64(rec + size - after - 8);
}

static int on_comm(struct file_reader *r, const uint8_t *rec, uint16_t size)
{
	struct perf_item it = { .kind = PERF_ITEM_COMM };
	size_t len;

	if (size < 8 + 8 + 1)
		return fail(r, "corrupt COMM record at offset %llu",
			    r->in.pos - (r->in.len - r->in.off) - size);
	it.pid = get_u32(rec + 8);
	it.tid = get_u32(rec + 12);
	len = strnlen((const char *)rec + 16, size - 16);
	if (len >= sizeof(it.comm))
		len = sizeof(it.comm) - 1;
	memcpy(it.comm, rec + 16, len);
	/* The comm is padded to 8 bytes, then the trailer. */
	it.stamp.ts = trailer_time(r, rec, size, 16 + ((len + 8) & ~7UL));
	return time_queue_push(&r->queue, &it) ? fail(r, "out of memory", 0) :
						 0;
}

/* {pid, ppid, tid, ptid, time}: the new thread starts with ptid's comm. */
static int on_fork(struct file_reader *r, const uint8_t *rec, uint16_t size)
{
	struct perf_item it = { .kind = PERF_ITEM_FORK };

	if (size < 8 + 24)
		return fail(r, "corrupt FORK record at offset %llu",
			    r->in.pos - (r->in.len - r->in.off) - size);
	it.pid = get_u32(rec + 20); /* ptid */
	it.tid = get_u32(rec + 16);
	it.stamp.ts = get_u64(rec + 24);
	return time_queue_push(&r->queue, &it) ? fail(r, "out of memory", 0) :
						 0;
}

static int on_lost(struct file_reader *r, const uint8_t *rec, uint16_t size,
		   size_t at)
{
	struct perf_item it = { .kind = PERF_ITEM_LOST };

	if (size < at + 8)
		return fail(r, "corrupt LOST record at offset %llu",
			    r->in.pos - (r->in.len - r->in.off) - size);
	it.lost = get_u64(rec + at);
	it.stamp.ts = trailer_time(r, rec, size, at + 8);
	return time_queue_push(&r->queue, &it) ? fail(r, "out of memory", 0) :
						 0;
}

/* Who a thread is: the sample's pid, the last COMM said or cmdlines. */
static void task_of(struct file_reader *r, const struct perf_item *it,
		    struct replay_task *t)
{
	const char *comm = comm_table_get(&r->comms, it->rec.tid);

	t->pid = it->pid;
	if (!comm && sym_tep_is_pid_registered(r->tep, it->rec.tid))
		comm = sym_tep_data_comm_from_pid(r->tep, it->rec.tid);
	t->comm = comm;
}

static void inherit_comm(struct file_reader *r, uint32_t parent, uint32_t child)
{
	const char *comm = comm_table_get(&r->comms, parent);
	char copy[DR_COMM_LEN];

	if (!comm)
		return;
	/* Setting may move the table: copy first. */
	memcpy(copy, comm, sizeof(copy));
	if (comm_table_set(&r->comms, child, copy)) {
		r->rp->err = -ENOMEM;
		r->rp->done = true;
	}
}

static int replay_item(const void *rec, void *ctx)
{
	const struct perf_item *it = rec;
	struct file_reader *r = ctx;
	struct replay_task t = { 0 };

	switch (it->kind) {
	case PERF_ITEM_EVENT:
		if (it->rec.type == VMSCAN_END)
			task_of(r, it, &t);
		replay_record(r->rp, it->stamp.ts, &it->rec, &t);
		break;
	case PERF_ITEM_COMM:
		if (comm_table_set(&r->comms, it->tid, it->comm)) {
			r->rp->err = -ENOMEM;
			r->rp->done = true;
		}
		break;
	case PERF_ITEM_FORK:
		inherit_comm(r, it->pid, it->tid);
		break;
	case PERF_ITEM_LOST:
		replay_lost(r->rp, it->stamp.ts, it->lost);
		break;
	}
	return r->rp->done;
}

/* Replay the items up to upto; once the replay is done, drop the rest. */
static void replay_upto(struct file_reader *r, uint64_t upto)
{
	if (time_queue_flush(&r->queue, upto, replay_item, r))
		time_queue_free(&r->queue);
}

/* As perf's ordered events: a round's records may reach back one round. */
static void end_round(struct file_reader *r)
{
	replay_upto(r, r->next_flush);
	r->next_flush = r->max_ts;
	if (r->queue.nr > PERF_QUEUE_MAX)
		replay_upto(r, time_queue_median(&r->queue));
}

static int on_record(struct file_reader *r, const uint8_t *rec, uint16_t size)
{
	switch (get_u32(rec)) {
	case REC_SAMPLE:
		return on_sample(r, rec, size);
	case REC_COMM:
		return on_comm(r, rec, size);
	case REC_FORK:
		return on_fork(r, rec, size);
	case REC_LOST:
		return on_lost(r, rec, size, 16);
	case REC_LOST_SAMPLES:
		return on_lost(r, rec, size, 8);
	case REC_FINISHED_ROUND:
		end_round(r);
		return 0;
	case REC_COMPRESSED:
		return fail(r,
			    "compressed records (perf record -z) are not "
			    "supported",
			    0);
	}
	return 0;
}

static int perfdata_read(struct file_reader *r, char *why, size_t why_len)
{
	const uint8_t *rec;
	uint16_t size;
	int ret = 0;

	r->why = why;
	r->why_len = why_len;
	while (!r->rp->done && (ret = next_record(r, &rec, &size)) > 0)
		if (on_record(r, rec, size))
			return -1;
	if (ret < 0 && !r->rp->done)
		return -1;
	replay_upto(r, UINT64_MAX);
	return 0;
}

static void perfdata_close(struct file_reader *r)
{
	if (r->tep)
		sym_tep_free(r->tep);
	if (r->in.fd >= 0)
		close(r->in.fd);
	time_queue_free(&r->queue);
	comm_table_free(&r->comms);
	free(r->in.buf);
	free(r->ids);
	free(r);
}

static struct file_reader *perfdata_open(const char *path,
					 struct file_replay *rp, bool debug,
					 char *why, size_t why_len)
{
	struct file_reader *r;

	if (tracelibs_load_tracefs(why, why_len))
		return NULL;
	r = calloc(1, sizeof(*r));
	if (!r) {
		snprintf(why, why_len, "%s", strerror(ENOMEM));
		return NULL;
	}
	*r = (struct file_reader){ .rp = rp, .why = why, .why_len = why_len };
	time_queue_init(&r->queue, sizeof(struct perf_item));
	sym_tep_set_loglevel(debug ? TEP_LOG_WARNING : TEP_LOG_NONE);
	r->tep = sym_tep_alloc();
	r->in.buf = malloc(CHUNK + MAX_RECORD);
	r->in.fd = open(path, O_RDONLY | O_CLOEXEC);
	if (r->in.fd < 0 || fstat(r->in.fd, &r->st)) {
		snprintf(why, why_len, "%s", strerror(errno));
		goto out_close;
	}
	if (!r->tep || !r->in.buf) {
		snprintf(why, why_len, "%s", strerror(ENOMEM));
		goto out_close;
	}
	if (read_header(r))
		goto out_close;
	return r;
out_close:
	perfdata_close(r);
	return NULL;
}

const struct file_reader_ops perfdata_reader = {
	.format = "perf.data",
	.knows_pid = true,
	.open = perfdata_open,
	.read = perfdata_read,
	.close = perfdata_close,
};
