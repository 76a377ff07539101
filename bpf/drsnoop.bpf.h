/* SPDX-License-Identifier: GPL-2.0 */
/*
 * drsnoop's kernel side: time each direct reclaim from
 * vmscan:mm_vmscan_direct_reclaim_begin to _end, per thread.
 *
 * The maps and handlers, shared by the two objects: drsnoop_fast.bpf.c,
 * whose raw_tp programs need no CO-RE and so no kernel BTF at load, and
 * drsnoop.bpf.c, whose tp_btf, raw_tp and tracepoint programs use CO-RE
 * for -v and for old kernels. User space loads one of them.
 */
#ifndef DRSNOOP_BPF_COMMON_H
#define DRSNOOP_BPF_COMMON_H

#include "core_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "drsnoop.h"

#define MAX_STARTS 10240

/* The only .rodata: bpf_backend.c finds and fills it by its size. */
const volatile struct drsnoop_config cfg = {
	.nr_nodes = 1,
	.use_ringbuf = 1,
	.want_uid = 1,
	.wakeup_bytes = DRSNOOP_RINGBUF_MIN_SIZE / 2,
	.slot_mask = DRSNOOP_START_SLOTS - 1,
	.stack_slot_mask = DRSNOOP_STACK_SLOTS - 1,
};

struct start {
	__u64 ts;
	__u64 free_pages;
	__u64 gfp_flags;
	__u64 cgroup_id;
	__s32 order;
	__u32 flags;
	__u32 kind;
};

/*
 * Where a begin waits for its end. The default raw_tp programs keep it in
 * an array slot (start_slots, below); tp_btf's in the task itself (task
 * storage: no hashing, no lock, no delete); the raw_tp-compat,
 * tracepoint and no-BTF programs, for kernels that cannot give them task
 * storage, in a hash by tid, which is also where a begin goes whose
 * array slot is taken. User space creates only the maps the attach mode
 * uses.
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

/*
 * The default programs' begin slots: an array by tid's low bits (as
 * many as user space sets, DRSNOOP_START_SLOTS by default), each slot
 * claimed by compare-and-swap of its owner (BPF atomics: 5.12, and
 * clang's -mcpu=v3, so only drsnoop_fast.bpf.c uses them). An array
 * element is a load away, where task storage and the hash cost
 * microseconds per stall (scripts/bench's breakdown). A begin whose
 * slot another thread holds goes to the hash by tid instead. The owner
 * comes first in each kind of slot, so that one claim serves both.
 */
struct start_slot {
	__u32 owner; /* the tid that holds it, 0 when free */
	__u32 pad;
	struct start s;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, DRSNOOP_START_SLOTS);
	__type(key, __u32);
	__type(value, struct start_slot);
} start_slots SEC(".maps");

/*
 * -K and --user-stack: each task's stacks read at begin, in a record of
 * its own that the end fills and sends (see struct drsnoop_stack_event),
 * kept as the begins are: in array slots (fewer: a record is 2 KiB),
 * in the task, else in a hash by tid, with stack_heap as the hash's
 * first value (too big for the BPF stack). User space creates these maps
 * only when stacks are asked for.
 */
struct stack_slot {
	__u32 owner; /* as start_slot's */
	__u32 pad;
	struct drsnoop_stack_event r;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, DRSNOOP_STACK_SLOTS);
	__type(key, __u32);
	__type(value, struct stack_slot);
} stack_slots SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct drsnoop_stack_event);
} task_stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, MAX_STARTS);
	__type(key, __u32);
	__type(value, struct drsnoop_stack_event);
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct drsnoop_stack_event);
} stack_heap SEC(".maps");

/*
 * A ring buffer, sized by user space; it turns it into a perf buffer on
 * old kernels.
 */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, DRSNOOP_RINGBUF_MIN_SIZE);
} events SEC(".maps");

/* Staging for the perf buffer path, which cannot reserve in place. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct drsnoop_event);
} heap SEC(".maps");

/*
 * Stalls that could not be recorded or sent: reported, never silent.
 * A counter a CPU, in an array that user space sizes to the possible
 * CPUs and maps into its memory, not a per-CPU map: it reads them after
 * dropping its capabilities, when kernels before 6.5 refuse every bpf()
 * call if unprivileged BPF is off (Debian's default). See cpu_count().
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} lost SEC(".maps");

/*
 * How a program is built; a constant at every call site, so each program
 * keeps one path. IN_SLOT keeps begins and stack records in array slots
 * (start_slots, stack_slots), IN_TASK in task storage (no hashing, no
 * delete), neither in hashes by tid. CORE allows CO-RE relocations,
 * which make libbpf read and parse the kernel's whole BTF at start-up:
 * the default programs do without them, and so start in half the time.
 */
