// SPDX-License-Identifier: GPL-2.0
/*
 * An open-addressing hash of pending begins keyed by thread id, with
 * linear probing and backward-shift deletion: no allocation per event,
 * which keeps offline reading of large files fast.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "pair.h"

#define INITIAL_SLOTS 256

struct pair_slot {
	struct dr_begin begin;
	bool used;
};

int pairer_init(struct dr_pairer *p)
{
	*p = (struct dr_pairer){ .mask = INITIAL_SLOTS - 1 };
	p->slots = calloc(INITIAL_SLOTS, sizeof(*p->slots));
	return p->slots ? 0 : -ENOMEM;
}

void pairer_free(struct dr_pairer *p)
{
	free(p->slots);
	p->slots = NULL;
	p->used = 0;
}

static uint32_t slot_of(const struct dr_pairer *p, uint32_t tid)
{
	/* Fibonacci hashing spreads sequential tids. */
	return (tid * 2654435761u) & p->mask;
}

static struct pair_slot *find(const struct dr_pairer *p, uint32_t tid)
{
	uint32_t i = slot_of(p, tid);

	while (p->slots[i].used) {
		if (p->slots[i].begin.tid == tid)
			return &p->slots[i];
		i = (i + 1) & p->mask;
	}
	return NULL;
}

static void insert(struct dr_pairer *p, const struct dr_begin *b)
{
	uint32_t i = slot_of(p, b->tid);

	while (p->slots[i].used)
		i = (i + 1) & p->mask;
	p->slots[i] = (struct pair_slot){ .begin = *b, .used = true };
	p->used++;
}

static int grow(struct dr_pairer *p)
{
	struct pair_slot *old = p->slots;
	uint32_t n = p->mask + 1, i;

	p->slots = calloc(2 * n, sizeof(*p->slots));
	if (!p->slots) {
		p->slots = old;
		return -ENOMEM;
	}
	p->mask = 2 * n - 1;
	p->used = 0;
	for (i = 0; i < n; i++)
		if (old[i].used)
			insert(p, &old[i].begin);
	free(old);
	return 0;
}

int pairer_begin(struct dr_pairer *p, const struct dr_begin *b)
{
	struct pair_slot *s = find(p, b->tid);
	int err;

	if (s) {
		s->begin = *b;
		return 0;
	}
	/* Keep the load under 1/2 so that probes stay short. */
	if (2 * (p->used + 1) > p->mask + 1) {
		err = grow(p);
		if (err)
			return err;
	}
	insert(p, b);
	return 0;
}

/* Backward-shift deletion: no tombstones to slow later probes. */
static void erase(struct dr_pairer *p, struct pair_slot *s)
{
	uint32_t hole = s - p->slots, i = hole, home;

	for (;;) {
		i = (i + 1) & p->mask;
		if (!p->slots[i].used)
			break;
		home = slot_of(p, p->slots[i].begin.tid);
		/* Move i into the hole unless its home lies in (hole, i]. */
		if (((i - home) & p->mask) >= ((i - hole) & p->mask)) {
			p->slots[hole] = p->slots[i];
			hole = i;
		}
	}
	p->slots[hole].used = false;
	p->used--;
}

bool pairer_end(struct dr_pairer *p, uint64_t ts_ns, uint32_t tid,
		uint64_t nr_reclaimed, struct dr_event *e)
{
	struct pair_slot *s = find(p, tid);
	const struct dr_begin *b;

	if (!s) {
		p->orphan_ends++;
		return false;
	}
	b = &s->begin;
	*e = (struct dr_event){
		.begin_ns = b->ts_ns,
		.lat_ns = ts_ns > b->ts_ns ? ts_ns - b->ts_ns : 0,
		.nr_reclaimed = nr_reclaimed,
		.tid = tid,
		.kind = b->kind,
		.order = b->order,
		.gfp_flags = b->gfp_flags,
	};
	if (b->order >= 0)
		e->fields |= DR_HAS_ORDER;
	if (b->has_gfp)
		e->fields |= DR_HAS_GFP;
	erase(p, s);
	return true;
}

void pairer_reset(struct dr_pairer *p)
{
	p->dropped += p->used;
	memset(p->slots, 0, (p->mask + 1) * sizeof(*p->slots));
	p->used = 0;
}
