// SPDX-License-Identifier: GPL-2.0
/*
 * The ftrace backend's decoding of raw sub-buffers into records; see
 * ftrace_decode.h. Only the header page and the two vmscan formats are
 * parsed: a tep built by tracefs_local_events*() would also read all of
 * /proc/kallsyms and saved_cmdlines, which costs a tenth of a second and
 * tells us nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ftrace_decode.h"
#include "src/sys/tracelibs.h"

static struct tep_event *parse_sys_event(struct tep_handle *tep, char *fmt,
					 int len, const char *sys,
					 const char *name, char *why,
					 size_t why_len)
{
	if (sym_tep_parse_event(tep, fmt, len, sys)) {
		snprintf(why, why_len, "cannot parse the format of '%s:%s'",
			 sys, name);
		return NULL;
	}
	return sym_tep_find_event_by_name(tep, sys, name);
}

static struct tep_event *parse_event(struct tep_handle *tep, char *fmt, int len,
				     const char *name, char *why,
				     size_t why_len)
{
	return parse_sys_event(tep, fmt, len, "vmscan", name, why, why_len);
}

/* With --compaction and --high, their events; each must be decodable. */
static int parse_extra(struct ftrace_decoder *d, const struct ftrace_formats *f,
		       char *why, size_t len)
{
	int i;

	for (i = 0; i < COMPACT_NR_EVENTS; i++) {
		if (!f->compact[i])
			continue;
		d->compact[i] = parse_sys_event(
			d->tep, f->compact[i], f->compact_len[i],
			COMPACT_SYSTEM, compact_events[i], why, len);
		if (!d->compact[i])
			return -1;
	}
	for (i = 0; i < HIGH_NR_EVENTS; i++) {
		if (!f->high[i])
			continue;
		d->high[i] = parse_sys_event(d->tep, f->high[i], f->high_len[i],
					     f->high_system, high_events[i],
					     why, len);
		if (!d->high[i])
			return -1;
	}
	return 0;
}

/* An extra event parsed but not decodable: which, in why. */
static int check_extra(struct ftrace_decoder *d, char *why, size_t len)
{
	const struct compact_fields *cf = &d->events.fields.compact;
	int i;

	for (i = 0; i < COMPACT_NR_EVENTS; i++)
		if (d->compact[i] && cf->id[i] < 0) {
			snprintf(why, len,
				 "event '%s:%s' lacks the fields drsnoop "
				 "reads",
				 COMPACT_SYSTEM, compact_events[i]);
			return -1;
		}
	for (i = 0; i < HIGH_NR_EVENTS; i++)
		if (d->high[i] && cf->high_id[i] < 0) {
			snprintf(why, len, "event '%s' cannot be decoded",
				 high_events[i]);
			return -1;
		}
	return 0;
}

/* One kind's two events, or none when begin is NULL (not traced). */
static int parse_kind(struct ftrace_decoder *d, int kind, char *begin,
		      int begin_len, char *end, int end_len, char *why,
		      size_t why_len)
{
	struct ftrace_kind *k = &d->kinds[kind];

	if (!begin)
		return 0;
	k->begin = parse_event(d->tep, begin, begin_len,
			       vmscan_begin_events[kind], why, why_len);
	k->end = parse_event(d->tep, end, end_len, vmscan_end_events[kind], why,
			     why_len);
	return k->begin && k->end ? 0 : -1;
}

/* ftrace's stack events, those asked for. */
static int parse_stacks(struct ftrace_decoder *d,
			const struct ftrace_formats *f, char *why, size_t len)
{
	int kind;

	for (kind = 0; kind < PAIR_NR_STACKS; kind++)
		if (f->stacks[kind] &&
		    sym_tep_parse_event(d->tep, f->stacks[kind],
					f->stacks_len[kind], "ftrace")) {
			snprintf(why, len,
				 "cannot parse the format of 'ftrace:%s'",
				 kind == PAIR_KSTACK ? "kernel_stack" :
						       "user_stack");
			return -1;
		}
	return 0;
}

static int parse_kinds(struct ftrace_decoder *d, const struct ftrace_formats *f,
		       char *why, size_t len)
{
	bool want_stack[PAIR_NR_STACKS];
	int kind;

	if (parse_kind(d, 0, f->begin, f->begin_len, f->end, f->end_len, why,
		       len))
		return -1;
	for (kind = 1; kind < VMSCAN_NR_KINDS; kind++)
		if (parse_kind(d, kind, f->memcg[2 * kind - 2],
			       f->memcg_len[2 * kind - 2],
			       f->memcg[2 * kind - 1],
			       f->memcg_len[2 * kind - 1], why, len))
			return -1;
	if (f->throttle) {
		d->throttle = parse_event(d->tep, f->throttle, f->throttle_len,
					  VMSCAN_THROTTLE_EVENT, why, len);
		if (!d->throttle)
			return -1;
	}
	if (parse_extra(d, f, why, len) || parse_stacks(d, f, why, len))
		return -1;
	for (kind = 0; kind < PAIR_NR_STACKS; kind++)
		want_stack[kind] = f->stacks[kind];
	if (ftrace_events_init(&d->events, d->tep, want_stack, why, len))
		return -1;
	/* A kind traced but not laid out as direct reclaim's is an error. */
	for (kind = 1; kind < VMSCAN_NR_KINDS; kind++)
		if (d->kinds[kind].begin &&
		    d->events.fields.begin_id[kind] < 0) {
			snprintf(why, len,
				 "event 'vmscan:%s' is not laid out as "
				 "'vmscan:%s'",
				 vmscan_begin_events[kind],
				 vmscan_begin_events[0]);
			return -1;
		}
	if (d->throttle && d->events.fields.throttle_id < 0) {
		snprintf(why, len,
			 "event 'vmscan:%s' lacks the fields drsnoop reads",
			 VMSCAN_THROTTLE_EVENT);
		return -1;
	}
	return check_extra(d, why, len);
}

