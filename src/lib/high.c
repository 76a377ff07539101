// SPDX-License-Identifier: GPL-2.0
/* memory.high penalties from the handler's entry and return: see high.h. */
#include "high.h"

int high_init(struct high_tracker *h)
{
	return pairer_init(&h->calls);
}

void high_free(struct high_tracker *h)
{
	pairer_free(&h->calls);
}

int high_enter(struct high_tracker *h, uint64_t ts_ns, uint32_t tid)
{
	struct dr_begin b = {
		.ts_ns = ts_ns,
		.tid = tid,
		.order = -1,
		.kind = DR_KIND_HIGH,
	};

	return pairer_begin(&h->calls, &b);
}

void high_reclaim(struct high_tracker *h, uint32_t tid, uint64_t lat_ns,
		  uint64_t pages)
{
	struct dr_begin *b = pairer_pending_begin(&h->calls, tid);

	if (!b)
		return;
	b->inner_ns += lat_ns;
	b->inner_pages += pages;
	b->result++;
}

bool high_exit(struct high_tracker *h, uint64_t ts_ns, uint32_t tid,
	       struct dr_event *e)
{
	struct dr_begin *b = pairer_pending_begin(&h->calls, tid);
	uint64_t inner_ns, pages;
	bool reclaimed;

	if (!b)
		return false;
	reclaimed = b->result > 0;
	inner_ns = b->inner_ns;
	pages = b->inner_pages;
	pairer_end(&h->calls, ts_ns, tid, pages, e);
	if (!reclaimed)
		return false;
	e->lat_ns = e->lat_ns > inner_ns ? e->lat_ns - inner_ns : 0;
	return true;
}

void high_lost(struct high_tracker *h)
{
	pairer_reset(&h->calls);
}
