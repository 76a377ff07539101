/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_FTRACE_DECODE_H
#define DRSNOOP_FTRACE_DECODE_H

#include <stddef.h>
#include <stdint.h>
#include "fallback/shared/ftrace_events.h"
#include "fallback/shared/time_queue.h"

struct kbuffer;
struct tep_event;
struct tep_format_field;
struct tep_handle;

/*
 * Raw ring-buffer sub-buffers (trace_pipe_raw) to records, decoded by
 * field name through libtraceevent: the field layout of the vmscan events
 * changed across kernels, so no offset is assumed.
 */
enum ftrace_rec_type {
	FTRACE_REC_LOST, /* the kernel overwrote events after this point */
	FTRACE_REC_VMSCAN, /* a record of vmscan_fields.h */
	FTRACE_REC_STACK, /* the stack of a begin */
};

struct ftrace_rec {
	struct time_stamp stamp; /* ns, the instance's trace clock */
	uint32_t type; /* enum ftrace_rec_type */
	uint32_t cpu;
	union {
		struct vmscan_rec v; /* FTRACE_REC_VMSCAN */
		struct {
			uint64_t begin_ts; /* the begin's stamp */
			uint32_t tid;
			uint32_t kind; /* enum pair_stack_kind */
			uint32_t nr; /* frames at addrs */
		} stack; /* FTRACE_REC_STACK */
		uint64_t lost; /* FTRACE_REC_LOST: events lost (0: unknown) */
	};
	uint64_t *addrs; /* a stack's frames, else NULL: the receiver frees */
};

/*
 * The text of events/header_page and of the events' format files: those
 * of direct reclaim, and of the memcg kinds when they are traced (NULL
 * when not).
 */
struct ftrace_formats {
	char *header_page;
	int header_len;
	char *begin;
	int begin_len;
	char *end;
	int end_len;
	char *memcg[2 * (VMSCAN_NR_KINDS - 1)]; /* begin, end of each */
	int memcg_len[2 * (VMSCAN_NR_KINDS - 1)];
	char *throttle; /* with --throttle, mm_vmscan_throttled's */
	int throttle_len;
	char *compact[COMPACT_NR_EVENTS]; /* with --compaction */
	int compact_len[COMPACT_NR_EVENTS];
	char *high[HIGH_NR_EVENTS]; /* with --high: our kprobes' */
	int high_len[HIGH_NR_EVENTS];
	const char *high_system; /* their group */
	char *stacks[PAIR_NR_STACKS]; /* ftrace's stack events, if wanted */
	int stacks_len[PAIR_NR_STACKS];
};

/* The events of one kind of reclaim, for its kernel filters. */
struct ftrace_kind {
	struct tep_event *begin; /* NULL: this kind is not traced */
	struct tep_event *end;
};

/*
 * Events are decoded, and stacks matched (a buffer a CPU), by
 * ftrace_events.c. Like it, this calls libtraceevent: load it first
 * (tracelibs_load_tracefs()).
 */
struct ftrace_decoder {
	struct tep_handle *tep;
	struct kbuffer *kbuf;
	struct ftrace_kind kinds[VMSCAN_NR_KINDS];
	struct tep_event *throttle; /* NULL: throttling is not traced */
	struct tep_event *compact[COMPACT_NR_EVENTS]; /* NULL: not traced */
	struct tep_event *high[HIGH_NR_EVENTS]; /* NULL: not traced */
	struct ftrace_events events;
};

/* Returns 0, or -1 with a one-line reason in why. */
int ftrace_decoder_init(struct ftrace_decoder *d,
			const struct ftrace_formats *f, char *why,
			size_t why_len);
void ftrace_decoder_free(struct ftrace_decoder *d);

/* Free the frames of the stack records left in q, then q. */
void ftrace_queue_free(struct time_queue *q);

/* The size of one sub-buffer as trace_pipe_raw returns it. */
int ftrace_decoder_subbuf_size(const struct ftrace_decoder *d);

/*
 * Queue the records of one sub-buffer read from cpu, as struct ftrace_rec,
 * in q: records from every CPU wait there to be delivered in timestamp
 * order, for a task that migrates has its begin in one CPU's buffer and its
 * end in another's, and the two buffers are read one after the other.
 * A stack that follows its begin in the CPU's buffer (ftrace_events.h) is
 * queued as a FTRACE_REC_STACK; other stacks are dropped. Events the
 * kernel lost before the sub-buffer are a FTRACE_REC_LOST stamped
 * lost_after, the stamp of the last event read from cpu before (0: none).
 * The stamp of its last event goes in *last_ts (left as it was when it has
 * none). Returns 0 or -errno.
 */
int ftrace_decode_subbuf(struct ftrace_decoder *d, void *subbuf, uint32_t cpu,
			 uint64_t lost_after, struct time_queue *q,
			 uint64_t *last_ts);

#endif /* DRSNOOP_FTRACE_DECODE_H */
