/* SPDX-License-Identifier: GPL-2.0 */
/* The record drsnoop.bpf.c sends to user space; shared by both sides. */
#ifndef DRSNOOP_BPF_H
#define DRSNOOP_BPF_H

#define DRSNOOP_COMM_LEN  16
#define DRSNOOP_NAME_MAX  15 /* a task name is at most 15 bytes */
#define DRSNOOP_MAX_NODES 64 /* NUMA nodes summed for free pages */
#define DRSNOOP_MAX_ZONES 8

/*
 * The ring buffer's smallest size, and its size in the BPF object:
 * bpf_backend.c sizes it by the number of CPUs before loading.
 */
#define DRSNOOP_RINGBUF_MIN_SIZE (64 * 1024)

/* Bits of drsnoop_event.flags. */
#define DRSNOOP_F_FREE		 (1U << 0) /* free_pages was read at begin */
#define DRSNOOP_F_GFP		 (1U << 1) /* order and gfp_flags are valid */
#define DRSNOOP_F_CGROUP	 (1U << 2) /* cgroup_id is the task's cgroup */
#define DRSNOOP_F_CGROUP_CHECKED (1U << 3) /* targ_cgroup was applied */
#define DRSNOOP_F_KSTACK	 (1U << 4) /* a drsnoop_stack_event's kernel stack */
#define DRSNOOP_F_USTACK	 (1U << 5) /* and its user stack */
#define DRSNOOP_F_NESTED	 (1U << 6) /* a throttle in outer_kind's reclaim */
#define DRSNOOP_F_OUTCOME	 (1U << 7) /* compact: F_GOT_PAGE is known */
#define DRSNOOP_F_GOT_PAGE	 (1U << 8) /* compact: the page was got */

#define DRSNOOP_STACK_MAX 127 /* frames of each stack, as DR_STACK_MAX */

/* drsnoop_event.kind: which reclaim, as enum dr_kind in user space. */
#define DRSNOOP_KIND_DIRECT    0
#define DRSNOOP_KIND_MEMCG     1
#define DRSNOOP_KIND_SOFTLIMIT 2
#define DRSNOOP_KIND_THROTTLE  3 /* one mm_vmscan_throttled: a sleep */
#define DRSNOOP_KIND_COMPACT   4 /* a whole direct compaction attempt */
#define DRSNOOP_KIND_HIGH      5 /* a memory.high penalty */

/*
 * Records that are not stalls, for user space's compact_tracker where the
 * kernel gives no end of a compaction attempt (compact_mode
 * DRSNOOP_COMPACT_TRACEPOINTS). TRY opens tid's attempt (pid, uid, comm,
 * order, gfp_flags, cgroup_id as a stall's); ZONE is a zone event of a
 * task with an open attempt (order: DRSNOOP_ZONE_*, reason: its result);
 * CLOSE says the task began a reclaim. begin_ns is the event's time.
 */
#define DRSNOOP_REC_COMPACT_TRY	  16
#define DRSNOOP_REC_COMPACT_ZONE  17
#define DRSNOOP_REC_COMPACT_CLOSE 18

#define DRSNOOP_ZONE_SUITABLE	 0 /* mm_compaction_suitable: reason is ret */
#define DRSNOOP_ZONE_DEFERRED	 1 /* mm_compaction_deferred */
#define DRSNOOP_ZONE_BEGIN	 2 /* mm_compaction_begin */
#define DRSNOOP_ZONE_END	 3 /* mm_compaction_end: reason is status */
#define DRSNOOP_ZONE_DEFER_RESET 4 /* mm_compaction_defer_reset: a success */

/* drsnoop_config.compact_mode and .high_mode: how they are traced. */
#define DRSNOOP_HOOK_NONE	 0
#define DRSNOOP_HOOK_FENTRY	 1 /* fentry and fexit */
#define DRSNOOP_HOOK_KPROBE	 2 /* kprobe and kretprobe */
#define DRSNOOP_HOOK_TRACEPOINTS 3 /* compaction: the tracepoints only */

