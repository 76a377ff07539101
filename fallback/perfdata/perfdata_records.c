// SPDX-License-Identifier: GPL-2.0
/*
 * perf.data's data section, records {u32 type, u16 misc, u16 size} read
 * through a bounded window: SAMPLE (its raw payload decoded by field
 * name, a begin's callchain kept with -K or --user-stack), COMM, FORK,
 * LOST and LOST_SAMPLES become queued items; a short or corrupt record is
 * an error.
 */
#include <stdlib.h>
#include <string.h>
#include "perfdata_reader.h"

/*
 * The next whole record, in place: returns 1 with *rec and *size set, 0 at
 * the end of the data section, -1 on a corrupt or truncated record.
 */
int perfdata_next_record(struct file_reader *r, const uint8_t **rec,
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
		if (perfdata_read_at(r, in->buf + in->len, n, in->pos))
			return -1;
		in->pos += n;
		in->len += n;
		left = in->len;
		*size = left < 8 ? 0 : get_u32(in->buf + 4) >> 16;
	}
	if (!left)
		return 0;
	if (*size < 8 || *size > left)
		return perfdata_fail(r, "corrupt record at offset %llu",
				     in->pos - left);
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

static void skip_read(struct rec_cursor *c, uint64_t rf)
{
	uint64_t nr = rf & PERF_FORMAT_GROUP ? take_u64(c) : 1;
	uint64_t each =
		8 + 8 * (!!(rf & PERF_FORMAT_ID) + !!(rf & PERF_FORMAT_LOST));

	take(c, 8 * (!!(rf & PERF_FORMAT_TOTAL_TIME_ENABLED) +
		     !!(rf & PERF_FORMAT_TOTAL_TIME_RUNNING)));
	if (nr > (uint64_t)(c->end - c->p) / each)
		c->bad = true;
	else
		take(c, nr * each);
}

/*
 * The fields of a sample up to PERF_SAMPLE_RAW, in the order perf writes;
 * its callchain, if any, at *chain (nr, then nr frames).
 */