enum variant {
	IN_TASK = 1 << 0,
	CORE = 1 << 1,
	IN_SLOT = 1 << 2,
};

/*
 * One more on this CPU's counter in map (lost, compact_background). The
 * add is atomic for preemptible kernels (PREEMPT_RT), where two programs
 * can interleave on one CPU.
 */
static __always_inline void cpu_count(void *map)
{
	__u32 cpu = bpf_get_smp_processor_id();
	__u64 *n = bpf_map_lookup_elem(map, &cpu);

	if (n)
		__sync_fetch_and_add(n, 1);
}

static __always_inline void count_lost(void)
{
	cpu_count(&lost);
}

/*
 * The type check lets old verifiers, which do not see rodata as constant,
 * drop the ring buffer calls on kernels that lack them.
 */
static __always_inline bool have_ringbuf(int v)
{
	if (v & CORE)
		return bpf_core_type_exists(struct bpf_ringbuf) &&
		       cfg.use_ringbuf;
	return cfg.use_ringbuf;
}

static __always_inline bool want_stacks(void)
{
	return cfg.want_kstack || cfg.want_ustack;
}

static __always_inline struct drsnoop_event *reserve_event(int v)
{
	__u32 zero = 0;

	if (have_ringbuf(v))
		return bpf_ringbuf_reserve(&events,
					   sizeof(struct drsnoop_event), 0);
	return bpf_map_lookup_elem(&heap, &zero);
}

/*
 * Waking the reader costs the stalled task tens of microseconds, more than
 * everything else here; user space polls the ring every 100 ms instead,
 * and is woken only when the ring is half full, so that bursts never
 * overflow it (cfg.wakeup_bytes: half the size user space gave the ring).
 */
static __always_inline __u64 wakeup_flags(void)
{
	if (bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > cfg.wakeup_bytes)
		return BPF_RB_FORCE_WAKEUP;
	return BPF_RB_NO_WAKEUP;
}

static __always_inline void submit_event(int v, void *ctx,
					 struct drsnoop_event *e)
{
	if (have_ringbuf(v)) {
		bpf_ringbuf_submit(e, wakeup_flags());
		return;
	}
	if (bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, e,
				  sizeof(*e)))
		count_lost();
}

/* A stack record, copied: only as many bytes as its frames need. */
static __always_inline void
output_stacks(int v, void *ctx, struct drsnoop_stack_event *r, __u64 size)
{
	long err;

	if (have_ringbuf(v))
		err = bpf_ringbuf_output(&events, r, size, wakeup_flags());
	else
		err = bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, r,
					    size);
	if (err)
		count_lost();
}

/* What every stall's record says: its task, its times, its kind. */
static __always_inline void fill_stall(struct drsnoop_event *e, __u64 pid_tgid,
				       __u32 kind, __u64 begin_ns, __u64 lat_ns)
{
	e->begin_ns = begin_ns;
	e->lat_ns = lat_ns;
	e->pid = pid_tgid >> 32;
	e->tid = pid_tgid;
	/* A credentials walk, for what only -U, -j and -u use. */
	e->uid = cfg.want_uid ? bpf_get_current_uid_gid() : 0;
	e->kind = kind;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
}

/*
 * A record reserved for a stall that is not one reclaim's (a throttle,
 * a compaction attempt, a memory.high penalty), with fill_stall()'s
 * fields and nothing else known: no pages, no gfp, no cgroup, no order
 * (-1), no flags. NULL, counted lost, when the buffer is full.
 */
static __always_inline struct drsnoop_event *
reserve_stall(int v, __u64 pid_tgid, __u32 kind, __u64 begin_ns, __u64 lat_ns)
{
	struct drsnoop_event *e = reserve_event(v);

	if (!e) {
		count_lost();
		return NULL;
	}
	fill_stall(e, pid_tgid, kind, begin_ns, lat_ns);
	e->nr_reclaimed = 0;
	e->free_pages = 0;
	e->gfp_flags = 0;
	e->cgroup_id = 0;
	e->order = -1;
	e->flags = 0;
	e->reason = 0;
	e->outer_kind = 0;
	return e;
}

