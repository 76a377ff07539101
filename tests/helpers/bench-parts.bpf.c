// SPDX-License-Identifier: GPL-2.0
/*
 * The breakdown of scripts/bench: a begin and an end program on the
 * direct reclaim tracepoints, raw_tp as drsnoop's default ones, built
 * with PARTS, a set of the elements below, so that each variant adds one
 * element to the one before it and the difference of their bpf_stats
 * run_time_ns per stall is that element's cost. The elements are
 * drsnoop.bpf.h's own code (its maps, filters and reads), not copies.
 *
 * No element: an empty program, the floor of the raw_tp attach type.
 */
/* Built as drsnoop_fast.bpf.c is: -mcpu=v3, for the slots' atomics. */
#define DRSNOOP_ATOMICS
#include "bpf/drsnoop.bpf.h"
#include "bench-stage.h"

#ifndef PARTS
#define PARTS 0
#endif

#define PART_PID	     (1 << 0) /* pid/tgid and the filters */
#define PART_CLOCK	     (1 << 1) /* bpf_ktime_get_ns() at begin and end */
#define PART_TASK	     (1 << 2) /* the begin slot in task storage */
#define PART_HASH	     (1 << 3) /* in a preallocated hash by tid */
#define PART_HASH_NOPREALLOC (1 << 4) /* in a hash without preallocation */
#define PART_RESERVE	     (1 << 5) /* ring buffer reserve and submit */
#define PART_OUTPUT	     (1 << 6) /* bpf_ringbuf_output() of a stack record */
#define PART_COMM	     (1 << 7) /* bpf_get_current_comm() */
#define PART_UID	     (1 << 8) /* bpf_get_current_uid_gid() */
#define PART_CGROUP	     (1 << 9) /* the task's cgroup id (CO-RE walk) */
#define PART_FREE	     (1 << 10) /* the free-memory walk of -v */
#define PART_ARRAY	     (1 << 11) /* in drsnoop's array slots (IN_SLOT) */
#define PART_PERCPU	     (1 << 12) /* the record filled in a per-CPU array */
#define PART_STAGE	     (1 << 13) /* in a per-CPU staging area */
#define PART_NOQUERY	     (1 << 14) /* reserve's submit without the query */

#define HAS(part) ((PARTS) & (part))

/* BPF_F_MMAPABLE, which core_types.h does not have. */
#define STAGE_MMAPABLE (1U << 10)

/* bpf-load sizes it to the possible CPUs, maps it and reads it. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, STAGE_MMAPABLE);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bench_stage);
} stage SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, MAX_STARTS);
	__type(key, __u32);
	__type(value, struct start);
} starts_noprealloc SEC(".maps");

static __always_inline struct start *part_slot(__u32 tid, bool create)
{
	struct start empty = {};
	void *map =
		HAS(PART_HASH) ? (void *)&starts : (void *)&starts_noprealloc;

	if (HAS(PART_TASK))
		return start_slot(IN_TASK, tid, create);
	if (HAS(PART_ARRAY))
		return start_slot(IN_SLOT, tid, create);
	if (create && bpf_map_update_elem(map, &tid, &empty, BPF_ANY))
		return NULL;
	return bpf_map_lookup_elem(map, &tid);
}

#define HAS_SLOT HAS(PART_TASK | PART_HASH | PART_HASH_NOPREALLOC | PART_ARRAY)

SEC("raw_tp/mm_vmscan_direct_reclaim_begin")
int part_begin(unsigned long long *ctx)
{
	/* ts: the slot is in use, also in a variant without the clock. */
	__u64 pid_tgid = 0, cgroup_id = 0, free_pages = 0, ts = 1;
	struct start *s;

	if (HAS(PART_PID)) {
		pid_tgid = bpf_get_current_pid_tgid();
		if (!task_allowed(pid_tgid))
			return 0;
	}
	if (HAS(PART_CGROUP))
		cgroup_allowed(&cgroup_id);
	if (HAS(PART_FREE))
		read_free_pages(&free_pages);
	if (!HAS_SLOT) {
		if (HAS(PART_CLOCK))
			bpf_ktime_get_ns();
		return 0;
	}
	s = part_slot(pid_tgid, true);
	if (!s) {
		count_lost();
		return 0;
	}
	if (HAS(PART_CLOCK))
		ts = bpf_ktime_get_ns();
	s->order = ctx[0];
	s->gfp_flags = ctx[1];
	s->kind = DRSNOOP_KIND_DIRECT;
	s->cgroup_id = cgroup_id;
	s->free_pages = free_pages;
	s->flags = DRSNOOP_F_GFP;
	s->ts = ts;
	return 0;
}

