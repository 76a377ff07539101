// SPDX-License-Identifier: GPL-2.0
/* The time-ordering queue of the ftrace backend and the perf.data reader. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "time_queue.h"

#define FIRST_CAP 64

static struct time_stamp *rec_at(const struct time_queue *q, size_t i)
{
	return (struct time_stamp *)((char *)q->recs + i * q->size);
}

void time_queue_init(struct time_queue *q, size_t size)
{
	*q = (struct time_queue){ .size = size };
}

int time_queue_push(struct time_queue *q, const void *rec)
{
	void *recs;
	size_t cap;

	if (q->nr == q->cap) {
		cap = q->cap ? 2 * q->cap : FIRST_CAP;
		recs = realloc(q->recs, cap * q->size);
		if (!recs)
			return -ENOMEM;
		q->recs = recs;
		q->cap = cap;
	}
	memcpy(rec_at(q, q->nr), rec, q->size);
	rec_at(q, q->nr++)->seq = q->seq++;
	return 0;
}

static int by_time(const void *a, const void *b)
{
	const struct time_stamp *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int time_queue_flush(struct time_queue *q, uint64_t upto,
		     int (*fn)(const void *rec, void *ctx), void *ctx)
{
	size_t i;
	int err = 0;

	if (!q->nr)
		return 0;
	qsort(q->recs, q->nr, q->size, by_time);
	for (i = 0; i < q->nr && rec_at(q, i)->ts <= upto && !err; i++)
		err = fn(rec_at(q, i), ctx);
	memmove(q->recs, rec_at(q, i), (q->nr - i) * q->size);
	q->nr -= i;
	if (!q->nr)
		q->seq = 0;
	return err;
}

uint64_t time_queue_median(struct time_queue *q)
{
	if (!q->nr)
		return 0;
	qsort(q->recs, q->nr, q->size, by_time);
	return rec_at(q, q->nr / 2)->ts;
}

void time_queue_free(struct time_queue *q)
{
	free(q->recs);
	time_queue_init(q, q->size);
}