/* bcc's -n: the name is a substring of the task's comm. */
static __always_inline bool name_allowed(void)
{
	char comm[DRSNOOP_COMM_LEN];
	__u32 len = cfg.targ_name_len;
	int i, j;

	if (!len)
		return true;
	bpf_get_current_comm(comm, sizeof(comm));
	for (i = 0; i + len <= DRSNOOP_NAME_MAX; i++) {
		for (j = 0; j < len; j++) {
			if (comm[(i + j) & (DRSNOOP_COMM_LEN - 1)] !=
			    cfg.targ_name[j & (DRSNOOP_COMM_LEN - 1)])
				break;
		}
		if (j == len)
			return true;
	}
	return false;
}

static __always_inline bool task_allowed(__u64 pid_tgid)
{
	if (cfg.targ_tgid && cfg.targ_tgid != pid_tgid >> 32)
		return false;
	if (cfg.targ_tid && cfg.targ_tid != (__u32)pid_tgid)
		return false;
	if (cfg.filter_uid && cfg.targ_uid != (__u32)bpf_get_current_uid_gid())
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
	for (n = 0; n < DRSNOOP_MAX_NODES && n < cfg.nr_nodes; n++) {
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
 * The current task's cgroup in the tree user space chose: its memory
 * controller's css in the v1 memory hierarchy, or its cgroup2 cgroup.
 */
static __always_inline struct cgroup_subsys_state *task_css(void)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct cgroup *cgrp;
	int id;

	if (!cfg.cgroup_v1) {
		cgrp = BPF_CORE_READ(task, cgroups, dfl_cgrp);
		if (!cgrp)
			return NULL;
		return (void *)cgrp +
		       bpf_core_field_offset(struct cgroup, self);
	}
	if (!bpf_core_enum_value_exists(enum cgroup_subsys_id, memory_cgrp_id))
		return NULL;
	id = bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id);
	return BPF_CORE_READ(task, cgroups, subsys[id]);
}

/* The kernfs id of css's cgroup: its directory's inode number. */
static __always_inline __u64 css_id(struct cgroup_subsys_state *css)
{
	return BPF_CORE_READ(css, cgroup, kn, id);
}

/*
 * The task's cgroup id into *id (0 when unknown), and whether --cgroup
 * lets it through: its cgroup or an ancestor's is targ_cgroup.
 */
static __always_inline bool cgroup_allowed(__u64 *id)
{
	struct cgroup_subsys_state *css = task_css();
	int i;

	*id = css ? css_id(css) : 0;
	if (!cfg.filter_cgroup)
		return true;
	for (i = 0; i < DRSNOOP_MAX_CGROUP_DEPTH && css; i++) {
		if (css_id(css) == cfg.targ_cgroup)
			return true;
		css = BPF_CORE_READ(css, parent);
	}
	return false;
}

/*
 * Whether the filters let the current task's stall through, with its
 * cgroup id in *cgroup_id where wanted. Only CO-RE programs can walk to
 * the task's cgroup.
 */
static __always_inline bool stall_allowed(int v, __u64 pid_tgid,
					  __u64 *cgroup_id)
{
	if (!task_allowed(pid_tgid))
		return false;
	return !(v & CORE) || !(cfg.want_cgroup || cfg.filter_cgroup) ||
	       cgroup_allowed(cgroup_id);
}

/* What a stall's flags say of its cgroup id, as stall_allowed() gave it. */
static __always_inline __u32 cgroup_flags(int v, __u64 cgroup_id)
{
	__u32 flags = cgroup_id ? DRSNOOP_F_CGROUP : 0;

	if ((v & CORE) && cfg.filter_cgroup)
		flags |= DRSNOOP_F_CGROUP_CHECKED;
	return flags;
}

#ifdef DRSNOOP_ATOMICS
/*
 * What follows the owner in tid's slot of map (start_slots or
 * stack_slots), when tid holds the slot or (create) claims it free. The
 * claim is fully ordered, so a new owner's writes follow the last
 * owner's release; a thread reads its own owner mark, never a stale one.
 */
static __always_inline void *slot_get(void *map, __u32 mask, __u32 tid,
				      bool create)
{
	__u32 i = tid & mask, *owner = bpf_map_lookup_elem(map, &i);

	if (!owner || !tid)
		return NULL;
	if (*owner == tid)
		return owner + 2;
	if (!create || __sync_val_compare_and_swap(owner, 0, tid))
		return NULL;
	return owner + 2;
}

/* Frees tid's slot of map; false when tid does not hold it. */
static __always_inline bool slot_put(void *map, __u32 mask, __u32 tid)
{
	__u32 i = tid & mask, *owner = bpf_map_lookup_elem(map, &i);

	if (!owner || !tid || *owner != tid)
		return false;
	__sync_val_compare_and_swap(owner, tid, 0);
	return true;
}
#else
static __always_inline void *slot_get(void *map, __u32 mask, __u32 tid,
				      bool create)
{
	return NULL;
}

