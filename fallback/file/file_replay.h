/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_FILE_REPLAY_H
#define DRSNOOP_FILE_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "src/core/backend.h"
#include "src/symbols/ksyms.h"
#include "src/lib/pair.h"
#include "fallback/shared/stall_trackers.h"
#include "fallback/shared/vmscan_fields.h"

/*
 * What the trace.dat and perf.data readers share: records, oldest first,
 * go through the one begin/end pairing; the first record is the origin of
 * -T and of the -d window, which ends the replay at the first record past
 * it. A reader stops as soon as done is set. Compaction and memory.high
 * records go to the trackers (stall_trackers.h), whose attempts are
 * finished by the record time, COMPACT_QUIET_NS after their last event,
 * or at replay_end().
 */
/* Who a thread was, as a record of it said: for stalls others finish. */
#define REPLAY_SEEN 256 /* direct-mapped by tid */
struct replay_seen {
	uint32_t tid;
	uint32_t pid; /* 0: unknown */
	char comm[DR_COMM_LEN]; /* "": unknown */
};

struct file_replay {
	struct dr_sink *sink;
	struct dr_pairer pairer;
	/* --compaction's attempts, --high's penalties: set their flags. */
	struct stall_trackers trackers;
	struct replay_seen seen[REPLAY_SEEN];
	bool want_stack[PAIR_NR_STACKS]; /* -K, --user-stack */
	/* Kernel symbols found so far (see replay_ksym), the sink's once
	 * handed. */
	struct ksyms *ksyms;
	bool ksyms_handed;
	uint64_t first_ts;
	uint64_t window_ns; /* 0: the whole file */
	uint64_t records; /* begin and end records replayed */
	int err; /* the sink's error, which stopped the replay */
	bool started;
	bool done;
	bool sandbox; /* read the file under sandbox_enter() */
};

/* Who stalled, as far as the file knows: NULL comm or pid 0 when unknown. */
struct replay_task {
	const char *comm;
	uint32_t pid;
};

int replay_init(struct file_replay *rp, struct dr_sink *sink,
		unsigned int duration_s);
void replay_free(struct file_replay *rp);

/*
 * One decoded record at ts. For an end, t says who the thread was (its
 * comm and process id where the file knows them).
 */
void replay_record(struct file_replay *rp, uint64_t ts,
		   const struct vmscan_rec *r, const struct replay_task *t);

/*
 * A stack of the begin of tid stamped begin_ts (dropped when the user did
 * not ask for its kind). Returns nothing: running out of memory ends the
 * replay, as in replay_record().
 */
void replay_stack(struct file_replay *rp, uint32_t tid, uint64_t begin_ts,
		  enum pair_stack_kind kind, const uint64_t *addrs,
		  uint32_t nr);

/*
 * The recording's kernel symbols. replay_kallsyms() hands over a whole
 * table (and takes k over); a reader that finds symbols one by one adds
 * each with replay_ksym() before the stack that needs it: the sink gets
 * the table before the first stall with a kernel stack, and the symbols
 * added later go into it.
 */
void replay_kallsyms(struct file_replay *rp, struct ksyms *k);
void replay_ksym(struct file_replay *rp, uint64_t addr, const char *name);

/*
 * Events were lost before ts (count 0: how many is unknown, taken as 1).
 * The recording should hold no events but the reclaim ones: losses are
 * counted as theirs. The sink hears of lost stalls here and at
 * replay_finish().
 */
void replay_lost(struct file_replay *rp, uint64_t ts, uint64_t count);

/* The file has been read: the lost stalls not yet reported. */
void replay_finish(struct file_replay *rp);

/*
 * The end of the recording (or of the -d window): the attempts still open
 * are finished, and the background compactions told. Before
 * replay_finish().
 */
void replay_end(struct file_replay *rp);

#endif /* DRSNOOP_FILE_REPLAY_H */
