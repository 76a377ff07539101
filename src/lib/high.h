/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_HIGH_H
#define DRSNOOP_HIGH_H

#include <stdbool.h>
#include <stdint.h>
#include "event.h"
#include "pair.h"

/*
 * memory.high penalties, from the entry and return of the kernel's
 * handler (mem_cgroup_handle_over_high(), or __mem_cgroup_handle_over_high()
 * in newer kernels) and the memcg reclaims that run inside it, for the
 * sources that see those as separate events (kprobe events on the ftrace
 * backend, recordings).
 *
 * The handler reclaims from the cgroup and then, if it is still over its
 * high limit, sleeps a penalty. A call that reclaimed nothing never
 * slept (no reclaim means the cgroup was not over the limit); it is no
 * stall and is not shown, which drops the calls that a return to user
 * space makes for other reasons. A call that reclaimed is a stall of kind
 * high: LAT is its time outside those reclaims (the penalty sleep, with
 * the handler's own work), PAGES what they reclaimed. The reclaims keep
 * their own lines (--memcg), so that no time is counted twice.
 */
struct high_tracker {
	struct dr_pairer calls; /* the open handler calls, by tid */
};

int high_init(struct high_tracker *h);
void high_free(struct high_tracker *h);

/* The handler's entry in tid at ts_ns. */
int high_enter(struct high_tracker *h, uint64_t ts_ns, uint32_t tid);

/* A memcg reclaim of tid ended (lat_ns, pages): inside its open call. */
void high_reclaim(struct high_tracker *h, uint32_t tid, uint64_t lat_ns,
		  uint64_t pages);

/*
 * The handler returned in tid at ts_ns: true with the penalty in *e when
 * the call reclaimed.
 */
bool high_exit(struct high_tracker *h, uint64_t ts_ns, uint32_t tid,
	       struct dr_event *e);

/* The source lost events: forget the open calls. */
void high_lost(struct high_tracker *h);

#endif /* DRSNOOP_HIGH_H */