int ftrace_decoder_init(struct ftrace_decoder *d,
			const struct ftrace_formats *f, char *why,
			size_t why_len)
{
	*d = (struct ftrace_decoder){ .tep = sym_tep_alloc() };
	if (!d->tep) {
		snprintf(why, why_len, "%s", strerror(ENOMEM));
		return -1;
	}
	sym_tep_set_long_size(d->tep, sizeof(long));
	sym_tep_set_page_size(d->tep, getpagesize());
	if (sym_tep_parse_header_page(d->tep, f->header_page, f->header_len,
				      sizeof(long))) {
		snprintf(why, why_len, "cannot parse 'events/header_page'");
		goto out_free;
	}
	if (parse_kinds(d, f, why, why_len))
		goto out_free;
	d->kbuf = sym_tep_kbuffer(d->tep);
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
		sym_kbuffer_free(d->kbuf);
	if (d->tep)
		sym_tep_free(d->tep);
	ftrace_events_free(&d->events);
	*d = (struct ftrace_decoder){ 0 };
}

int ftrace_decoder_subbuf_size(const struct ftrace_decoder *d)
{
	int size = sym_tep_get_sub_buffer_size(d->tep);

	return size > 0 ? size : getpagesize();
}

/* A stack that follows its begin, as a record that owns a copy of it. */
static int copy_stack(const struct ftrace_stack *s, uint64_t begin_ts,
		      struct ftrace_rec *r)
{
	r->addrs = malloc(s->nr * sizeof(*r->addrs));
	if (!r->addrs)
		return -ENOMEM;
	memcpy(r->addrs, s->addrs, s->nr * sizeof(*r->addrs));
	r->type = FTRACE_REC_STACK;
	r->stack.begin_ts = begin_ts;
	r->stack.nr = s->nr;
	r->stack.tid = s->tid;
	r->stack.kind = s->kind;
	return 1;
}

/*
 * One event of the sub-buffer: 1 with r filled, 0 to skip it (another
 * event, a stack of no begin), or -errno.
 */
static int decode_event(struct ftrace_decoder *d, void *data, int size,
			uint32_t cpu, struct ftrace_rec *r)
{
	uint64_t begin_ts;

	switch (ftrace_events_decode(&d->events, cpu, data, size, r->stamp.ts,
				     &r->v, &begin_ts)) {
	case FTRACE_EVENT_VMSCAN:
		r->type = FTRACE_REC_VMSCAN;
		return 1;
	case FTRACE_EVENT_STACK:
		return copy_stack(&d->events.stack, begin_ts, r);
	}
	return 0;
}

/*
 * Losses are flagged on the sub-buffer that follows them, but the lost
 * events came right after the last one read from the CPU: the record is
 * stamped there, so that no event of another CPU from the time lost
 * (the other half of a stall with a lost event) is handed over before it.
 */
static int push_lost(struct ftrace_decoder *d, uint32_t cpu,
		     uint64_t lost_after, struct time_queue *q)
{
	int missed = sym_kbuffer_missed_events(d->kbuf);
	struct ftrace_rec r = { .stamp.ts = lost_after,
				.type = FTRACE_REC_LOST,
				.cpu = cpu };

	if (!missed)
		return 0;
	r.lost = ftrace_events_lost(&d->events, cpu, missed);
	return time_queue_push(q, &r);
}

int ftrace_decode_subbuf(struct ftrace_decoder *d, void *subbuf, uint32_t cpu,
			 uint64_t lost_after, struct time_queue *q,
			 uint64_t *last_ts)
{
	unsigned long long ts;
	struct ftrace_rec r;
	void *data;
	int err;

	if (sym_kbuffer_load_subbuffer(d->kbuf, subbuf))
		return -EINVAL;
	err = push_lost(d, cpu, lost_after, q);
	for (data = sym_kbuffer_read_event(d->kbuf, &ts); data && !err;
	     data = sym_kbuffer_next_event(d->kbuf, &ts)) {
		*last_ts = ts;
		r = (struct ftrace_rec){ .stamp.ts = ts, .cpu = cpu };
		err = decode_event(d, data, sym_kbuffer_event_size(d->kbuf),
				   cpu, &r);
		if (err > 0) {
			err = time_queue_push(q, &r);
			if (err)
				free(r.addrs);
		}
	}
	return err;
}

static int free_stack(const void *rec, void *ctx)
{
	free(((const struct ftrace_rec *)rec)->addrs);
	return 0;
}

void ftrace_queue_free(struct time_queue *q)
{
	time_queue_flush(q, UINT64_MAX, free_stack, NULL);
	time_queue_free(q);
}
