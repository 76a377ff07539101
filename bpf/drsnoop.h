/* SPDX-License-Identifier: GPL-2.0 */
/* The record drsnoop.bpf.c sends to user space; shared by both sides. */
#ifndef DRSNOOP_BPF_H
#define DRSNOOP_BPF_H

#define DRSNOOP_COMM_LEN  16
#define DRSNOOP_NAME_MAX  15 /* a task name is at most 15 bytes */
#define DRSNOOP_MAX_NODES 64 /* NUMA nodes summed for free pages */
#define DRSNOOP_MAX_ZONES 8

/* Bits of drsnoop_event.flags. */
#define DRSNOOP_F_FREE (1U << 0) /* free_pages was read at begin */
#define DRSNOOP_F_GFP  (1U << 1) /* order and gfp_flags are valid */

/*
 * What user space fixes before load: the BPF side's .rodata, so filters
 * and choices are constants to the verifier, which drops the code they
 * turn off. 0 means "off" for each filter.
 */
struct drsnoop_config {
	__u32 targ_tgid;
	__u32 targ_tid;
	__u32 targ_uid;
	__u32 targ_name_len;
	__u32 nr_nodes; /* NUMA nodes to sum for free pages */
	__u8 filter_uid; /* uid 0 is a real uid */
	__u8 want_free;
	__u8 use_ringbuf;
	__u8 pad;
	char targ_name[DRSNOOP_COMM_LEN];
};

_Static_assert(sizeof(struct drsnoop_config) == 40,
	       "struct drsnoop_config must have no padding");

/* Largest fields first, so the layout has no padding on any ABI. */
struct drsnoop_event {
	__u64 begin_ns;
	__u64 lat_ns;
	__u64 nr_reclaimed;
	__u64 free_pages;
	__u64 gfp_flags;
	__u32 pid;
	__u32 tid;
	__u32 uid;
	__s32 order;
	__u32 kind;
	__u32 flags;
	char comm[DRSNOOP_COMM_LEN];
};

_Static_assert(sizeof(struct drsnoop_event) == 80,
	       "struct drsnoop_event must have no padding");

#endif /* DRSNOOP_BPF_H */