/* A tracepoint-built attempt is over once its task is this quiet. */
#define DRSNOOP_COMPACT_QUIET_NS 1000000000ull
#define DRSNOOP_MAX_CGROUP_DEPTH 32 /* ancestors walked for targ_cgroup */
/*
 * The default programs' begin slots, a power of two (drsnoop.bpf.h);
 * DRSNOOP_BPF_SLOTS in drsnoop's environment sets another for tests.
 */
#define DRSNOOP_START_SLOTS 4096
#define DRSNOOP_STACK_SLOTS 256 /* of 2 KiB records, for -K, --user-stack */

/*
 * What user space fixes before load: the BPF side's .rodata, so filters
 * and choices are constants to the verifier, which drops the code they
 * turn off. 0 means "off" for each filter.
 */
struct drsnoop_config {
	__u64 targ_cgroup; /* a cgroup id, with filter_cgroup */
	__u32 targ_tgid;
	__u32 targ_tid;
	__u32 targ_uid;
	__u32 targ_name_len;
	__u32 nr_nodes; /* NUMA nodes to sum for free pages */
	__u8 filter_uid; /* uid 0 is a real uid */
	__u8 want_free;
	__u8 use_ringbuf;
	__u8 want_cgroup; /* cgroup_id of each stall (CO-RE programs) */
	__u8 cgroup_v1; /* the v1 memory controller's tree, not cgroup2's */
	__u8 filter_cgroup; /* only targ_cgroup and below */
	__u8 want_kstack; /* -K: the kernel stack at begin */
	__u8 want_ustack; /* --user-stack: the user stack at begin */
	__u32 wakeup_bytes; /* unread ring bytes that wake the reader */
	__u8 compact_mode; /* --compaction: DRSNOOP_HOOK_*, or NONE */
	__u8 high_mode; /* --high: DRSNOOP_HOOK_FENTRY, _KPROBE or NONE */
	__u8 want_memcg; /* send memcg reclaims (else only feed high_mode) */
	__u8 want_uid; /* each stall's uid: for -U, -j and -u only */
	char targ_name[DRSNOOP_COMM_LEN];
	__u32 slot_mask; /* a tid's begin slot: tid & slot_mask */
	__u32 stack_slot_mask; /* its stack record's: tid & stack_slot_mask */
	__u32 pad;
};

_Static_assert(sizeof(struct drsnoop_config) == 72,
	       "struct drsnoop_config must have no padding");

/* Largest fields first, so the layout has no padding on any ABI. */
struct drsnoop_event {
	__u64 begin_ns;
	__u64 lat_ns;
	__u64 nr_reclaimed;
	__u64 free_pages;
	__u64 gfp_flags;
	__u64 cgroup_id;
	__u32 pid;
	__u32 tid;
	__u32 uid;
	__s32 order;
	__u32 kind;
	__u32 flags;
	__u32 reason; /* a throttle's VMSCAN_THROTTLE_* bits; a compaction
		       * attempt's enum compact_result */
	__u32 outer_kind; /* with DRSNOOP_F_NESTED */
	char comm[DRSNOOP_COMM_LEN];
};

_Static_assert(sizeof(struct drsnoop_event) == 96,
	       "struct drsnoop_event must have no padding");

/*
 * With -K or --user-stack, each stall is one of these instead, and only
 * its first sizeof(e) + 8 + kstack_bytes + ustack_bytes bytes are sent:
 * the kernel frames, then the user frames right after them, innermost
 * first. The stacks are read at begin into the task's own record (not a
 * stack map, whose hash of a stack can collide with another's and so pin
 * one stall's stack on another) and sent with the end.
 */
struct drsnoop_stack_event {
	struct drsnoop_event e;
	__u32 kstack_bytes;
	__u32 ustack_bytes;
	__u64 ips[2 * DRSNOOP_STACK_MAX];
};

_Static_assert(sizeof(struct drsnoop_stack_event) == 96 + 8 + 2032,
	       "struct drsnoop_stack_event must have no padding");

#endif /* DRSNOOP_BPF_H */
