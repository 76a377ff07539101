/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_EVENT_H
#define DRSNOOP_EVENT_H

#include <stdbool.h>
#include <stdint.h>

#define DR_COMM_LEN 16

/*
 * What stalled the task: a kind of reclaim (a begin and an end), a sleep
 * in reclaim_throttle() (one event, complete), a direct compaction
 * attempt, or the penalty a task over its cgroup's memory.high pays on
 * its way back to user space.
 */
enum dr_kind {
	DR_KIND_DIRECT,
	DR_KIND_MEMCG,
	DR_KIND_MEMCG_SOFTLIMIT,
	DR_KIND_THROTTLE,
	DR_KIND_COMPACT,
	DR_KIND_HIGH,
	DR_NR_KINDS,
};

/* The kinds before DR_KIND_THROTTLE: reclaims, each a begin and an end. */
#define DR_NR_RECLAIM_KINDS DR_KIND_THROTTLE

/* A kind's bit in a set of kinds (options_kinds()). */
#define DR_KIND_BIT(kind) (1u << (kind))

/* A kind's name, as KIND, JSON, -s and --metrics print it; "?" if none. */
const char *dr_kind_name(uint32_t kind);

/*
 * Which optional fields of a dr_event hold a value. A backend that cannot
 * know a field leaves its bit clear rather than inventing a value.
 */
enum dr_field {
	DR_HAS_PID = 1 << 0, /* tgid; the tid is always known */
	DR_HAS_UID = 1 << 1,
	DR_HAS_FREE = 1 << 2, /* free_pages read at reclaim begin */
	DR_HAS_ORDER = 1 << 3,
	DR_HAS_GFP = 1 << 4,
	DR_HAS_CGROUP = 1 << 5,
	DR_HAS_COMM = 1 << 6,
	DR_FREE_APPROX = 1 << 7, /* free_pages sampled later, not at begin */
	DR_CGROUP_CHECKED = 1 << 8, /* --cgroup was applied in the kernel */
	DR_HAS_KSTACK = 1 << 9, /* kstack holds the kernel stack at begin */
	DR_HAS_USTACK = 1 << 10, /* ustack holds the user stack at begin */
	DR_NESTED = 1 << 11, /* a throttle inside outer_kind's reclaim */
	DR_HAS_OUTCOME = 1 << 12, /* compact: DR_GOT_PAGE says the outcome */
	DR_GOT_PAGE = 1 << 13, /* compact: the allocation got its page */
};

/* Most frames of one stack (kernel or user) an event carries. */
#define DR_STACK_MAX 127

/*
 * One stall (a reclaim, a throttle, a compaction, a memory.high penalty),
 * normalized. Every backend (BPF, ftrace,
 * files) produces these; filter and output never know where one came from.
 */
struct dr_event {
	uint64_t begin_ns; /* CLOCK_MONOTONIC (or the file's clock) */
	uint64_t lat_ns; /* end - begin */
	uint64_t nr_reclaimed; /* pages */
	uint64_t free_pages; /* free pages at begin, see DR_HAS_FREE */
	uint64_t gfp_flags;
	uint64_t cgroup_id;
	uint32_t pid;
	uint32_t tid;
	uint32_t uid;
	int32_t order;
	uint32_t kind; /* enum dr_kind */
	uint32_t fields; /* enum dr_field */
	/*
	 * A throttle's VMSCAN_THROTTLE_* bits; a compaction attempt's
	 * result, the kernel's enum compact_result (src/sys/compact_result.h);
	 * else 0.
	 */
	uint32_t reason;
	/*
	 * With DR_NESTED: the kind of the reclaim the same task was in when
	 * it was throttled. That reclaim's latency holds the sleep.
	 */
	uint32_t outer_kind;
	char comm[DR_COMM_LEN];
	/*
	 * Raw instruction addresses, innermost first, at most DR_STACK_MAX
	 * each. They belong to the backend and are valid only during the
	 * sink's event() call: the pipeline copies what it keeps.
	 */
	const uint64_t *kstack;
	const uint64_t *ustack;
	uint32_t kstack_nr;
	uint32_t ustack_nr;
};

static inline bool dr_event_has(const struct dr_event *e, enum dr_field f)
{
	return (e->fields & f) != 0;
}

static inline uint64_t dr_event_end_ns(const struct dr_event *e)
{
	return e->begin_ns + e->lat_ns;
}

#endif /* DRSNOOP_EVENT_H */
