// SPDX-License-Identifier: GPL-2.0
/*
 * drsnoop's kernel side: time each direct reclaim from
 * vmscan:mm_vmscan_direct_reclaim_begin to _end, per thread.
 *
 * Every handler exists three times, for tp_btf, raw_tp and classic
 * tracepoint attachment; user space keeps the one set the kernel runs.
 */
#include "core_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "drsnoop.h"

#define MAX_STARTS   10240
#define RINGBUF_SIZE (256 * 1024)

/* Filters, fixed before load; 0 (or false) means "off". */
const volatile __u32 targ_tgid = 0;
const volatile __u32 targ_tid = 0;
const volatile __u32 targ_uid = 0;
const volatile bool filter_uid = false; /* uid 0 is a real uid */
const volatile char targ_name[DRSNOOP_COMM_LEN] = {};
const volatile __u32 targ_name_len = 0;
const volatile bool want_free = false;
const volatile __u32 nr_nodes = 1;
const volatile bool use_ringbuf = true;

struct start {
	__u64 ts;
	__u64 free_pages;
	__u64 gfp_flags;
	__s32 order;
	__u32 flags;
};

/*
 * Where a begin waits for its end. tp_btf programs keep it in the task
 * itself (task storage: no hashing, no lock, no delete); raw_tp and
 * tracepoint programs, which cannot use task storage, in a hash by tid.
 * User space creates only the map the attach mode uses.
 */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct start);
} task_starts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_STARTS);
	__type(key, __u32);
	__type(value, struct start);
} starts SEC(".maps");

/* A ring buffer; user space turns it into a perf buffer on old kernels. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, RINGBUF_SIZE);
} events SEC(".maps");

/* Staging for the perf buffer path, which cannot reserve in place. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct drsnoop_event);
} heap SEC(".maps");

/* Stalls that could not be recorded or sent: reported, never silent. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} lost SEC(".maps");

static const __u32 zero;

static __always_inline void count_lost(void)
{
	__u64 *n = bpf_map_lookup_elem(&lost, &zero);

	if (n)
		*n += 1;
}

/*
 * The type check lets old verifiers, which do not see rodata as constant,
 * drop the ring buffer calls on kernels that lack them.
 */
static __always_inline bool have_ringbuf(void)
{
	return bpf_core_type_exists(struct bpf_ringbuf) && use_ringbuf;
}

static __always_inline struct drsnoop_event *reserve_event(void)
{
	if (have_ringbuf())
		return bpf_ringbuf_reserve(&events,
					   sizeof(struct drsnoop_event), 0);
	return bpf_map_lookup_elem(&heap, &zero);
}

/*
 * Waking the reader costs the stalled task tens of microseconds, more than
 * everything else here; user space polls the ring every 100 ms instead,
 * and is woken only when the ring is half full, so that bursts never
 * overflow it.
 */
static __always_inline void submit_event(void *ctx, struct drsnoop_event *e)
{
	if (have_ringbuf()) {
		__u64 flags = BPF_RB_NO_WAKEUP;

		if (bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >
		    RINGBUF_SIZE / 2)
			flags = BPF_RB_FORCE_WAKEUP;
		bpf_ringbuf_submit(e, flags);
		return;
	}
	if (bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, e,
				  sizeof(*e)))
		count_lost();
}

/* bcc's -n: the name is a substring of the task's comm. */
static __always_inline bool name_allowed(void)
{
	char comm[DRSNOOP_COMM_LEN];
	__u32 len = targ_name_len;
	int i, j;

	if (!len)
		return true;
	bpf_get_current_comm(comm, sizeof(comm));
	for (i = 0; i + len <= DRSNOOP_NAME_MAX; i++) {
		for (j = 0; j < len; j++) {
			if (comm[(i + j) & (DRSNOOP_COMM_LEN - 1)] !=
			    targ_name[j & (DRSNOOP_COMM_LEN - 1)])
				break;
		}
		if (j == len)
			return true;
	}
	return false;
}

static __always_inline bool task_allowed(__u64 pid_tgid)
{
	if (targ_tgid && targ_tgid != pid_tgid >> 32)
		return false;
	if (targ_tid && targ_tid != (__u32)pid_tgid)
		return false;
	if (filter_uid && targ_uid != (__u32)bpf_get_current_uid_gid())
		return false;
	return name_allowed();
}

/* Free pages of one node: NR_FREE_PAGES summed over its zones. */
static __always_inline __u64 node_free_pages(struct pglist_data *pgdat)
{
	__u32 zone_size = bpf_core_type_size(struct zone);
	__u32 stat = bpf_core_field_offset(struct zone, vm_stat) +
		     bpf_core_enum_value(enum zone_stat_item, NR_FREE_PAGES) *
			     sizeof(long);
	void *zones = (void *)pgdat +
		      bpf_core_field_offset(struct pglist_data, node_zones);
	int nr_zones = BPF_CORE_READ(pgdat, nr_zones);
	__u64 sum = 0;
	long v;
	int z;

	for (z = 0; z < DRSNOOP_MAX_ZONES && z < nr_zones; z++) {
		if (bpf_probe_read_kernel(&v, sizeof(v),
					  zones + z * zone_size + stat))
			break;
		/* Per-CPU deltas can leave a zone briefly below zero. */
		if (v > 0)
			sum += v;
	}
	return sum;
}

