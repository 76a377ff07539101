/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_MEMINFO_H
#define DRSNOOP_MEMINFO_H

#include <stdbool.h>
#include <stdint.h>
#include "src/lib/event.h"

/*
 * For live backends that cannot read free memory at reclaim begin: fill
 * e->free_pages from /proc/vmstat now, mark it approximate, and say so on
 * stderr the first time. Returns false if /proc/vmstat cannot be read.
 */
bool meminfo_fill_free(struct dr_event *e);

/* The sum of /proc/vmstat's allocstall_* counters: one per direct reclaim. */
bool meminfo_allocstall(uint64_t *total);

/*
 * The allocstall_<zone> counters one by one: up to max zone names (at
 * most 15 characters) and values. Returns how many, 0 if none.
 */
unsigned int meminfo_allocstall_zones(char (*zone)[16], uint64_t *value,
				      unsigned int max);

/* /proc/vmstat's direct compaction counters. */
struct meminfo_compact {
	uint64_t stall; /* attempts not skipped */
	uint64_t success; /* of which the allocation got its page */
	uint64_t fail;
};

/* The compaction counters; false if /proc/vmstat lacks them. */
bool meminfo_compact(struct meminfo_compact *c);

/* The possible NUMA nodes, as 1 + the highest node number. */
unsigned int meminfo_nr_nodes(void);

#endif /* DRSNOOP_MEMINFO_H */
