/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_FTRACE_EVENTS_H
#define DRSNOOP_FTRACE_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ftrace_stack.h"
#include "vmscan_fields.h"

struct tep_handle;

/*
 * The events of ftrace's ring buffers, as the ftrace backend reads them
 * live and the trace.dat reader from a recording of them: the vmscan
 * begins and ends, throttles, compaction and memory.high events
 * (vmscan_fields.h), and ftrace's stack events matched to the begins (and
 * compaction tries) they follow (ftrace_stack.h), which a loss in between
 * unmatches. Each buffer is fed in its own order, named by a key: any
 * small number (a CPU, say). Used by callers that have loaded
 * libtraceevent (tracelibs.h).
 */
struct ftrace_events {
	struct vmscan_fields fields;
	struct ftrace_stack_fields stack_fields;
	bool has_stacks; /* a stack event is wanted, and the tep has it */
	bool want_stack[PAIR_NR_STACKS];
	struct stack_matcher matcher;
	struct ftrace_stack stack; /* the last stack decoded */
};

enum ftrace_event_type {
	FTRACE_EVENT_OTHER, /* another event; a stack unwanted or unmatched */
	FTRACE_EVENT_VMSCAN, /* a record of vmscan_fields.h */
	FTRACE_EVENT_STACK, /* a wanted stack of frames after its begin */
};

/*
 * Find the vmscan events in tep, and the stack events of the kinds in
 * want_stack. Returns 0, or -1 with a one-line reason in why.
 */
int ftrace_events_init(struct ftrace_events *e, struct tep_handle *tep,
		       const bool *want_stack, char *why, size_t why_len);
void ftrace_events_free(struct ftrace_events *e);

/*
 * The next raw payload of size bytes from buffer key, stamped ts. A begin
 * or an end goes in *v; a stack is e->stack, of the begin stamped
 * *begin_ts, until the next call. Returns the enum ftrace_event_type.
 */
int ftrace_events_decode(struct ftrace_events *e, uint32_t key,
			 const void *data, uint32_t size, uint64_t ts,
			 struct vmscan_rec *v, uint64_t *begin_ts);

/*
 * Buffer key lost events here, missed of them by its reader's count
 * (negative: how many is unknown): a stack after them belongs to no begin
 * before them. Returns the count, 0 when unknown.
 */
uint64_t ftrace_events_lost(struct ftrace_events *e, uint32_t key,
			    long long missed);

#endif /* DRSNOOP_FTRACE_EVENTS_H */