static __always_inline bool slot_put(void *map, __u32 mask, __u32 tid)
{
	return false;
}
#endif

/*
 * The begin slot of the current thread: in the array, in its task, or
 * in the hash (also when its array slot is another thread's).
 */
static __always_inline struct start *start_slot(int v, __u32 tid, bool create)
{
	struct start empty = {}, *s;

	if (v & IN_SLOT) {
		s = slot_get(&start_slots, cfg.slot_mask, tid, create);
		if (s)
			return s;
	} else if (v & IN_TASK)
		return bpf_task_storage_get(
			&task_starts, bpf_get_current_task_btf(), 0,
			create ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0);
	if (create && bpf_map_update_elem(&starts, &tid, &empty, BPF_ANY))
		return NULL;
	return bpf_map_lookup_elem(&starts, &tid);
}

/*
 * The stack record of the current thread: in the array, in its task, or
 * in the hash (also when its array slot is another thread's).
 */
static __always_inline struct drsnoop_stack_event *stack_slot(int v, __u32 tid,
							      bool create)
{
	struct drsnoop_stack_event *r;
	__u32 zero = 0;
	void *first;

	if (v & IN_SLOT) {
		r = slot_get(&stack_slots, cfg.stack_slot_mask, tid, create);
		if (r)
			return r;
	} else if (v & IN_TASK)
		return bpf_task_storage_get(
			&task_stacks, bpf_get_current_task_btf(), 0,
			create ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0);
	if (create) {
		first = bpf_map_lookup_elem(&stack_heap, &zero);
		if (!first ||
		    bpf_map_update_elem(&stacks, &tid, first, BPF_ANY))
			return NULL;
	}
	return bpf_map_lookup_elem(&stacks, &tid);
}

/*
 * Whole stacks: the frames of the tracer itself (the program, the
 * tracepoint's glue, which vary with the attach type and with how many
 * tracers share the tracepoint) are dropped by user space, by name.
 */
#define STACK_BYTES (DRSNOOP_STACK_MAX * sizeof(__u64))

/*
 * The stacks asked for, into the thread's record: the kernel's frames,
 * then the user's right after them. Marked with the begin's time, which
 * the end checks, so that a record is never sent with another stall.
 */
static __always_inline struct drsnoop_stack_event *read_stacks(int v, void *ctx,
							       __u32 tid)
{
	struct drsnoop_stack_event *r = stack_slot(v, tid, true);
	long k = 0, u = 0;

	if (!r)
		return NULL;
	r->e.flags = 0;
	r->e.begin_ns = 0;
	if (cfg.want_kstack) {
		k = bpf_get_stack(ctx, r->ips, STACK_BYTES, 0);
		if (k >= 0 && k <= STACK_BYTES)
			r->e.flags |= DRSNOOP_F_KSTACK;
		else
			k = 0;
	}
	if (cfg.want_ustack) {
		u = bpf_get_stack(ctx, (void *)r->ips + k, STACK_BYTES,
				  BPF_F_USER_STACK);
		if (u >= 0 && u <= STACK_BYTES)
			r->e.flags |= DRSNOOP_F_USTACK;
		else
			u = 0;
	}
	r->kstack_bytes = k;
	r->ustack_bytes = u;
	return r;
}

#ifdef DRSNOOP_STALL_KINDS
/*
 * --compaction and --high, in drsnoop.bpf.c only (which defines
 * DRSNOOP_STALL_KINDS); drsnoop_fast.bpf.c gets the stubs below.
 *
 * A compaction attempt of a thread, and a memory.high handler call:
 * kept apart from the reclaim begin slot (on_throttle() reads that one
 * for nesting), in hashes by tid that any program type can use. With
 * DRSNOOP_HOOK_TRACEPOINTS an attempt stays open until user space's
 * compact_tracker closes it, so a task may exit with one open: an LRU
 * hash recycles those. User space sizes both maps.
 */
struct compact_start {
	__u64 ts;
	__u64 last_ns; /* tracepoints: the attempt's last event */
	__u64 result_ptr; /* kprobe: the enum compact_result * argument */
	__u64 gfp_flags;
	__u64 cgroup_id;
	__s32 order;
	__u32 flags;
	__u32 in_zone; /* tracepoints: between a zone's begin and end */
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, MAX_STARTS);
	__type(key, __u32);
	__type(value, struct compact_start);
} compact_starts SEC(".maps");

