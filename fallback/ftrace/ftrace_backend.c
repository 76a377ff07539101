// SPDX-License-Identifier: GPL-2.0
/*
 * The ftrace backend, for where BPF cannot run: its ops and their flow. A
 * private tracefs instance (ftrace_instance.c) with only the two
 * direct-reclaim events enabled (and with --memcg the four memcg ones),
 * filtered in the kernel where it can be (ftrace_filter.c); its per-CPU
 * raw buffers (ftrace_cpus.c) polled, merged in timestamp order and paired
 * per thread by src/pair.c, with the stacks that follow each begin; each
 * stall's task named from /proc (ftrace_task.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/stat.h>
#include "ftrace_backend.h"
#include "fallback/shared/vmscan_pairing.h"
#include "src/sys/lockdown.h"
#include "src/sys/meminfo.h"
#include "src/sys/privs.h"
#include "src/sys/tracelibs.h"
#include "src/lib/util.h"

/*
 * A record stamped before we start draining the buffers may still be
 * committing on another CPU; records younger than this are held for the
 * next round, which comes after HOLD_MS at the latest.
 */
#define COMMIT_SLACK_NS 1000000ULL
#define HOLD_MS		2

/*
 * Under lockdown's confidentiality level tracefs mounts without its
 * files: whichever of these steps fails first, lockdown is the reason.
 */
static int open_tracefs(struct ftrace_state *st, char *why, size_t len)
{
	if (ftrace_find_tracefs(st, why, len) ||
	    ftrace_claim_instance(st, why, len) ||
	    ftrace_create_probes(st, why, len) ||
	    ftrace_load_decoder(st, why, len)) {
		lockdown_blame(LOCKDOWN_LOSES_TRACEFS, NULL, why, len);
		return -1;
	}
	return 0;
}

static int setup(struct ftrace_state *st, char *why, size_t len)
{
	if (open_tracefs(st, why, len))
		return -1;
	st->task_ids = calloc(NR_TASK_IDS, sizeof(*st->task_ids));
	if (!st->task_ids || pairer_init(&st->pairer) ||
	    trackers_init(&st->trackers,
			  st->o->compaction && st->dec.compact[COMPACT_EV_TRY],
			  st->dec.high[0] != NULL)) {
		snprintf(why, len, "%s", strerror(ENOMEM));
		return -1;
	}
	if (ftrace_configure_instance(st, why, len))
		return -1;
	if (ftrace_filter_events(st, why, len) ||
	    ftrace_filter_process(st, why, len))
		return -1;
	/* Readers first: every event from enabling on is seen. */
	if (ftrace_open_cpus(st, why, len) || ftrace_set_clock(st, why, len) ||
	    ftrace_record_open(st, why, len))
		return -1;
	return ftrace_enable_events(st, why, len);
}

static void ftrace_close(struct dr_backend *b)
{
	struct ftrace_state *st = container_of(b, struct ftrace_state, backend);

	if (st->o->debug && st->pairer.lossy)
		fprintf(stderr,
			"drsnoop: %" PRIu64 " events lost, %" PRIu64
			" seen unpaired since the first loss\n",
			st->pairer.lost_events, st->pairer.unpaired);
	/* After the final drain: every page read is in. */
	ftrace_record_close(st, true);
	/* Open files of the instance would make its rmdir fail (EBUSY). */
	ftrace_close_cpus(st);
	trace_clock_free(&st->clock);
	ftrace_destroy_instance(st);
	ftrace_decoder_free(&st->dec);
	ftrace_queue_free(&st->queue);
	pairer_free(&st->pairer);
	trackers_free(&st->trackers);
	ftrace_cmdlines_forget(&st->cmdlines);
	free(st->task_ids);
	free(st->subbuf);
	free(st->pfds);
	free(st->cpus);
	free(st);
}

/*
 * Once started, the backend reads saved_cmdlines (the comm of a task that
 * has exited) and at exit removes its instance: nothing more when
 * drsnoop's user owns tracefs (root, by default); CAP_DAC_OVERRIDE for
 * any other user. The stats and trace_pipe_raw files are open already.
 */