/*
 * Free pages at reclaim begin. vm_zone_stat is neither in kallsyms nor in
 * BTF on many kernels, so reach each node's pgdat through the current
 * task's memory cgroup (every memcg has a per-node lruvec naming its pgdat)
 * and sum the zone counters, which add up to vm_zone_stat.
 */
static __always_inline bool read_free_pages(__u64 *free_pages)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct cgroup_subsys_state *css;
	struct mem_cgroup_per_node *pn;
	struct pglist_data *pgdat;
	struct mem_cgroup *memcg;
	__u64 sum = 0;
	int id, n;

	if (!bpf_core_enum_value_exists(enum cgroup_subsys_id,
					memory_cgrp_id) ||
	    !bpf_core_field_exists(struct lruvec, pgdat))
		return false;
	id = bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id);
	css = BPF_CORE_READ(task, cgroups, subsys[id]);
	if (!css)
		return false;
	memcg = (void *)css - bpf_core_field_offset(struct mem_cgroup, css);
	for (n = 0; n < DRSNOOP_MAX_NODES && n < nr_nodes; n++) {
		pn = BPF_CORE_READ(memcg, nodeinfo[n]);
		if (!pn)
			return false;
		pgdat = BPF_CORE_READ(pn, lruvec.pgdat);
		if (!pgdat)
			return false;
		sum += node_free_pages(pgdat);
	}
	*free_pages = sum;
	return true;
}

/*
 * The begin slot of the current thread: its task storage when in_task,
 * else a hash entry by tid. in_task is a constant at every call site, so
 * each program keeps one of the two paths.
 */
static __always_inline struct start *start_slot(bool in_task, __u32 tid,
						bool create)
{
	static const struct start empty;

	if (in_task)
		return bpf_task_storage_get(
			&task_starts, bpf_get_current_task_btf(), 0,
			create ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0);
	if (create && bpf_map_update_elem(&starts, &tid, &empty, BPF_ANY))
		return NULL;
	return bpf_map_lookup_elem(&starts, &tid);
}

static __always_inline int on_begin(bool in_task, int order, gfp_t gfp_flags)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct start *s;

	if (!task_allowed(pid_tgid))
		return 0;
	s = start_slot(in_task, pid_tgid, true);
	if (!s) {
		count_lost();
		return 0;
	}
	s->order = order;
	s->gfp_flags = gfp_flags;
	s->flags = DRSNOOP_F_GFP;
	/* Read before the clock starts, so we are not in the latency. */
	if (want_free && read_free_pages(&s->free_pages))
		s->flags |= DRSNOOP_F_FREE;
	s->ts = bpf_ktime_get_ns();
	return 0;
}

static __always_inline int on_end(bool in_task, void *ctx,
				  unsigned long nr_reclaimed)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = pid_tgid;
	struct drsnoop_event *e;
	struct start *s;
	__u64 now;

	/* No begin: filtered out, or reclaim began before we attached. */
	s = start_slot(in_task, tid, false);
	if (!s || !s->ts)
		return 0;
	now = bpf_ktime_get_ns();
	e = reserve_event();
	if (!e) {
		count_lost();
		goto out;
	}
	e->begin_ns = s->ts;
	e->lat_ns = now - s->ts;
	e->nr_reclaimed = nr_reclaimed;
	e->free_pages = s->free_pages;
	e->gfp_flags = s->gfp_flags;
	e->pid = pid_tgid >> 32;
	e->tid = tid;
	e->uid = bpf_get_current_uid_gid();
	e->order = s->order;
	e->kind = 0;
	e->flags = s->flags;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	submit_event(ctx, e);
out:
	/* Task storage lives as long as the task: just mark it used. */
	if (in_task)
		s->ts = 0;
	else
		bpf_map_delete_elem(&starts, &tid);
	return 0;
}

/* The (order, gfp_flags) arguments of the begin tracepoint, on any kernel. */
static __always_inline int begin_args(bool in_task, unsigned long long *ctx)
{
	if (bpf_core_field_exists(
		    struct
		    trace_event_raw_mm_vmscan_direct_reclaim_begin_template___o,
		    may_writepage))
		return on_begin(in_task, ctx[0], ctx[2]);
	return on_begin(in_task, ctx[0], ctx[1]);
}

SEC("tp_btf/mm_vmscan_direct_reclaim_begin")
int direct_begin_btf(unsigned long long *ctx)
{
	return begin_args(true, ctx);
}

SEC("tp_btf/mm_vmscan_direct_reclaim_end")
int direct_end_btf(unsigned long long *ctx)
{
	return on_end(true, ctx, ctx[0]);
}

SEC("raw_tp/mm_vmscan_direct_reclaim_begin")
int direct_begin_raw(unsigned long long *ctx)
{
	return begin_args(false, ctx);
}

SEC("raw_tp/mm_vmscan_direct_reclaim_end")
int direct_end_raw(unsigned long long *ctx)
{
	return on_end(false, ctx, ctx[0]);
}

SEC("tracepoint/vmscan/mm_vmscan_direct_reclaim_begin")
int direct_begin_tp(
	struct trace_event_raw_mm_vmscan_direct_reclaim_begin_template *ctx)
{
	return on_begin(false, ctx->order, ctx->gfp_flags);
}

SEC("tracepoint/vmscan/mm_vmscan_direct_reclaim_end")
int direct_end_tp(
	struct trace_event_raw_mm_vmscan_direct_reclaim_end_template *ctx)
{
	return on_end(false, ctx, ctx->nr_reclaimed);
}

char LICENSE[] SEC("license") = "GPL";