struct high_start {
	__u64 ts;
	__u64 inner_ns; /* in the memcg reclaims inside the call */
	__u64 inner_pages; /* what they reclaimed */
	__u64 cgroup_id;
	__u32 nr_reclaims;
	__u32 flags;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, MAX_STARTS);
	__type(key, __u32);
	__type(value, struct high_start);
} high_starts SEC(".maps");

/*
 * Zone compactions that no attempt held: kcompactd's and the like. A
 * counter a CPU, as lost's.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} compact_background SEC(".maps");

/*
 * A record with only a tid, a time, a kind and what the kind says:
 * DRSNOOP_REC_COMPACT_ZONE and _CLOSE.
 */
static __always_inline void send_record(void *ctx, __u64 pid_tgid, __u32 kind,
					__s32 order, __u32 reason, __u64 now)
{
	struct drsnoop_event *e = reserve_event(CORE);

	if (!e) {
		count_lost();
		return;
	}
	__builtin_memset(e, 0, sizeof(*e));
	e->begin_ns = now;
	e->pid = pid_tgid >> 32;
	e->tid = pid_tgid;
	e->order = order;
	e->kind = kind;
	e->reason = reason;
	submit_event(CORE, ctx, e);
}

/*
 * Exact mode: __alloc_pages_direct_compact()'s entry. Order 0 returns at
 * once without an attempt. result_ptr: its enum compact_result *
 * argument, which the kretprobe cannot see.
 */
static __always_inline int compact_enter(int order, gfp_t gfp_flags,
					 __u64 result_ptr)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid(), cgroup_id = 0;
	__u32 tid = pid_tgid;
	struct compact_start s = {};

	if (!order || !stall_allowed(CORE, pid_tgid, &cgroup_id))
		return 0;
	s.order = order;
	s.gfp_flags = gfp_flags;
	s.cgroup_id = cgroup_id;
	s.flags = DRSNOOP_F_GFP | cgroup_flags(CORE, cgroup_id);
	s.result_ptr = result_ptr;
	s.ts = bpf_ktime_get_ns();
	if (bpf_map_update_elem(&compact_starts, &tid, &s, BPF_ANY))
		count_lost();
	return 0;
}

static __always_inline __u32 compact_skipped(void)
{
	if (bpf_core_enum_value_exists(enum compact_result, COMPACT_SKIPPED))
		return bpf_core_enum_value(enum compact_result,
					   COMPACT_SKIPPED);
	return 1;
}

/*
 * Exact mode: its return. The kernel counts the attempt in compact_stall
 * unless the result is COMPACT_SKIPPED, then compact_success when the
 * allocation got its page (a page returned), else compact_fail.
 */
static __always_inline int compact_exit(void *ctx, __u64 result_ptr,
					bool got_page)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid(), now;
	struct drsnoop_event *e;
	struct compact_start *s;
	__u32 tid = pid_tgid;
	__u32 result = 0;

	s = bpf_map_lookup_elem(&compact_starts, &tid);
	if (!s)
		return 0;
	now = bpf_ktime_get_ns();
	if (!result_ptr)
		result_ptr = s->result_ptr;
	if (bpf_probe_read_kernel(&result, sizeof(result),
				  (void *)result_ptr) ||
	    result == compact_skipped())
		goto out;
	e = reserve_stall(CORE, pid_tgid, DRSNOOP_KIND_COMPACT, s->ts,
			  now - s->ts);
	if (!e)
		goto out;
	e->gfp_flags = s->gfp_flags;
	e->cgroup_id = s->cgroup_id;
	e->order = s->order;
	e->flags = s->flags | DRSNOOP_F_OUTCOME;
	if (got_page)
		e->flags |= DRSNOOP_F_GOT_PAGE;
	e->reason = result;
	submit_event(CORE, ctx, e);
out:
	bpf_map_delete_elem(&compact_starts, &tid);
	return 0;
}

/*
 * Tracepoint mode: mm_compaction_try_to_compact_pages opens the task's
 * attempt, here and in user space (DRSNOOP_REC_COMPACT_TRY).
 */