static __always_inline void part_fill(struct drsnoop_event *e,
				      const struct start *s, __u64 pid_tgid,
				      __u64 now, unsigned long nr_reclaimed)
{
	e->begin_ns = s->ts;
	e->lat_ns = now - s->ts;
	e->nr_reclaimed = nr_reclaimed;
	e->free_pages = s->free_pages;
	e->gfp_flags = s->gfp_flags;
	e->cgroup_id = s->cgroup_id;
	e->pid = pid_tgid >> 32;
	e->tid = pid_tgid;
	e->uid = HAS(PART_UID) ? bpf_get_current_uid_gid() : 0;
	e->order = s->order;
	e->kind = s->kind;
	e->flags = s->flags;
	e->reason = 0;
	e->outer_kind = 0;
	if (HAS(PART_COMM))
		bpf_get_current_comm(e->comm, sizeof(e->comm));
}

/*
 * The record in this CPU's staging area, counted lost when it is full;
 * one writer a CPU, as these programs do not nest.
 */
static __always_inline void stage_record(const struct start *s, __u64 pid_tgid,
					 __u64 now, unsigned long nr_reclaimed)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct bench_stage *st = bpf_map_lookup_elem(&stage, &cpu);
	__u64 head;

	if (!st)
		return;
	head = st->head;
	if (head - *(volatile __u64 *)&st->tail >= BENCH_STAGE_RECS) {
		count_lost();
		return;
	}
	part_fill(&st->rec[head & (BENCH_STAGE_RECS - 1)], s, pid_tgid, now,
		  nr_reclaimed);
	/* Fully ordered: a reader that sees the head sees the record. */
	__sync_fetch_and_add(&st->head, 1);
}

static __always_inline void part_send(const struct start *s, __u64 pid_tgid,
				      __u64 now, unsigned long nr_reclaimed)
{
	struct drsnoop_event *e, copy = {};

	if (HAS(PART_RESERVE)) {
		e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
		if (!e) {
			count_lost();
			return;
		}
		part_fill(e, s, pid_tgid, now, nr_reclaimed);
		bpf_ringbuf_submit(e, HAS(PART_NOQUERY) ? BPF_RB_NO_WAKEUP :
							  wakeup_flags());
	} else if (HAS(PART_STAGE)) {
		stage_record(s, pid_tgid, now, nr_reclaimed);
	} else if (HAS(PART_PERCPU)) {
		__u32 zero = 0;

		e = bpf_map_lookup_elem(&heap, &zero);
		if (e)
			part_fill(e, s, pid_tgid, now, nr_reclaimed);
	} else if (HAS(PART_OUTPUT)) {
		part_fill(&copy, s, pid_tgid, now, nr_reclaimed);
		if (bpf_ringbuf_output(&events, &copy, sizeof(copy),
				       wakeup_flags()))
			count_lost();
	}
}

SEC("raw_tp/mm_vmscan_direct_reclaim_end")
int part_end(unsigned long long *ctx)
{
	__u64 pid_tgid = 0, now = 0;
	__u32 tid;
	struct start *s;

	if (HAS(PART_PID))
		pid_tgid = bpf_get_current_pid_tgid();
	if (!HAS_SLOT) {
		if (HAS(PART_CLOCK))
			bpf_ktime_get_ns();
		return 0;
	}
	tid = pid_tgid;
	s = part_slot(tid, false);
	if (!s || !s->ts)
		return 0;
	if (HAS(PART_CLOCK))
		now = bpf_ktime_get_ns();
	part_send(s, pid_tgid, now, ctx[0]);
	if (HAS(PART_ARRAY))
		start_put(IN_SLOT, s, tid);
	else if (HAS(PART_TASK))
		s->ts = 0;
	else
		bpf_map_delete_elem(HAS(PART_HASH) ? (void *)&starts :
						     (void *)&starts_noprealloc,
				    &tid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
