// SPDX-License-Identifier: GPL-2.0
/*
 * The replay of a recording's records through pairing, -T and -d, with
 * the stacks and kernel symbols the recording holds.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "file_replay.h"
#include "fallback/shared/vmscan_pairing.h"

int replay_init(struct file_replay *rp, struct dr_sink *sink,
		unsigned int duration_s)
{
	*rp = (struct file_replay){
		.sink = sink,
		.window_ns = duration_s * 1000000000ULL,
	};
	if (trackers_init(&rp->trackers, false, false))
		return -1;
	if (pairer_init(&rp->pairer)) {
		trackers_free(&rp->trackers);
		return -1;
	}
	return 0;
}

void replay_free(struct file_replay *rp)
{
	pairer_free(&rp->pairer);
	trackers_free(&rp->trackers);
	if (!rp->ksyms_handed)
		ksyms_free(rp->ksyms);
}

/* The sink takes the table over (and frees the one it had). */
static void hand_table(struct file_replay *rp, struct ksyms *k)
{
	if (k)
		rp->sink->ksyms(rp->sink, k);
}

void replay_kallsyms(struct file_replay *rp, struct ksyms *k)
{
	if (rp->want_stack[PAIR_KSTACK] && rp->sink->ksyms)
		hand_table(rp, k);
	else
		ksyms_free(k);
}

/*
 * Into the one table, which the sink holds from the first stack on: each
 * symbol is added once, never parsed again.
 */
void replay_ksym(struct file_replay *rp, uint64_t addr, const char *name)
{
	if (!rp->sink->ksyms)
		return;
	if (ksyms_add(&rp->ksyms, addr, name)) {
		rp->err = -ENOMEM;
		rp->done = true;
	}
}

void replay_stack(struct file_replay *rp, uint32_t tid, uint64_t begin_ts,
		  enum pair_stack_kind kind, const uint64_t *addrs, uint32_t nr)
{
	if (!rp->want_stack[kind] || rp->done)
		return;
	if (rp->ksyms && !rp->ksyms_handed) {
		hand_table(rp, rp->ksyms);
		rp->ksyms_handed = true;
	}
	/* A reclaim's begin or a compaction's try: one matches. */
	if (pairer_stack(&rp->pairer, tid, begin_ts, kind, addrs, nr) ||
	    trackers_stack(&rp->trackers, tid, begin_ts, kind, addrs, nr)) {
		rp->err = -ENOMEM;
		rp->done = true;
	}
}

/* False once ts lies past the -d window: the replay is then over. */
static bool in_window(struct file_replay *rp, uint64_t ts)
{
	if (!rp->started) {
		rp->started = true;
		rp->first_ts = ts;
		if (rp->sink->origin)
			rp->sink->origin(rp->sink, ts);
	}
	if (rp->window_ns && ts >= rp->first_ts &&
	    ts - rp->first_ts >= rp->window_ns)
		rp->done = true;
	return !rp->done;
}

static void deliver(struct file_replay *rp, struct dr_event *e,
		    const struct replay_task *t)
{
	int err;

	if (t->pid) {
		e->pid = t->pid;
		e->fields |= DR_HAS_PID;
	}
	if (t->comm) {
		strncpy(e->comm, t->comm, sizeof(e->comm) - 1);
		e->fields |= DR_HAS_COMM;
	}
	err = rp->sink->event(rp->sink, e);
	if (err) {
		rp->err = err;
		rp->done = true;
	}
}

/* What t says of tid, kept for the stalls that another record finishes. */
static void remember(struct file_replay *rp, uint32_t tid,
		     const struct replay_task *t)
{
	struct replay_seen *s = &rp->seen[tid % REPLAY_SEEN];

	if (!t->pid && !t->comm)
		return;
	if (s->tid != tid)
		*s = (struct replay_seen){ .tid = tid };
	if (t->pid)
		s->pid = t->pid;
	if (t->comm)
		snprintf(s->comm, sizeof(s->comm), "%s", t->comm);
}

/* A stall of the trackers: its task as last seen. */
static void deliver_seen(struct file_replay *rp, struct dr_event *e)
{
	const struct replay_seen *s = &rp->seen[e->tid % REPLAY_SEEN];
	struct replay_task t = { 0 };

	if (s->tid == e->tid) {
		t.pid = s->pid;
		t.comm = s->comm[0] ? s->comm : NULL;
	}
	deliver(rp, e, &t);
}

/* The attempts quiet since COMPACT_QUIET_NS before ts (all: UINT64_MAX). */
static void expire(struct file_replay *rp, uint64_t ts)
{
	struct dr_event e;

	while (!rp->done && trackers_expire(&rp->trackers, ts, &e))
		deliver_seen(rp, &e);
}

static void record_other(struct file_replay *rp, uint64_t ts,
			 const struct vmscan_rec *r)
{
	struct dr_event e;

	if (trackers_record(&rp->trackers, ts, r, &e))
		deliver_seen(rp, &e);
	if (r->type == VMSCAN_BEGIN &&
	    vmscan_pairing_begin(&rp->pairer, ts, r)) {
		rp->err = -ENOMEM;
		rp->done = true;
	}
}

void replay_record(struct file_replay *rp, uint64_t ts,
		   const struct vmscan_rec *r, const struct replay_task *t)
{
	struct dr_event e;

	if (r->type == VMSCAN_OTHER || !in_window(rp, ts))
		return;
	rp->records++;
	remember(rp, r->tid, t);
	expire(rp, ts);
	if (r->type == VMSCAN_THROTTLE) {
		pairer_throttle(&rp->pairer, ts, r->tid, r->value, r->reason,
				&e);
		deliver(rp, &e, t);
	} else if (r->type != VMSCAN_END) {
		record_other(rp, ts, r);
	} else if (pairer_end(&rp->pairer, ts, r->tid, r->value, &e)) {
		trackers_reclaim_end(&rp->trackers, &e);
		deliver(rp, &e, t);
	}
}

void replay_lost(struct file_replay *rp, uint64_t ts, uint64_t count)
{
	if (!in_window(rp, ts))
		return;
	pairer_lost(&rp->pairer, count ? count : 1);
	trackers_lost(&rp->trackers);
	replay_finish(rp);
}

void replay_end(struct file_replay *rp)
{
	expire(rp, UINT64_MAX);
	trackers_tell_background(&rp->trackers, rp->sink);
}

void replay_finish(struct file_replay *rp)
{
	vmscan_pairing_report_lost(&rp->pairer, rp->sink);
}