static uint64_t keep_caps(const struct ftrace_state *st)
{
	struct stat sb;

	if (!stat(st->tracing_dir, &sb) && sb.st_uid == geteuid())
		return 0;
	return PRIVS_CAP(CAP_DAC_OVERRIDE);
}

static struct dr_backend *ftrace_open(const struct dr_options *o,
				      struct dr_sink *sink, char *why,
				      size_t why_len)
{
	struct ftrace_state *st;

	if (tracelibs_load_tracefs(why, why_len))
		return NULL;
	sym_tracefs_set_loglevel(o->debug ? TEP_LOG_INFO : TEP_LOG_NONE);
	sym_tep_set_loglevel(o->debug ? TEP_LOG_INFO : TEP_LOG_NONE);
	st = calloc(1, sizeof(*st));
	if (!st) {
		snprintf(why, why_len, "%s", strerror(errno));
		return NULL;
	}
	st->o = o;
	st->owner_fd = -1;
	/* For untraced() while opening; backend_open() sets it again. */
	st->backend.sink = sink;
	trace_clock_init_mono(&st->clock);
	time_queue_init(&st->queue, sizeof(struct ftrace_rec));
	if (setup(st, why, why_len) || ftrace_list_writes(st)) {
		if (!why[0])
			snprintf(why, why_len, "%s", strerror(errno));
		ftrace_record_close(st, false);
		ftrace_close(&st->backend);
		return NULL;
	}
	st->backend.keep_caps = keep_caps(st);
	snprintf(st->backend.attach, sizeof(st->backend.attach),
		 "tracing in '%s', %d CPU buffers, trace clock %s", st->dir,
		 st->nr_cpus, trace_clock_name(&st->clock));
	if (o->debug)
		fprintf(stderr, "drsnoop: %s\n", st->backend.attach);
	return &st->backend;
}

/* A finished stall, stamped in the trace clock, to the sink. */
static int emit(struct ftrace_state *st, struct dr_event *e)
{
	struct dr_sink *sink = st->backend.sink;

	e->begin_ns = trace_clock_to_mono(&st->clock, e->begin_ns);
	ftrace_identify_task(st, e);
	if (st->o->free_mem)
		meminfo_fill_free(e);
	return sink->event(sink, e);
}

/* An end, or a throttle (complete in itself), to the sink as a stall. */
static int on_end(struct ftrace_state *st, const struct ftrace_rec *r)
{
	struct dr_event e;

	if (r->v.type == VMSCAN_THROTTLE)
		pairer_throttle(&st->pairer, r->stamp.ts, r->v.tid, r->v.value,
				r->v.reason, &e);
	else if (!pairer_end(&st->pairer, r->stamp.ts, r->v.tid, r->v.value,
			     &e))
		return 0;
	else
		trackers_reclaim_end(&st->trackers, &e);
	return emit(st, &e);
}

/*
 * A record of the other kinds (or a reclaim begin, which closes its
 * task's compaction attempt): the stall it finished, if any, first.
 */
static int on_record(struct ftrace_state *st, const struct ftrace_rec *r)
{
	struct dr_event e;
	int err = 0;

	if (trackers_record(&st->trackers, r->stamp.ts, &r->v, &e))
		err = emit(st, &e);
	if (!err && r->v.type == VMSCAN_BEGIN)
		err = vmscan_pairing_begin(&st->pairer, r->stamp.ts, &r->v);
	return err;
}

/* Attempts quiet for COMPACT_QUIET_NS by now (trace clock), or all. */
static int expire_attempts(struct ftrace_state *st, uint64_t now)
{
	struct dr_event e;
	int err = 0;

	while (!err && trackers_expire(&st->trackers, now, &e))
		err = emit(st, &e);
	trackers_tell_background(&st->trackers, st->backend.sink);
	return err;
}

