// SPDX-License-Identifier: GPL-2.0
/*
 * An open-addressing hash of pending begins keyed by thread id, with
 * linear probing and backward-shift deletion: no allocation per event,
 * which keeps offline reading of large files fast. A begin's stacks, when
 * its source has them, are allocated with it and move with its slot.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "pair.h"

#define INITIAL_SLOTS 256

struct pair_slot {
	struct dr_begin begin;
	struct pair_stack stacks[PAIR_NR_STACKS];
	bool used;
};

int pairer_init(struct dr_pairer *p)
{
	*p = (struct dr_pairer){ .mask = INITIAL_SLOTS - 1 };
	p->slots = calloc(INITIAL_SLOTS, sizeof(*p->slots));
	return p->slots ? 0 : -ENOMEM;
}

static void free_stacks(struct pair_stack *stacks)
{
	int i;

	for (i = 0; i < PAIR_NR_STACKS; i++) {
		free(stacks[i].addrs);
		stacks[i] = (struct pair_stack){ 0 };
	}
}

static void free_slots_stacks(struct dr_pairer *p)
{
	uint32_t i;

	for (i = 0; p->slots && i <= p->mask; i++)
		if (p->slots[i].used)
			free_stacks(p->slots[i].stacks);
}

void pairer_free(struct dr_pairer *p)
{
	free_slots_stacks(p);
	free_stacks(p->ended);
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

static struct pair_slot *insert(struct dr_pairer *p, const struct dr_begin *b)
{
	uint32_t i = slot_of(p, b->tid);

	while (p->slots[i].used)
		i = (i + 1) & p->mask;
	p->slots[i] = (struct pair_slot){ .begin = *b, .used = true };
	p->used++;
	return &p->slots[i];
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
			memcpy(insert(p, &old[i].begin)->stacks, old[i].stacks,
			       sizeof(old[i].stacks));
	free(old);
	return 0;
}

int pairer_begin(struct dr_pairer *p, const struct dr_begin *b)
{
	struct pair_slot *s = find(p, b->tid);
	int err;

	if (s) {
		/* Its end was lost (they never nest). */
		p->unpaired += p->lossy;
		s->begin = *b;
		free_stacks(s->stacks);
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

int pairer_stack(struct dr_pairer *p, uint32_t tid, uint64_t begin_ts,
		 enum pair_stack_kind kind, const uint64_t *addrs, uint32_t nr)
{
	struct pair_slot *s = find(p, tid);
	struct pair_stack *st;

	if (!s || s->begin.ts_ns != begin_ts || !nr)
		return 0;
	st = &s->stacks[kind];
	if (nr > DR_STACK_MAX)
		nr = DR_STACK_MAX;
	free(st->addrs);
	st->addrs = malloc(nr * sizeof(*addrs));
	st->nr = st->addrs ? nr : 0;
	if (!st->addrs)
		return -ENOMEM;
	memcpy(st->addrs, addrs, nr * sizeof(*addrs));
	return 0;
}

/* The ended stall's stacks replace those of the one before. */
static void take_stacks(struct dr_pairer *p, struct pair_slot *s,
			struct dr_event *e)
{
	free_stacks(p->ended);
	memcpy(p->ended, s->stacks, sizeof(p->ended));
	memset(s->stacks, 0, sizeof(s->stacks));
	if (p->ended[PAIR_KSTACK].nr) {
		e->kstack = p->ended[PAIR_KSTACK].addrs;
		e->kstack_nr = p->ended[PAIR_KSTACK].nr;
		e->fields |= DR_HAS_KSTACK;
	}
	if (p->ended[PAIR_USTACK].nr) {
		e->ustack = p->ended[PAIR_USTACK].addrs;
		e->ustack_nr = p->ended[PAIR_USTACK].nr;
		e->fields |= DR_HAS_USTACK;
	}
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
		p->unpaired += p->lossy;
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
	take_stacks(p, s, e);
	erase(p, s);
	return true;
}

struct dr_begin *pairer_pending_begin(struct dr_pairer *p, uint32_t tid)
{
	struct pair_slot *s = find(p, tid);

	return s ? &s->begin : NULL;
}

const struct dr_begin *pairer_next_pending(const struct dr_pairer *p,
					   uint32_t *cursor)
{
	uint32_t i;

	for (i = *cursor; i <= p->mask; i++) {
		if (p->slots[i].used) {
			*cursor = i + 1;
			return &p->slots[i].begin;
		}
	}
	*cursor = i;
	return NULL;
}

void pairer_throttle(const struct dr_pairer *p, uint64_t ts_ns, uint32_t tid,
		     uint64_t delayed_ns, uint32_t reason, struct dr_event *e)
{
	const struct pair_slot *s = find(p, tid);

	*e = (struct dr_event){
		.begin_ns = ts_ns > delayed_ns ? ts_ns - delayed_ns : 0,
		.lat_ns = ts_ns > delayed_ns ? delayed_ns : ts_ns,
		.tid = tid,
		.order = -1,
		.kind = DR_KIND_THROTTLE,
		.reason = reason,
	};
	if (s) {
		e->fields |= DR_NESTED;
		e->outer_kind = s->begin.kind;
	}
}

void pairer_reset(struct dr_pairer *p)
{
	p->dropped += p->used;
	free_slots_stacks(p);
	memset(p->slots, 0, (p->mask + 1) * sizeof(*p->slots));
	p->used = 0;
}

void pairer_lost(struct dr_pairer *p, uint64_t events)
{
	p->lossy = true;
	p->lost_events += events;
	p->unpaired += p->used;
	pairer_reset(p);
}

uint64_t pairer_take_lost(struct dr_pairer *p)
{
	uint64_t total = (p->lost_events + p->unpaired) / 2;
	uint64_t n = total > p->lost_taken ? total - p->lost_taken : 0;

	p->lost_taken += n;
	return n;
}
