// SPDX-License-Identifier: GPL-2.0
/* The perf.data reader's time-ordering queue and its comm table. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "perf_queue.h"

int perf_queue_push(struct perf_queue *q, const struct perf_item *it)
{
	struct perf_item *items;
	size_t cap;

	if (q->nr == q->cap) {
		cap = q->cap ? 2 * q->cap : 1024;
		items = realloc(q->items, cap * sizeof(*items));
		if (!items)
			return -ENOMEM;
		q->items = items;
		q->cap = cap;
	}
	q->items[q->nr] = *it;
	q->items[q->nr++].seq = q->seq++;
	return 0;
}

static int by_time(const void *a, const void *b)
{
	const struct perf_item *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

size_t perf_queue_flush(struct perf_queue *q, uint64_t upto,
			bool (*fn)(const struct perf_item *it, void *ctx),
			void *ctx)
{
	size_t i = 0;

	if (!q->nr)
		return 0;
	qsort(q->items, q->nr, sizeof(*q->items), by_time);
	while (i < q->nr && q->items[i].ts <= upto) {
		if (!fn(&q->items[i++], ctx)) {
			i = q->nr;
			break;
		}
	}
	memmove(q->items, q->items + i, (q->nr - i) * sizeof(*q->items));
	q->nr -= i;
	return i;
}

uint64_t perf_queue_median(struct perf_queue *q)
{
	if (!q->nr)
		return 0;
	qsort(q->items, q->nr, sizeof(*q->items), by_time);
	return q->items[q->nr / 2].ts;
}

void perf_queue_free(struct perf_queue *q)
{
	free(q->items);
	*q = (struct perf_queue){ 0 };
}

struct comm_slot {
	uint32_t tid;
	bool used;
	char comm[DR_COMM_LEN];
};

static uint32_t slot_of(uint32_t mask, uint32_t tid)
{
	return (tid * 2654435761u) & mask;
}

static struct comm_slot *slot_for(struct comm_slot *slots, uint32_t mask,
				  uint32_t tid)
{
	uint32_t i = slot_of(mask, tid);

	while (slots[i].used && slots[i].tid != tid)
		i = (i + 1) & mask;
	return &slots[i];
}

static int grow(struct comm_table *t)
{
	uint32_t n = t->slots ? t->mask + 1 : 0, cap = n ? 2 * n : 256, i;
	struct comm_slot *slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		if (t->slots[i].used)
			*slot_for(slots, cap - 1, t->slots[i].tid) =
				t->slots[i];
	free(t->slots);
	t->slots = slots;
	t->mask = cap - 1;
	return 0;
}

int comm_table_set(struct comm_table *t, uint32_t tid, const char *comm)
{
	struct comm_slot *s;
	int err;

	if (!t->slots || 2 * (t->used + 1) > t->mask + 1) {
		err = grow(t);
		if (err)
			return err;
	}
	s = slot_for(t->slots, t->mask, tid);
	if (!s->used) {
		s->used = true;
		s->tid = tid;
		t->used++;
	}
	strncpy(s->comm, comm, sizeof(s->comm) - 1);
	s->comm[sizeof(s->comm) - 1] = '\0';
	return 0;
}

const char *comm_table_get(const struct comm_table *t, uint32_t tid)
{
	struct comm_slot *s;

	if (!t->slots)
		return NULL;
	s = slot_for(t->slots, t->mask, tid);
	return s->used ? s->comm : NULL;
}

void comm_table_free(struct comm_table *t)
{
	free(t->slots);
	*t = (struct comm_table){ 0 };
}