static const uint8_t *sample_raw(const struct perf_attr *a,
				 struct rec_cursor *c, struct perf_item *it,
				 uint32_t *raw_size, const uint8_t **chain)
{
	uint64_t st = a->sample_type, v;
	const uint8_t *p;

	take(c,
	     8 * (!!(st & PERF_SAMPLE_IDENTIFIER) + !!(st & PERF_SAMPLE_IP)));
	p = take(c, 8);
	if (p) {
		it->pid = get_u32(p);
		it->rec.tid = get_u32(p + 4);
	}
	it->stamp.ts = take_u64(c);
	take(c, 8 * (!!(st & PERF_SAMPLE_ADDR) + !!(st & PERF_SAMPLE_ID) +
		     !!(st & PERF_SAMPLE_STREAM_ID) + !!(st & PERF_SAMPLE_CPU) +
		     !!(st & PERF_SAMPLE_PERIOD)));
	if (st & PERF_SAMPLE_READ)
		skip_read(c, a->read_format);
	if (st & PERF_SAMPLE_CALLCHAIN) {
		*chain = c->p;
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

static bool wants_stacks(const struct file_reader *r)
{
	return r->rp->want_stack[PAIR_KSTACK] || r->rp->want_stack[PAIR_USTACK];
}

int perfdata_on_sample(struct file_reader *r, const uint8_t *rec, uint16_t size)
{
	struct rec_cursor c = { .p = rec + 8, .end = rec + size };
	const struct perf_attr *a =
		perfdata_attr_of(r, size >= 16 ? rec + 8 : NULL);
	struct perf_item it = { .kind = PERF_ITEM_EVENT };
	const uint8_t *raw, *chain = NULL;
	uint32_t raw_size, tid;

	/* Only tracepoint samples carry TID, TIME and RAW all three. */
	if (!a ||
	    (a->sample_type &
	     (PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_RAW)) !=
		    (PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_RAW))
		return 0;
	raw = sample_raw(a, &c, &it, &raw_size, &chain);
	if (c.bad)
		return perfdata_fail(r, "corrupt sample at offset %llu",
				     r->in.pos - (r->in.len - r->in.off) -
					     size);
	tid = it.rec.tid;
	if (vmscan_decode(&r->vf, raw, raw_size, &it.rec) == VMSCAN_OTHER)
		return 0;
	/* The sample's tid is the kernel's; the payload's is the same. */
	it.rec.tid = tid;
	if (it.stamp.ts > r->max_ts)
		r->max_ts = it.stamp.ts;
	if (chain &&
	    (it.rec.type == VMSCAN_BEGIN ||
	     it.rec.type == VMSCAN_COMPACT_TRY) &&
	    wants_stacks(r)) {
		it.chain = perfdata_copy_chain(chain + 8, get_u64(chain));
		if (!it.chain)
			return perfdata_fail(r, "out of memory", 0);
	}
	if (time_queue_push(&r->queue, &it)) {
		free(it.chain);
		return perfdata_fail(r, "out of memory", 0);
	}
	return 0;
}

/*
 * sample_id_all: a trailer of TID, TIME, ID, STREAM_ID, CPU, IDENTIFIER
 * (those in sample_type) ends every other record. Its time, if any.
 */
static uint64_t trailer_time(const struct file_reader *r, const uint8_t *rec,
			     uint16_t size, size_t body)
{
	const struct perf_attr *a =
		perfdata_attr_of(r, size >= body + 8 ? rec + size - 8 : NULL);
	uint64_t st = a ? a->sample_type : 0;
	size_t after =
		8 *
		(!!(st & PERF_SAMPLE_ID) + !!(st & PERF_SAMPLE_STREAM_ID) +
		 !!(st & PERF_SAMPLE_CPU) + !!(st & PERF_SAMPLE_IDENTIFIER));

	if (!a || !a->id_all || !(st & PERF_SAMPLE_TIME) ||
	    size < body + after + 8)
		return r->max_ts;
	return get_u64(rec + size - after - 8);
}

int perfdata_on_comm(struct file_reader *r, const uint8_t *rec, uint16_t size)
{
	struct perf_item it = { .kind = PERF_ITEM_COMM };
	size_t len;

	if (size < 8 + 8 + 1)
		return perfdata_fail(r, "corrupt COMM record at offset %llu",
				     r->in.pos - (r->in.len - r->in.off) -
					     size);
	it.pid = get_u32(rec + 8);
	it.tid = get_u32(rec + 12);
	len = strnlen((const char *)rec + 16, size - 16);
	if (len >= sizeof(it.comm))
		len = sizeof(it.comm) - 1;
	memcpy(it.comm, rec + 16, len);
	/* The comm is padded to 8 bytes, then the trailer. */
	it.stamp.ts = trailer_time(r, rec, size, 16 + ((len + 8) & ~7UL));
	return time_queue_push(&r->queue, &it) ?
		       perfdata_fail(r, "out of memory", 0) :
		       0;
}

/* {pid, ppid, tid, ptid, time}: the new thread starts with ptid's comm. */
int perfdata_on_fork(struct file_reader *r, const uint8_t *rec, uint16_t size)
{
	struct perf_item it = { .kind = PERF_ITEM_FORK };

	if (size < 8 + 24)
		return perfdata_fail(r, "corrupt FORK record at offset %llu",
				     r->in.pos - (r->in.len - r->in.off) -
					     size);
	it.pid = get_u32(rec + 20); /* ptid */
	it.tid = get_u32(rec + 16);
	it.stamp.ts = get_u64(rec + 24);
	return time_queue_push(&r->queue, &it) ?
		       perfdata_fail(r, "out of memory", 0) :
		       0;
}

int perfdata_on_lost(struct file_reader *r, const uint8_t *rec, uint16_t size,
		     size_t at)
{
	struct perf_item it = { .kind = PERF_ITEM_LOST };

	if (size < at + 8)
		return perfdata_fail(r, "corrupt LOST record at offset %llu",
				     r->in.pos - (r->in.len - r->in.off) -
					     size);
	it.lost = get_u64(rec + at);
	it.stamp.ts = trailer_time(r, rec, size, at + 8);
	return time_queue_push(&r->queue, &it) ?
		       perfdata_fail(r, "out of memory", 0) :
		       0;
}