static __always_inline int compact_try(void *ctx, int order, gfp_t gfp_flags)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid(), cgroup_id = 0, now;
	struct compact_start s = {};
	struct drsnoop_event *e;
	__u32 tid = pid_tgid;

	if (!stall_allowed(CORE, pid_tgid, &cgroup_id))
		return 0;
	now = bpf_ktime_get_ns();
	s.ts = s.last_ns = now;
	if (bpf_map_update_elem(&compact_starts, &tid, &s, BPF_ANY)) {
		count_lost();
		return 0;
	}
	e = reserve_stall(CORE, pid_tgid, DRSNOOP_REC_COMPACT_TRY, now, 0);
	if (!e) {
		bpf_map_delete_elem(&compact_starts, &tid);
		return 0;
	}
	e->gfp_flags = gfp_flags;
	e->cgroup_id = cgroup_id;
	e->order = order;
	e->flags = DRSNOOP_F_GFP | cgroup_flags(CORE, cgroup_id);
	submit_event(CORE, ctx, e);
	return 0;
}

static __always_inline void count_background(void)
{
	cpu_count(&compact_background);
}

/*
 * include/linux/sched.h's PF_MEMALLOC, the same bit since 2.6: the
 * allocator sets it around try_to_compact_pages() (and so around every
 * zone event of a direct compaction attempt) and enters no compaction
 * when it is already set; kcompactd and writes to compact_memory compact
 * without it.
 */
#define PF_MEMALLOC 0x00000800

/*
 * Whether the current task is inside direct compaction: on kernels that
 * type the current task for BPF (5.11), one load from it, all that a
 * background zone event costs; else a read.
 */
static __always_inline bool in_direct_compaction(void)
{
	struct task_struct *task;

	if (bpf_core_enum_value_exists(enum bpf_func_id,
				       BPF_FUNC_get_current_task_btf))
		return bpf_get_current_task_btf()->flags & PF_MEMALLOC;
	task = (void *)bpf_get_current_task();
	return BPF_CORE_READ(task, flags) & PF_MEMALLOC;
}

/*
 * Tracepoint mode: a zone event. A zone compaction begun outside direct
 * compaction is background work, counted and no more, so that kcompactd
 * pays one load and a count. The rest is sent on when the task has an
 * open attempt: all of an attempt's zone events but the defer_reset of
 * its success, which the allocator fires once it has cleared
 * PF_MEMALLOC. An attempt quiet for DRSNOOP_COMPACT_QUIET_NS is over, as
 * user space's compact_expire() decides too (a tid reused meanwhile).
 */
static __always_inline int compact_zone(void *ctx, __s32 ev, __u32 result)
{
	__u64 pid_tgid, now;
	struct compact_start *s;
	__u32 tid;

	if (ev != DRSNOOP_ZONE_DEFER_RESET && !in_direct_compaction()) {
		if (ev == DRSNOOP_ZONE_BEGIN)
			count_background();
		return 0;
	}
	pid_tgid = bpf_get_current_pid_tgid();
	tid = pid_tgid;
	s = bpf_map_lookup_elem(&compact_starts, &tid);
	if (!s)
		return 0;
	now = bpf_ktime_get_ns();
	if (!s->in_zone && now - s->last_ns > DRSNOOP_COMPACT_QUIET_NS) {
		bpf_map_delete_elem(&compact_starts, &tid);
		return 0;
	}
	s->last_ns = now;
	s->in_zone = ev == DRSNOOP_ZONE_BEGIN;
	send_record(ctx, pid_tgid, DRSNOOP_REC_COMPACT_ZONE, ev, result, now);
	return 0;
}

/* A reclaim begins: the task's open attempt, if any, is over. */
static __always_inline void compact_reclaim_begins(void *ctx, __u64 pid_tgid)
{
	__u32 tid = pid_tgid;

	if (cfg.compact_mode != DRSNOOP_HOOK_TRACEPOINTS ||
	    !bpf_map_lookup_elem(&compact_starts, &tid))
		return;
	bpf_map_delete_elem(&compact_starts, &tid);
	send_record(ctx, pid_tgid, DRSNOOP_REC_COMPACT_CLOSE, 0, 0,
		    bpf_ktime_get_ns());
}

/* The memory.high handler's entry. */
static __always_inline int high_enter(void)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid(), cgroup_id = 0;
	struct high_start h = {};
	__u32 tid = pid_tgid;

	if (!stall_allowed(CORE, pid_tgid, &cgroup_id))
		return 0;
	h.cgroup_id = cgroup_id;
	h.flags = cgroup_flags(CORE, cgroup_id);
	h.ts = bpf_ktime_get_ns();
	if (bpf_map_update_elem(&high_starts, &tid, &h, BPF_ANY))
		count_lost();
	return 0;
}

