// SPDX-License-Identifier: GPL-2.0
/* The replay of a recording's records through pairing, -T and -d. */
#include <errno.h>
#include <string.h>
#include "file_replay.h"

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
	struct dr_begin b;
	struct dr_event e;

	if (r->type == VMSCAN_OTHER || !in_window(rp, ts))
		return;
	rp->records++;
	if (r->type == VMSCAN_BEGIN) {
		b = (struct dr_begin){ .ts_ns = ts,
				       .tid = r->tid,
				       .order = r->order,
				       .gfp_flags = r->value,
				       .kind = r->kind,
				       .has_gfp = true };
		if (pairer_begin(&rp->pairer, &b)) {
			rp->err = -ENOMEM;
			rp->done = true;
		}
		return;
	}
	if (pairer_end(&rp->pairer, ts, r->tid, r->value, &e))
		deliver(rp, &e, t);
}

void replay_lost(struct file_replay *rp, uint64_t ts, uint64_t count)
{
	if (!in_window(rp, ts))
		return;
	rp->sink->lost(rp->sink, count ? count : 1);
	pairer_reset(&rp->pairer);
}
