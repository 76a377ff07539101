// SPDX-License-Identifier: GPL-2.0
/*
 * Only the header page and the two vmscan formats are parsed: a tep built
 * by tracefs_local_events*() would also read all of /proc/kallsyms and
 * saved_cmdlines, which costs a tenth of a second and tells us nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <event-parse.h>
#include <kbuffer.h>
#include "ftrace_decode.h"

#define BEGIN_EVENT "mm_vmscan_direct_reclaim_begin"
#define END_EVENT   "mm_vmscan_direct_reclaim_end"

static struct tep_format_field *field(struct tep_event *ev, const char *name,
				      char *why, size_t len)
{
	struct tep_format_field *f = tep_find_any_field(ev, name);

	if (!f)
		snprintf(why, len, "event 'vmscan:%s' has no field '%s'",
			 ev->name, name);
	return f;
}

static struct tep_event *parse_event(struct tep_handle *tep, char *fmt, int len,
				     const char *name, char *why,
				     size_t why_len)
{
	if (tep_parse_event(tep, fmt, len, "vmscan")) {
		snprintf(why, why_len, "cannot parse the format of 'vmscan:%s'",
			 name);
		return NULL;
	}
	return tep_find_event_by_name(tep, "vmscan", name);
}

static int find_fields(struct ftrace_decoder *d, char *why, size_t len)
{
	d->pid = field(d->begin, "common_pid", why, len);
	if (!d->pid)
		return -1;
	d->order = field(d->begin, "order", why, len);
	if (!d->order)
		return -1;
	d->gfp_flags = field(d->begin, "gfp_flags", why, len);
	if (!d->gfp_flags)
		return -1;
	d->nr_reclaimed = field(d->end, "nr_reclaimed", why, len);
	return d->nr_reclaimed ? 0 : -1;
}

int ftrace_decoder_init(struct ftrace_decoder *d,
			const struct ftrace_formats *f, char *why,
			size_t why_len)
{
	*d = (struct ftrace_decoder){ .tep = tep_alloc() };
	if (!d->tep) {
		snprintf(why, why_len, "%s", strerror(ENOMEM));
		return -1;
	}
	tep_set_long_size(d->tep, sizeof(long));
	tep_set_page_size(d->tep, getpagesize());
	if (tep_parse_header_page(d->tep, f->header_page, f->header_len,
				  sizeof(long))) {
		snprintf(why, why_len, "cannot parse 'events/header_page'");
		goto out_free;
	}
	d->begin = parse_event(d->tep, f->begin, f->begin_len, BEGIN_EVENT, why,
			       why_len);
	d->end = parse_event(d->tep, f->end, f->end_len, END_EVENT, why,
			     why_len);
	if (!d->begin || !d->end || find_fields(d, why, why_len))
		goto out_free;
	d->kbuf = tep_kbuffer(d->tep);
	if (!d->kbuf) {
		snprintf(why, why_len, "cannot set up the ring-buffer parser");
		goto out_free;
	}
	return 0;
out_free:
	ftrace_decoder_free(d);
	return -1;
}

void ftrace_decoder_free(struct ftrace_decoder *d)
{
	if (d->kbuf)
		kbuffer_free(d->kbuf);
	if (d->tep)
		tep_free(d->tep);
	*d = (struct ftrace_decoder){ 0 };
}

int ftrace_decoder_subbuf_size(const struct ftrace_decoder *d)
{
	int size = tep_get_sub_buffer_size(d->tep);

	return size > 0 ? size : getpagesize();
}

static uint64_t number(struct tep_format_field *f, const void *data)
{
	unsigned long long v = 0;

	tep_read_number_field(f, data, &v);
	return v;
}

/* One event of the sub-buffer; other events (none are enabled) are skipped. */
static int decode_event(struct ftrace_decoder *d, void *data, int size,
			struct ftrace_rec *r)
{
	struct tep_record rec = { .data = data, .size = size };
	int type = tep_data_type(d->tep, &rec);

	r->tid = number(d->pid, data);
	if (type == d->begin->id) {
		r->type = FTRACE_REC_BEGIN;
		r->order = (int32_t)number(d->order, data);
		r->value = number(d->gfp_flags, data);
		return 1;
	}
	if (type == d->end->id) {
		r->type = FTRACE_REC_END;
		r->order = -1;
		r->value = number(d->nr_reclaimed, data);
		return 1;
	}
	return 0;
}

/* Losses are flagged on the first event of the sub-buffer that follows them. */
static int push_lost(struct ftrace_decoder *d, uint32_t cpu,
		     struct ftrace_queue *q)
{
	int missed = kbuffer_missed_events(d->kbuf);
	unsigned long long ts = 0;
	struct ftrace_rec r = { .type = FTRACE_REC_LOST, .cpu = cpu };

	if (!missed)
		return 0;
	kbuffer_read_event(d->kbuf, &ts);
	r.ts = ts;
	r.value = missed > 0 ? (uint64_t)missed : 0;
	return ftrace_queue_push(q, &r);
}

int ftrace_decode_subbuf(struct ftrace_decoder *d, void *subbuf, uint32_t cpu,
			 struct ftrace_queue *q)
{
	unsigned long long ts;
	struct ftrace_rec r;
	void *data;
	int err;

	if (kbuffer_load_subbuffer(d->kbuf, subbuf))
		return -EINVAL;
	err = push_lost(d, cpu, q);
	for (data = kbuffer_read_event(d->kbuf, &ts); data && !err;
	     data = kbuffer_next_event(d->kbuf, &ts)) {
		r = (struct ftrace_rec){ .ts = ts, .cpu = cpu };
		if (decode_event(d, data, kbuffer_event_size(d->kbuf), &r))
			err = ftrace_queue_push(q, &r);
	}
	return err;
}

int ftrace_queue_push(struct ftrace_queue *q, const struct ftrace_rec *r)
{
	struct ftrace_rec *recs;
	size_t cap;

	if (q->nr == q->cap) {
		cap = q->cap ? 2 * q->cap : 64;
		recs = realloc(q->recs, cap * sizeof(*recs));
		if (!recs)
			return -ENOMEM;
		q->recs = recs;
		q->cap = cap;
	}
	q->recs[q->nr] = *r;
	q->recs[q->nr++].seq = q->seq++;
	return 0;
}

static int by_time(const void *a, const void *b)
{
	const struct ftrace_rec *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int ftrace_queue_flush(struct ftrace_queue *q, uint64_t upto,
		       int (*fn)(const struct ftrace_rec *r, void *ctx),
		       void *ctx)
{
	size_t i;
	int err = 0;

	if (!q->nr)
		return 0;
	qsort(q->recs, q->nr, sizeof(*q->recs), by_time);
	for (i = 0; i < q->nr && q->recs[i].ts <= upto && !err; i++)
		err = fn(&q->recs[i], ctx);
	memmove(q->recs, q->recs + i, (q->nr - i) * sizeof(*q->recs));
	q->nr -= i;
	if (!q->nr)
		q->seq = 0;
	return err;
}

void ftrace_queue_free(struct ftrace_queue *q)
{
	free(q->recs);
	*q = (struct ftrace_queue){ 0 };
}
