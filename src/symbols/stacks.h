/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_STACKS_H
#define DRSNOOP_STACKS_H

#include <stdbool.h>
#include <stdint.h>
#include "src/lib/event.h"
#include "ksyms.h"
#include "usyms.h"

/* One event's stacks as text, innermost frame first. */
struct dr_frames {
	bool has_k, has_u; /* asked for and carried by the event */
	uint32_t nr_k, nr_u;
	char k[DR_STACK_MAX][USYMS_FRAME_LEN];
	char u[DR_STACK_MAX][USYMS_FRAME_LEN];
};

/*
 * Symbolization of -K and --user-stack. Kernel frames use the table a
 * recording handed over (stacks_set_ksyms), else, tracing live, this
 * machine's /proc/kallsyms, opened when tracing starts and read when the
 * first stack needs it (after the header: it takes tens of milliseconds);
 * a recording without one shows addresses. User frames are named from
 * /proc only when tracing live.
 */
struct dr_stacks {
	bool kernel, user; /* -K, --user-stack */
	bool live;
	bool ksyms_tried; /* given, or /proc/kallsyms read (or failed) */
	int kallsyms_fd; /* /proc/kallsyms, opened, not read yet; or -1 */
	int kallsyms_errno; /* why it could not be opened or read */
	struct ksyms *ksyms;
	struct usyms *usyms;
	struct dr_frames *frames;
};

void stacks_init(struct dr_stacks *s, bool kernel, bool user);
void stacks_free(struct dr_stacks *s);

/*
 * A live source: /proc/kallsyms (opened now, with -K) and /proc/PID
 * describe its stalls.
 */
void stacks_set_live(struct dr_stacks *s, bool live);

/* The capabilities (PRIVS_CAP() bits) symbolizing needs from now on. */
uint64_t stacks_keep_caps(const struct dr_stacks *s);

/* The kernel symbols of a recording; s takes k over (NULL: none). */
void stacks_set_ksyms(struct dr_stacks *s, struct ksyms *k);

/*
 * e's stacks as text, valid until the next call; NULL when neither stack
 * was asked for or memory ran out.
 */
const struct dr_frames *stacks_resolve(struct dr_stacks *s,
				       const struct dr_event *e);

/*
 * A frame as a flame graph names it: the function without its offset or
 * module ("try_to_free_pages"), an unknown one as its module or address.
 */
void stacks_fold_frame(const char *frame, char *out, size_t len);

#endif /* DRSNOOP_STACKS_H */
