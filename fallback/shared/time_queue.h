/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_TIME_QUEUE_H
#define DRSNOOP_TIME_QUEUE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Records kept until they can be handed over in timestamp order. Every
 * record starts with a struct time_stamp; what follows is the user's, of
 * the size given to time_queue_init(), and is copied into the queue.
 */
struct time_stamp {
	uint64_t ts;
	uint32_t seq; /* arrival order, set by the queue: keeps ties stable */
};

struct time_queue {
	void *recs;
	size_t size; /* of one record */
	size_t nr;
	size_t cap;
	uint32_t seq;
};

void time_queue_init(struct time_queue *q, size_t size);

/* Queue a copy of rec, which starts with its struct time_stamp. */
int time_queue_push(struct time_queue *q, const void *rec);

/*
 * Sort, then hand fn the records with ts <= upto, oldest first, and keep
 * the rest. A nonzero return from fn stops the flush, the record it was
 * given done with, and is returned.
 */
int time_queue_flush(struct time_queue *q, uint64_t upto,
		     int (*fn)(const void *rec, void *ctx), void *ctx);

/* The timestamp below which half of the queue lies (the queue is sorted). */
uint64_t time_queue_median(struct time_queue *q);

/* Drop every record; the queue stays ready for more of the same size. */
void time_queue_free(struct time_queue *q);

#endif /* DRSNOOP_TIME_QUEUE_H */
