// SPDX-License-Identifier: GPL-2.0
/*
 * The events of ftrace's ring buffers, decoded, with stacks matched to
 * their begins; see ftrace_events.h.
 */
#include <string.h>
#include "ftrace_events.h"

int ftrace_events_init(struct ftrace_events *e, struct tep_handle *tep,
		       const bool *want_stack, char *why, size_t why_len)
{
	*e = (struct ftrace_events){ 0 };
	memcpy(e->want_stack, want_stack, sizeof(e->want_stack));
	if (vmscan_fields_init(&e->fields, tep, why, why_len))
		return -1;
	if (want_stack[PAIR_KSTACK] || want_stack[PAIR_USTACK])
		e->has_stacks = ftrace_stack_fields_init(&e->stack_fields, tep);
	return 0;
}

void ftrace_events_free(struct ftrace_events *e)
{
	stack_matcher_free(&e->matcher);
}

/* A stack event: wanted, with frames, and after its begin in the buffer. */
static int decode_stack(struct ftrace_events *e, uint32_t key, uint64_t ts,
			uint64_t *begin_ts)
{
	const struct ftrace_stack *s = &e->stack;

	if (!stack_matcher_next(&e->matcher, key, STACK_REC_STACK, s->tid, ts,
				begin_ts) ||
	    !e->want_stack[s->kind] || !s->nr)
		return FTRACE_EVENT_OTHER;
	return FTRACE_EVENT_STACK;
}

int ftrace_events_decode(struct ftrace_events *e, uint32_t key,
			 const void *data, uint32_t size, uint64_t ts,
			 struct vmscan_rec *v, uint64_t *begin_ts)
{
	if (e->has_stacks &&
	    ftrace_stack_decode(&e->stack_fields, data, size, &e->stack))
		return decode_stack(e, key, ts, begin_ts);
	vmscan_decode(&e->fields, data, size, v);
	/* A compaction attempt's stack follows its try, as -K asks. */
	stack_matcher_next(&e->matcher, key,
			   v->type == VMSCAN_BEGIN ||
					   v->type == VMSCAN_COMPACT_TRY ?
				   STACK_REC_BEGIN :
				   STACK_REC_OTHER,
			   v->tid, ts, NULL);
	return v->type == VMSCAN_OTHER ? FTRACE_EVENT_OTHER :
					 FTRACE_EVENT_VMSCAN;
}

uint64_t ftrace_events_lost(struct ftrace_events *e, uint32_t key,
			    long long missed)
{
	stack_matcher_next(&e->matcher, key, STACK_REC_OTHER, 0, 0, NULL);
	return missed > 0 ? (uint64_t)missed : 0;
}