/*
 * Its return: a call that reclaimed is a stall (as src/lib/high.c has
 * it), its time outside those reclaims, with their pages. Calls that
 * reclaimed nothing (most of them: a return to user space makes them
 * for other reasons too) send nothing.
 */
static __always_inline int high_exit(void *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid(), now, lat;
	struct drsnoop_event *e;
	struct high_start *h;
	__u32 tid = pid_tgid;

	h = bpf_map_lookup_elem(&high_starts, &tid);
	if (!h)
		return 0;
	if (!h->nr_reclaims)
		goto out;
	now = bpf_ktime_get_ns();
	lat = now - h->ts;
	lat = lat > h->inner_ns ? lat - h->inner_ns : 0;
	e = reserve_stall(CORE, pid_tgid, DRSNOOP_KIND_HIGH, h->ts, lat);
	if (!e)
		goto out;
	e->nr_reclaimed = h->inner_pages;
	e->cgroup_id = h->cgroup_id;
	e->flags = h->flags;
	submit_event(CORE, ctx, e);
out:
	bpf_map_delete_elem(&high_starts, &tid);
	return 0;
}

/*
 * A reclaim ends: a memcg reclaim inside a memory.high call counts
 * towards it. True when the reclaim was traced only for that (--high
 * without --memcg) and so is not sent.
 */
static __always_inline bool high_takes(const struct start *s, __u32 tid,
				       unsigned long nr_reclaimed)
{
	struct high_start *h;

	if (s->kind != DRSNOOP_KIND_MEMCG && s->kind != DRSNOOP_KIND_SOFTLIMIT)
		return false;
	if (cfg.high_mode != DRSNOOP_HOOK_NONE &&
	    s->kind == DRSNOOP_KIND_MEMCG) {
		h = bpf_map_lookup_elem(&high_starts, &tid);
		if (h) {
			h->inner_ns += bpf_ktime_get_ns() - s->ts;
			h->inner_pages += nr_reclaimed;
			h->nr_reclaims++;
		}
	}
	return !cfg.want_memcg;
}
#else
static __always_inline void compact_reclaim_begins(void *ctx, __u64 pid_tgid)
{
}

static __always_inline bool high_takes(const void *s, __u32 tid,
				       unsigned long nr_reclaimed)
{
	return false;
}
#endif /* DRSNOOP_STALL_KINDS */

static __always_inline int on_begin(int v, void *ctx, int kind, int order,
				    gfp_t gfp_flags)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct drsnoop_stack_event *r = NULL;
	__u64 cgroup_id = 0;
	struct start *s;

	compact_reclaim_begins(ctx, pid_tgid);
	if (!stall_allowed(v, pid_tgid, &cgroup_id))
		return 0;
	s = start_slot(v, pid_tgid, true);
	if (!s) {
		count_lost();
		return 0;
	}
	s->order = order;
	s->gfp_flags = gfp_flags;
	s->kind = kind;
	s->cgroup_id = cgroup_id;
	s->flags = DRSNOOP_F_GFP | cgroup_flags(v, cgroup_id);
	/* Read before the clock starts, so we are not in the latency. */
	if ((v & CORE) && cfg.want_free && read_free_pages(&s->free_pages))
		s->flags |= DRSNOOP_F_FREE;
	if (want_stacks())
		r = read_stacks(v, ctx, pid_tgid);
	s->ts = bpf_ktime_get_ns();
	if (r)
		r->e.begin_ns = s->ts;
	return 0;
}

static __always_inline void fill_event(struct drsnoop_event *e,
				       const struct start *s, __u64 pid_tgid,
				       __u64 now, unsigned long nr_reclaimed)
{
	fill_stall(e, pid_tgid, s->kind, s->ts, now - s->ts);
	e->nr_reclaimed = nr_reclaimed;
	e->free_pages = s->free_pages;
	e->gfp_flags = s->gfp_flags;
	e->cgroup_id = s->cgroup_id;
	e->order = s->order;
}

/*
 * The stall with the stacks its begin read; false when there is no
 * record of this begin (it could not be made), to send it without.
 */
static __always_inline bool end_with_stacks(int v, void *ctx,
					    const struct start *s,
					    __u64 pid_tgid,
					    unsigned long nr_reclaimed)
{
	struct drsnoop_stack_event *r = stack_slot(v, pid_tgid, false);
	__u64 k, u;

	if (!r || r->e.begin_ns != s->ts)
		return false;
	fill_event(&r->e, s, pid_tgid, bpf_ktime_get_ns(), nr_reclaimed);
	r->e.flags |= s->flags;
	k = r->kstack_bytes;
	u = r->ustack_bytes;
	if (k > STACK_BYTES || u > STACK_BYTES)
		return false;
	output_stacks(v, ctx, r, sizeof(r->e) + 8 + k + u);
	return true;
}