/* Events the CPU lost since last counted, by its overrun counter. */
static uint64_t newly_lost(struct ftrace_cpu *c)
{
	uint64_t total = ftrace_overrun(c), n = 0;

	if (total > c->lost_counted) {
		n = total - c->lost_counted;
		c->lost_counted = total;
	}
	return n;
}

/*
 * Events were lost on this CPU from this point on: a pending begin may
 * have lost its end, so the pairer forgets them all rather than pair one
 * with a later end. How many: the CPU's overrun counter since it was last
 * read. It has counted every loss that is flagged in a page we read (the
 * page's own count is not always there), and more, maybe, that a later
 * page will flag: counted now, they add nothing then. The pairer turns
 * events into stalls (pair.h).
 */
static void on_lost(struct ftrace_state *st, const struct ftrace_rec *r)
{
	pairer_lost(&st->pairer, newly_lost(&st->cpus[r->cpu]));
	trackers_lost(&st->trackers);
}

/*
 * The final drain: events the kernel dropped without flagging a page
 * after them (it drops rather than overwrite in a few races) are counted
 * from the overrun counters; stalls still pending then count as lost.
 */
static void count_unflagged(struct ftrace_state *st)
{
	uint64_t n = 0;
	int i;

	for (i = 0; i < st->nr_cpus; i++)
		n += newly_lost(&st->cpus[i]);
	if (n) {
		pairer_lost(&st->pairer, n);
		trackers_lost(&st->trackers);
	}
}

static int deliver(const void *rec, void *ctx)
{
	const struct ftrace_rec *r = rec;
	struct ftrace_state *st = ctx;
	int err;

	switch (r->type) {
	case FTRACE_REC_VMSCAN:
		if (r->v.type == VMSCAN_END || r->v.type == VMSCAN_THROTTLE)
			return on_end(st, r);
		return on_record(st, r);
	case FTRACE_REC_STACK:
		/* A reclaim's begin or a compaction's try: one matches. */
		err = pairer_stack(&st->pairer, r->stack.tid, r->stack.begin_ts,
				   r->stack.kind, r->addrs, r->stack.nr);
		if (!err)
			err = trackers_stack(&st->trackers, r->stack.tid,
					     r->stack.begin_ts, r->stack.kind,
					     r->addrs, r->stack.nr);
		free(r->addrs);
		return err;
	}
	on_lost(st, r);
	return 0;
}

/*
 * Wait for any CPU buffer to have data, then read them, merged. Everything
 * stamped before the reading started is then in hand and is delivered in
 * timestamp order; younger records wait for the next round. A zero
 * timeout is the final drain: deliver everything stamped before it began,
 * and no more, or a storm that fills the buffers as fast as they are read
 * would keep it from ending.
 */
static int ftrace_poll(struct dr_backend *b, int timeout_ms)
{
	struct ftrace_state *st = container_of(b, struct ftrace_state, backend);
	uint64_t upto, now;
	int err;

	if (timeout_ms) {
		if (st->queue.nr && timeout_ms > HOLD_MS)
			timeout_ms = HOLD_MS;
		if (poll(st->pfds, st->nr_cpus, timeout_ms) < 0)
			return -errno;
	}
	now = mono_ns();
	err = trace_clock_renew(&st->clock, now);
	if (err)
		return err;
	upto = trace_clock_from_mono(&st->clock, now);
	if (timeout_ms)
		upto -= COMMIT_SLACK_NS;
	ftrace_cmdlines_forget(&st->cmdlines);
	err = ftrace_drain_cpus(st, upto, deliver);
	if (!timeout_ms)
		count_unflagged(st);
	/* Everything stamped before upto is in: attempts quiet since end. */
	if (!err)
		err = expire_attempts(st, timeout_ms ? upto : UINT64_MAX);
	/* Once a round: one line on stderr for all the stalls it found lost. */
	vmscan_pairing_report_lost(&st->pairer, st->backend.sink);
	return err;
}

const struct dr_backend_ops ftrace_backend = {
	.name = "ftrace",
	.open = ftrace_open,
	.poll = ftrace_poll,
	.close = ftrace_close,
};
