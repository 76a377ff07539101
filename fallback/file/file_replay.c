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
	return pairer_init(&rp->pairer);
}

void replay_free(struct file_replay *rp)
{
	pairer_free(&rp->pairer);
	free(rp->ksym_text);
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

void replay_ksym(struct file_replay *rp, uint64_t addr, const char *name)
{
	size_t need = strlen(name) + 32;
	char *text;

	if (rp->ksym_cap - rp->ksym_len < need) {
		rp->ksym_cap = 2 * rp->ksym_cap + need;
		text = realloc(rp->ksym_text, rp->ksym_cap);
		if (!text) {
			rp->err = -ENOMEM;
			rp->done = true;
			return;
		}
		rp->ksym_text = text;
	}
	rp->ksym_len += snprintf(rp->ksym_text + rp->ksym_len,
				 rp->ksym_cap - rp->ksym_len,
				 "%016" PRIx64 " t %s\n", addr, name);
	rp->ksym_dirty = true;
}

void replay_stack(struct file_replay *rp, uint32_t tid, uint64_t begin_ts,
		  enum pair_stack_kind kind, const uint64_t *addrs, uint32_t nr)
{
	if (!rp->want_stack[kind] || rp->done)
		return;
	if (rp->ksym_dirty && rp->sink->ksyms)
		hand_table(rp, ksyms_parse(rp->ksym_text, rp->ksym_len));
	rp->ksym_dirty = false;
	if (pairer_stack(&rp->pairer, tid, begin_ts, kind, addrs, nr)) {
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

void replay_record(struct file_replay *rp, uint64_t ts,
		   const struct vmscan_rec *r, const struct replay_task *t)
{
	struct dr_event e;

	if (r->type == VMSCAN_OTHER || !in_window(rp, ts))
		return;
	rp->records++;
	if (r->type == VMSCAN_BEGIN) {
		if (vmscan_pairing_begin(&rp->pairer, ts, r)) {
			rp->err = -ENOMEM;
			rp->done = true;
		}
		return;
	}
	if (r->type == VMSCAN_THROTTLE) {
		pairer_throttle(&rp->pairer, ts, r->tid, r->value, r->reason,
				&e);
		deliver(rp, &e, t);
	} else if (pairer_end(&rp->pairer, ts, r->tid, r->value, &e)) {
		deliver(rp, &e, t);
	}
}

void replay_lost(struct file_replay *rp, uint64_t ts, uint64_t count)
{
	if (!in_window(rp, ts))
		return;
	pairer_lost(&rp->pairer, count ? count : 1);
	replay_finish(rp);
}

void replay_finish(struct file_replay *rp)
{
	vmscan_pairing_report_lost(&rp->pairer, rp->sink);
}
