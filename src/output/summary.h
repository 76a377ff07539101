/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_SUMMARY_H
#define DRSNOOP_SUMMARY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "src/lib/event.h"
#include "src/sys/meminfo.h"
#include "src/sys/psi.h"
#include "src/symbols/stack_table.h"

#define SUMMARY_SLOTS	   64 /* log2 slots of microseconds: all of uint64_t */
#define SUMMARY_TOP_STACKS 10 /* stacks shown; the rest add up to a line */

/* One row of the table: a (COMM, PID) pair as the stall lines show it. */
struct summary_proc {
	uint64_t stalls;
	uint64_t total_ns;
	uint64_t max_ns;
	uint64_t pages;
	uint32_t id; /* pid (tid with -t) */
	bool has_id;
	char comm[DR_COMM_LEN];
};

/* What the summary's capture line compares. */
struct summary_capture {
	uint64_t seen[DR_NR_KINDS]; /* stalls delivered, by enum dr_kind */
	unsigned int kinds; /* the kinds traced, options_kinds() */
	uint64_t lost;
	uint64_t allocstall_start;
	uint64_t allocstall_end;
	bool has_allocstall; /* live tracing: both reads worked */
	/* --compaction: the kernel's counters, and what the attempts say. */
	struct meminfo_compact compact_start;
	struct meminfo_compact compact_end;
	bool has_compact; /* live tracing: both reads worked */
	uint64_t compact_got; /* attempts whose allocation got its page */
	uint64_t compact_failed; /* and those that did not, where known */
	uint64_t background; /* zone compactions no attempt held */
	struct psi_window psi; /* system-wide: /proc/pressure/memory */
	struct psi_window cgroup_psi; /* --cgroup's memory.pressure */
	const char *cgroup; /* --cgroup's path, when cgroup_psi is read */
};

struct dr_summary {
	struct summary_proc *procs;
	uint32_t *index; /* open addressing: 1 + procs index, 0 free */
	size_t nr;
	size_t cap; /* slots of index, a power of two; procs holds cap/2 */
	uint64_t hist[SUMMARY_SLOTS];
	uint64_t stalls; /* shown: in the table and histogram */
	uint64_t total_ns; /* their stall time */
	/*
	 * Throttles inside a reclaim shown (DR_NESTED): their time is in that
	 * reclaim's, so they are told apart rather than added as stalls.
	 */
	uint64_t nested_throttles;
	uint64_t nested_throttle_ns;
	bool by_tid;
	bool with_stacks; /* -K or --user-stack: the top stacks too */
	struct stack_table stacks;
	struct summary_capture cap_line;
};

void summary_init(struct dr_summary *s, bool by_tid, bool with_stacks);
void summary_free(struct dr_summary *s);

/* An empty summary again (the next interval); the memory is kept. */
void summary_reset(struct dr_summary *s);

/*
 * Count a stall that passed the filters; a nested throttle only in the
 * nested totals. Returns 0 or -ENOMEM.
 */
int summary_add(struct dr_summary *s, const struct dr_event *e);

/* Count a stall of lat_ns under its stack. Returns 0 or -ENOMEM. */
int summary_add_stack(struct dr_summary *s, const struct stack_key *key,
		      uint64_t lat_ns);

/* The histogram slot of a latency: floor(log2(usecs)), 0 for 0 and 1. */
unsigned int summary_slot(uint64_t lat_ns);

/* The rows, by total stall time, longest first (pid breaks ties). */
void summary_sort(struct dr_summary *s);

/* summary_sort()'s order, for qsort() of summary_proc rows. */
int summary_by_total(const void *a, const void *b);

/* The table, the histogram and the capture line, as text or one JSON. */
void summary_print_text(const struct dr_summary *s, FILE *f);
void summary_print_json(const struct dr_summary *s, FILE *f);

/* The histogram (nothing without a stall), as the text prints it. */
void summary_print_hist(const struct dr_summary *s, FILE *f);
/* The capture line and the psi line, as the text prints them. */
void summary_print_capture(const struct dr_summary *s, FILE *f);

#endif /* DRSNOOP_SUMMARY_H */
