/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kernel types drsnoop.bpf.c touches, for CO-RE. libbpf relocates
 * every access against the running kernel's BTF, so only the fields used
 * are declared, and their offsets here do not matter. Committed instead of
 * a vmlinux.h dump so that the build does not depend on the build host.
 */
#ifndef DRSNOOP_CORE_TYPES_H
#define DRSNOOP_CORE_TYPES_H

typedef signed char __s8;
typedef unsigned char __u8;
typedef short __s16;
typedef unsigned short __u16;
typedef int __s32;
typedef unsigned int __u32;
typedef long long __s64;
typedef unsigned long long __u64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;
typedef _Bool bool;
typedef __u32 gfp_t;
typedef int pid_t;

#define true 1
#define false 0
#define NULL ((void *)0)

enum bpf_map_type {
	BPF_MAP_TYPE_HASH = 1,
	BPF_MAP_TYPE_ARRAY = 2,
	BPF_MAP_TYPE_PERF_EVENT_ARRAY = 4,
	BPF_MAP_TYPE_PERCPU_ARRAY = 6,
	BPF_MAP_TYPE_LRU_HASH = 9,
	BPF_MAP_TYPE_RINGBUF = 27,
	BPF_MAP_TYPE_TASK_STORAGE = 29,
};

enum {
	BPF_F_NO_PREALLOC = 1,
};

enum {
	BPF_LOCAL_STORAGE_GET_F_CREATE = 1,
};

enum {
	BPF_RB_AVAIL_DATA = 0,
};

enum {
	BPF_ANY = 0,
	BPF_NOEXIST = 1,
};

enum {
	BPF_F_CURRENT_CPU = 0xffffffffULL,
};

/* bpf_get_stack()'s flags (uapi/linux/bpf.h). */
enum {
	BPF_F_USER_STACK = 1ULL << 8,
};

enum {
	BPF_RB_NO_WAKEUP = 1,
	BPF_RB_FORCE_WAKEUP = 2,
};

#pragma clang attribute push(__attribute__((preserve_access_index)),           \
			     apply_to = record)

struct trace_entry {
	unsigned short type;
	unsigned char flags;
	unsigned char preempt_count;
	int pid;
};

/* Since 5.2 (and 2.6.36-4.7 without classzone_idx). */
struct trace_event_raw_mm_vmscan_direct_reclaim_begin_template {
	struct trace_entry ent;
	int order;
	unsigned long gfp_flags;
};

/*
 * 2.6.36-5.1: begin also carried may_writepage, ahead of gfp_flags in the
 * tracepoint's arguments. Dropped by commit 3481c37ffa1d ("mm/vmscan: drop
 * may_writepage and classzone_idx from direct reclaim begin template").
 */
struct trace_event_raw_mm_vmscan_direct_reclaim_begin_template___o {
	int may_writepage;
};

struct trace_event_raw_mm_vmscan_direct_reclaim_end_template {
	struct trace_entry ent;
	unsigned long nr_reclaimed;
};

struct trace_event_raw_mm_vmscan_throttled {
	struct trace_entry ent;
	int nid;
	int usec_timeout;
	int usec_delayed;
	int reason;
};

/*
 * The compaction events' records (include/trace/events/compaction.h),
 * the same from 4.x to 6.18; mm_compaction_begin's and _end's TP_PROTO
 * changed (commit abd4349ff9b8), their records did not.
 */
struct trace_event_raw_mm_compaction_try_to_compact_pages {
	struct trace_entry ent;
	int order;
	unsigned long gfp_mask;
	int prio;
};

struct trace_event_raw_mm_compaction_suitable_template {
	struct trace_entry ent;
	int ret;
};

struct trace_event_raw_mm_compaction_end {
	struct trace_entry ent;
	int status;
};

/*
 * kprobes' context, the registers of the machine the objects are built
 * for (the kernel's names; relocated, as every field here): where the
 * first, second and sixth arguments and the return value are.
 */
#if defined(__TARGET_ARCH_x86)
struct pt_regs {
	unsigned long di;
	unsigned long si;
	unsigned long r9;
	unsigned long ax;
};
#define KPROBE_ARG1(r) ((r)->di)
#define KPROBE_ARG2(r) ((r)->si)
#define KPROBE_ARG6(r) ((r)->r9)
#define KPROBE_RET(r)  ((r)->ax)
#elif defined(__TARGET_ARCH_arm64)
/* x0-x7 carry the arguments, x0 the return value. */
struct pt_regs {
	unsigned long regs[31];
};
#define KPROBE_ARG1(r) ((r)->regs[0])
#define KPROBE_ARG2(r) ((r)->regs[1])
#define KPROBE_ARG6(r) ((r)->regs[5])
#define KPROBE_RET(r)  ((r)->regs[0])
#else
#error "kprobes' registers are known for x86 and arm64 (make ARCH=...)"
#endif

struct bpf_ringbuf {
	unsigned long mask;
};

typedef struct {
	long counter;
} atomic_long_t;

struct zone {
	atomic_long_t vm_stat[1];
};

struct pglist_data {
	struct zone node_zones[1];
	int nr_zones;
};

struct lruvec {
	struct pglist_data *pgdat;
};

struct mem_cgroup_per_node {
	struct lruvec lruvec;
};

struct cgroup;

struct cgroup_subsys_state {
	struct cgroup *cgroup;
	struct cgroup_subsys_state *parent;
};

struct kernfs_node {
	__u64 id; /* 5.5 and later; the inode number of the directory */
};

struct cgroup {
	struct cgroup_subsys_state self;
	struct kernfs_node *kn;
};

struct mem_cgroup {
	struct cgroup_subsys_state css;
	struct mem_cgroup_per_node *nodeinfo[0];
};

struct css_set {
	struct cgroup_subsys_state *subsys[1];
	struct cgroup *dfl_cgrp;
};

struct task_struct {
	unsigned int flags; /* PF_* */
	struct css_set *cgroups;
};

#pragma clang attribute pop

enum zone_stat_item {
	NR_FREE_PAGES = 0,
};

enum cgroup_subsys_id {
	memory_cgrp_id = 0,
};

/*
 * Helpers the kernel may lack: bpf_core_enum_value_exists() asks its BTF.
 * get_current_task_btf came in 5.11.
 */
enum bpf_func_id {
	BPF_FUNC_get_current_task_btf = 158,
};

/* include/linux/compaction.h; the value is relocated. */
enum compact_result {
	COMPACT_SKIPPED = 1,
};

#endif /* DRSNOOP_CORE_TYPES_H */
