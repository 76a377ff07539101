/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_PERF_QUEUE_H
#define DRSNOOP_PERF_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "event.h"
#include "vmscan_fields.h"

/* What the perf.data reader keeps until it can be replayed in time order. */
enum perf_item_kind {
	PERF_ITEM_EVENT, /* a vmscan begin or end */
	PERF_ITEM_COMM,
	PERF_ITEM_FORK, /* tid inherits the comm of pid, the parent thread */
	PERF_ITEM_LOST,
};

struct perf_item {
	uint64_t ts;
	uint32_t seq; /* file order: keeps equal timestamps stable */
	uint32_t kind; /* enum perf_item_kind */
	uint32_t pid;
	uint32_t tid; /* COMM, FORK */
	union {
		struct vmscan_rec rec; /* EVENT */
		char comm[DR_COMM_LEN]; /* COMM */
		uint64_t lost; /* LOST: 0 when unknown */
	};
};

struct perf_queue {
	struct perf_item *items;
	size_t nr;
	size_t cap;
	uint32_t seq;
};

int perf_queue_push(struct perf_queue *q, const struct perf_item *it);

/*
 * Sort, then hand fn the items with ts <= upto, oldest first, keeping the
 * rest; or, with upto UINT64_MAX, all of them. fn returns false to stop:
 * the rest is then dropped. Returns how many items were handed over.
 */
size_t perf_queue_flush(struct perf_queue *q, uint64_t upto,
			bool (*fn)(const struct perf_item *it, void *ctx),
			void *ctx);

/* The timestamp below which half of the queue lies (the queue is sorted). */
uint64_t perf_queue_median(struct perf_queue *q);

void perf_queue_free(struct perf_queue *q);

/* Thread id to comm, as the COMM records said. */
struct comm_table {
	struct comm_slot *slots;
	uint32_t mask;
	uint32_t used;
};

int comm_table_set(struct comm_table *t, uint32_t tid, const char *comm);
const char *comm_table_get(const struct comm_table *t, uint32_t tid);
void comm_table_free(struct comm_table *t);

#endif /* DRSNOOP_PERF_QUEUE_H */
