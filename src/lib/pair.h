/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_PAIR_H
#define DRSNOOP_PAIR_H

#include <stdbool.h>
#include <stdint.h>
#include "event.h"

/*
 * Begin/end pairing for sources that see the raw tracepoints (the ftrace
 * backend, trace.dat and perf.data readers). A begin is remembered per
 * thread; the thread's next end completes it into a dr_event. Begin and
 * end of one reclaim fire on the same task and never nest, so the thread
 * id is an exact key, whichever CPUs the two ran on.
 */
/* A stack of one begin: raw addresses, innermost first. */
enum pair_stack_kind {
	PAIR_KSTACK,
	PAIR_USTACK,
	PAIR_NR_STACKS,
};

struct pair_stack {
	uint64_t *addrs;
	uint32_t nr;
};

struct dr_pairer {
	struct pair_slot *slots;
	/* The stacks of the event pairer_end() filled last: e points here. */
	struct pair_stack ended[PAIR_NR_STACKS];
	uint32_t mask; /* capacity - 1, a power of two */
	uint32_t used;
	uint64_t orphan_ends; /* ends whose begin was not seen */
	uint64_t dropped; /* begins discarded by pairer_reset() */
	/* Lost stalls, from pairer_lost() on (see pairer_take_lost()): */
	uint64_t lost_events; /* begin and end events the source lost */
	uint64_t unpaired; /* events seen since then that made no stall */
	uint64_t lost_taken; /* stalls pairer_take_lost() returned */
	bool lossy; /* the source has lost events */
};

struct dr_begin {
	uint64_t ts_ns;
	uint32_t tid;
	int32_t order; /* -1 when the source has none */
	uint64_t gfp_flags;
	uint32_t kind; /* enum dr_kind */
	bool has_gfp;
	/* Stalls made of more events than a begin and an end: */
	uint64_t last_ns; /* compact.c: the attempt's last zone event */
	uint64_t inner_ns; /* high.c: time in the reclaims inside the call */
	uint64_t inner_pages; /* high.c: pages those reclaimed */
	uint32_t result; /* compact.c: enum compact_result so far; high.c:
			  * the number of reclaims inside the call */
	bool in_zone; /* compact.c: between a zone's begin and end */
};

int pairer_init(struct dr_pairer *p);
void pairer_free(struct dr_pairer *p);

/* Remember a begin; a second begin on the same thread replaces the first. */
int pairer_begin(struct dr_pairer *p, const struct dr_begin *b);

/*
 * Attach a stack (at most DR_STACK_MAX frames of it) to the pending begin
 * of tid stamped begin_ts; none pending, or another begin: ignored.
 * Returns 0 or -ENOMEM.
 */
int pairer_stack(struct dr_pairer *p, uint32_t tid, uint64_t begin_ts,
		 enum pair_stack_kind kind, const uint64_t *addrs, uint32_t nr);

/*
 * Complete the thread's stall. Fills begin_ns, lat_ns, nr_reclaimed, tid,
 * kind, and order, gfp_flags and the stacks where known; the caller adds
 * pid, comm and uid. The stacks stay valid until the next pairer call.
 * Returns false (and counts an orphan) when no begin was pending.
 */
bool pairer_end(struct dr_pairer *p, uint64_t ts_ns, uint32_t tid,
		uint64_t nr_reclaimed, struct dr_event *e);

/*
 * A throttle: one event, complete, stamped ts_ns at the end of a sleep of
 * delayed_ns (reason: its VMSCAN_THROTTLE_* bits). Fills begin_ns,
 * lat_ns, tid, kind and reason; when the thread has a begin pending (it
 * slept inside that reclaim), DR_NESTED and outer_kind. The begin stays
 * pending for its end.
 */
void pairer_throttle(const struct dr_pairer *p, uint64_t ts_ns, uint32_t tid,
		     uint64_t delayed_ns, uint32_t reason, struct dr_event *e);

/* The thread's pending begin, to update in place; NULL if none. */
struct dr_begin *pairer_pending_begin(struct dr_pairer *p, uint32_t tid);

/*
 * The first pending begin at or after *cursor (start at 0) in table
 * order, with *cursor moved past it; NULL when there is none. Any other
 * pairer call may reorder the table: start again after one.
 */
const struct dr_begin *pairer_next_pending(const struct dr_pairer *p,
					   uint32_t *cursor);

/*
 * Events were lost: a pending begin may have lost its end, and pairing it
 * with a later end would invent a latency. Forget them all.
 */
void pairer_reset(struct dr_pairer *p);

/*
 * The source lost events (events of the paired kinds, and only those):
 * forget the pending begins, as pairer_reset() does, and count the events
 * towards lost stalls. Said before any event stamped after the first one
 * lost is delivered (the ftrace backend), the other event of a stall with
 * one lost counts as unpaired. Said at the next event (the recordings'
 * readers), the first loss's such events that came before it are taken
 * for stalls that straddle the start, and not counted.
 */
void pairer_lost(struct dr_pairer *p, uint64_t events);

/*
 * Stalls lost since the last call. Each stall is two events, so
 * 2 * stalls = 2 * lines + lost events + events seen that made no line:
 * ends without their begin, and begins without their end (discarded at a
 * loss, or replaced by the thread's next begin). Those are counted from
 * the first loss on, before which they are stalls that straddle the start;
 * begins still pending are stalls still running, not lost.
 */
uint64_t pairer_take_lost(struct dr_pairer *p);

/* Begins still waiting for their end (at exit: stalls still running). */
static inline uint32_t pairer_pending(const struct dr_pairer *p)
{
	return p->used;
}

#endif /* DRSNOOP_PAIR_H */
