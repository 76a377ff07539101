// SPDX-License-Identifier: GPL-2.0
/*
 * The perf.data container: its header, the event attributes with their
 * sample ids (sample_type says how to parse samples), and the feature
 * sections after the data, of which HEADER_TRACING_DATA, the event
 * formats, is handed to perfdata_formats.c and the machine's identity to
 * perfdata_stacks.c. Every size and offset is checked against the file
 * before use (perfdata_io.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include "perfdata_reader.h"

#define PERF_MAGIC	 0x32454c4946524550ULL /* "PERFILE2" */
#define HEADER_SIZE	 104
#define FEAT_TRACING	 1 /* HEADER_TRACING_DATA */
#define MAX_IDS		 65536
#define MAX_TRACING_DATA (256U << 20)

#define TYPE_TRACEPOINT 2
#define ATTR_MIN_SIZE	64 /* PERF_ATTR_SIZE_VER0 */
#define SAMPLE_ID_ALL	(1ULL << 18) /* bit of the attr's flags word */

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

	if (!perfdata_within(r, s) || n > MAX_IDS - r->nr_ids)
		return perfdata_fail(r, "bad id section of event %llu", attr);
	ids = realloc(r->ids, (r->nr_ids + n + 1) * sizeof(*ids));
	if (!ids)
		return perfdata_fail(r, "out of memory for %llu ids", n);
	r->ids = ids;
	for (i = 0; i < n; i++) {
		if (perfdata_read_at(r, &ids[r->nr_ids].id, sizeof(uint64_t),
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

	if (perfdata_read_at(r, buf, attr_size, off))
		return -1;
	a->sample_type = get_u64(buf + 24);
	a->read_format = get_u64(buf + 32);
	a->id_all = get_u64(buf + 40) & SAMPLE_ID_ALL;
	if (get_u32(buf) == TYPE_TRACEPOINT &&
	    (a->sample_type &
	     (PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_RAW)) !=
		    (PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_RAW))
		return perfdata_fail(
			r,
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
		with_identifier +=
			!!(r->attrs[i].sample_type & PERF_SAMPLE_IDENTIFIER);
		same += r->attrs[i].sample_type == r->attrs[0].sample_type &&
			r->attrs[i].read_format == r->attrs[0].read_format &&
			r->attrs[i].id_all == r->attrs[0].id_all;
	}
	r->by_identifier = with_identifier == r->nr_attrs;
	if (r->nr_ids)
		qsort(r->ids, r->nr_ids, sizeof(*r->ids), by_id);
	if (!r->by_identifier && same != r->nr_attrs)
		return perfdata_fail(
			r, "its %llu events have different sample layouts",
			r->nr_attrs);
	return 0;
}

static int read_attrs(struct file_reader *r, const uint8_t *hdr)
{
	uint64_t attr_size = get_u64(hdr + 16), i;
	struct perf_section s;

	memcpy(&s, hdr + 24, sizeof(s));
	if (attr_size < ATTR_MIN_SIZE + sizeof(s) || attr_size > 4096 ||
	    !perfdata_within(r, &s) || s.size % attr_size)
		return perfdata_fail(
			r, "bad event attribute section (%llu bytes each)",
			attr_size);
	r->nr_attrs = s.size / attr_size;
	if (!r->nr_attrs || r->nr_attrs > MAX_ATTRS)
		return perfdata_fail(r, "it records %llu events",
				     s.size / attr_size);
	for (i = 0; i < r->nr_attrs; i++)
		if (read_attr(r, s.offset + i * attr_size, attr_size, i))
			return -1;
	return check_layouts(r);
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
const struct perf_attr *perfdata_attr_of(const struct file_reader *r,
					 const uint8_t *p)
{
	if (!r->by_identifier)
		return &r->attrs[0];
	return p ? attr_of_id(r, get_u64(p)) : NULL;
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
	if (!perfdata_within(r, &table))
		return perfdata_fail(
			r,
			"truncated at byte %llu (before its feature "
			"sections)",
			r->st.st_size);
	for (i = 0; i < n; i++) {
		if (perfdata_read_at(r, &sec, sizeof(sec),
				     table.offset + i * sizeof(sec)))
			return -1;
		if (!perfdata_within(r, &sec))
			return perfdata_fail(
				r,
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
		return perfdata_fail(
			r,
			"it holds no event formats (was it recorded "
			"with tracepoint events?)",
			0);
	/* Feature sections follow the data, one per bit set, in bit order. */
	feat.offset = data.offset + data.size + (features & 1) * sizeof(feat);
	feat.size = sizeof(feat);
	if (feat.offset < data.offset || !perfdata_within(r, &feat) ||
	    perfdata_read_at(r, &feat, sizeof(feat), feat.offset))
		return perfdata_fail(r, "its feature sections are truncated",
				     0);
	if (!perfdata_within(r, &feat) || feat.size > MAX_TRACING_DATA)
		return perfdata_fail(r, "bad tracing data section (%llu bytes)",
				     feat.size);
	buf = malloc(feat.size + 1);
	if (!buf)
		return perfdata_fail(r, "out of memory for %llu bytes",
				     feat.size);
	err = perfdata_read_at(r, buf, feat.size, feat.offset);
	if (!err)
		err = perfdata_parse_tracing_data(r, buf, feat.size);
	free(buf);
	return err;
}

int perfdata_read_header(struct file_reader *r)
{
	uint8_t hdr[HEADER_SIZE];
	struct perf_section data;

	if (r->st.st_size < HEADER_SIZE)
		return perfdata_fail(r,
				     "truncated perf.data header (%llu bytes)",
				     r->st.st_size);
	if (perfdata_read_at(r, hdr, sizeof(hdr), 0))
		return -1;
	if (get_u64(hdr) == __builtin_bswap64(PERF_MAGIC))
		return perfdata_fail(r,
				     "perf.data of the other byte order is not "
				     "supported",
				     0);
	if (get_u64(hdr) != PERF_MAGIC)
		return perfdata_fail(r, "not a perf.data file", 0);
	if (get_u64(hdr + 8) != HEADER_SIZE)
		return perfdata_fail(
			r,
			"unsupported perf.data header of %llu bytes "
			"(a pipe recording?)",
			get_u64(hdr + 8));
	memcpy(&data, hdr + 40, sizeof(data));
	if (!perfdata_within(r, &data))
		return perfdata_fail(
			r, "truncated at byte %llu (in its data section)",
			r->st.st_size);
	r->in.pos = data.offset;
	r->in.end = data.offset + data.size;
	if (read_attrs(r, hdr))
		return -1;
	perfdata_read_identity(r, hdr);
	return read_tracing_data(r, hdr);
}