/*
 * tid's entry of one store, done with: its array slot freed, else its
 * hash entry deleted; task storage lives as long as the task.
 */
static __always_inline void store_put(int v, void *slots, __u32 mask,
				      void *hash, __u32 tid)
{
	if (v & IN_SLOT) {
		if (slot_put(slots, mask, tid))
			return;
	} else if (v & IN_TASK) {
		return;
	}
	bpf_map_delete_elem(hash, &tid);
}

/* The begin slot, done with, and the stack record with it. */
static __always_inline void start_put(int v, struct start *s, __u32 tid)
{
	/* Marked unused first: a slot's next owner starts from there. */
	s->ts = 0;
	if (want_stacks())
		store_put(v, &stack_slots, cfg.stack_slot_mask, &stacks, tid);
	store_put(v, &start_slots, cfg.slot_mask, &starts, tid);
}

static __always_inline int on_end(int v, void *ctx, unsigned long nr_reclaimed)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = pid_tgid;
	struct drsnoop_event *e;
	struct start *s;

	/* No begin: filtered out, or reclaim began before we attached. */
	s = start_slot(v, tid, false);
	if (!s || !s->ts)
		return 0;
	if (high_takes(s, tid, nr_reclaimed))
		goto out;
	if (want_stacks() && end_with_stacks(v, ctx, s, pid_tgid, nr_reclaimed))
		goto out;
	e = reserve_event(v);
	if (!e) {
		count_lost();
		goto out;
	}
	/*
	 * The end's time once its record has its place in the ring, which
	 * user space reads in that order: read before, two CPUs' ends could
	 * take their places in the other order than their times.
	 */
	fill_event(e, s, pid_tgid, bpf_ktime_get_ns(), nr_reclaimed);
	e->flags = s->flags;
	submit_event(v, ctx, e);
out:
	start_put(v, s, tid);
	return 0;
}

/*
 * --throttle: one mm_vmscan_throttled, fired in the task after its sleep
 * of usec_delayed, is a whole stall. The sleep is inside the task's
 * reclaim when one is open (its begin waits in the task's slot): the
 * reclaim's own stall holds it, and the throttle says so.
 */
/*
 * The tracepoint's reason argument is an enum vmscan_throttle_state; the
 * event records its bit, as user space reads it (VMSCAN_THROTTLE_*).
 */
static __always_inline __u32 reason_bit(unsigned long long reason)
{
	return reason < 32 ? 1U << reason : 0;
}

static __always_inline int on_throttle(int v, void *ctx, int usec_delayed,
				       __u32 reason)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid(), cgroup_id = 0;
	__u64 now = bpf_ktime_get_ns();
	__u64 lat = usec_delayed > 0 ? (__u64)usec_delayed * 1000 : 0;
	struct drsnoop_event *e;
	struct start *s;

	if (!stall_allowed(v, pid_tgid, &cgroup_id))
		return 0;
	if (lat > now)
		lat = now;
	e = reserve_stall(v, pid_tgid, DRSNOOP_KIND_THROTTLE, now - lat, lat);
	if (!e)
		return 0;
	e->cgroup_id = cgroup_id;
	e->reason = reason;
	e->flags = cgroup_flags(v, cgroup_id);
	s = start_slot(v, pid_tgid, false);
	if (s && s->ts) {
		e->flags |= DRSNOOP_F_NESTED;
		e->outer_kind = s->kind;
	}
	submit_event(v, ctx, e);
	return 0;
}

/*
 * The (order, gfp_flags) arguments of the begin tracepoint. Kernels before
 * 5.2 passed may_writepage in between; they predate raw_tp task storage,
 * so only CO-RE programs need to look.
 */
static __always_inline int begin_kind_args(int v, int kind,
					   unsigned long long *ctx)
{
	if ((v & CORE) &&
	    bpf_core_field_exists(
		    struct
		    trace_event_raw_mm_vmscan_direct_reclaim_begin_template___o,
		    may_writepage))
		return on_begin(v, ctx, kind, ctx[0], ctx[2]);
	return on_begin(v, ctx, kind, ctx[0], ctx[1]);
}

static __always_inline int begin_args(int v, unsigned long long *ctx)
{
	return begin_kind_args(v, DRSNOOP_KIND_DIRECT, ctx);
}

#endif /* DRSNOOP_BPF_COMMON_H */
