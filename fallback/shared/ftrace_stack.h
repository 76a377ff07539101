/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_FTRACE_STACK_H
#define DRSNOOP_FTRACE_STACK_H

#include <stdbool.h>
#include <stdint.h>
#include "src/lib/event.h"
#include "src/lib/pair.h"

struct tep_format_field;
struct tep_handle;

/*
 * The ftrace:kernel_stack and ftrace:user_stack events, decoded by field
 * name, and matched to the begin they belong to. The kernel writes them
 * right after the event that asked for them (a 'stacktrace' trigger, the
 * 'stacktrace' or 'userstacktrace' option, trace-cmd record -T), from the
 * same task, into the same CPU's buffer: so a stack belongs to a begin
 * when, in that CPU's buffer, only stacks of the same task lie between the
 * two. Used by ftrace_events.c, for the ftrace backend and the trace.dat
 * reader, which have loaded libtraceevent (tracelibs.h).
 */
struct ftrace_stack_fields {
	struct tep_handle *tep;
	int id[PAIR_NR_STACKS]; /* -1: no such event */
	struct tep_format_field *type; /* common_type */
	struct tep_format_field *pid[PAIR_NR_STACKS]; /* common_pid */
	struct tep_format_field *caller[PAIR_NR_STACKS];
	struct tep_format_field *size; /* kernel_stack's number of frames */
};

/* One stack event, decoded: innermost frame first. */
struct ftrace_stack {
	uint32_t kind; /* enum pair_stack_kind */
	uint32_t tid;
	uint32_t nr;
	uint64_t addrs[DR_STACK_MAX];
};

/* Finds the two events in tep; true if it has either. */
bool ftrace_stack_fields_init(struct ftrace_stack_fields *sf,
			      struct tep_handle *tep);

/*
 * Decode a raw payload of size bytes. Returns false for another event, or
 * one too short for its own fields.
 */
bool ftrace_stack_decode(const struct ftrace_stack_fields *sf, const void *data,
			 uint32_t size, struct ftrace_stack *s);

/*
 * Per CPU buffer (key: any small number that names one), the begin that
 * stacks may still follow.
 */
struct stack_follow {
	uint64_t begin_ts;
	uint32_t tid;
	bool open;
};

struct stack_matcher {
	struct stack_follow *bufs;
	uint32_t nr;
};

enum stack_rec_type {
	STACK_REC_OTHER, /* any other record, or a loss */
	STACK_REC_BEGIN,
	STACK_REC_STACK,
};

/*
 * The next record of buffer key, in that buffer's order. For a stack,
 * returns true with the timestamp of the begin it belongs to in
 * *begin_ts (which may be NULL for other records).
 */
bool stack_matcher_next(struct stack_matcher *m, uint32_t key,
			enum stack_rec_type type, uint32_t tid, uint64_t ts,
			uint64_t *begin_ts);

void stack_matcher_free(struct stack_matcher *m);

#endif /* DRSNOOP_FTRACE_STACK_H */
