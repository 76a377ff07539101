// SPDX-License-Identifier: GPL-2.0
/*
 * For kernels that have no BTF at all: drsnoop_fast.bpf.c's programs with
 * begins and stacks in hashes by tid (task storage takes the task from
 * bpf_get_current_task_btf(), which the verifier types from that BTF),
 * built for every BPF instruction set back to 4.17's raw tracepoints.
 */
#include "drsnoop.bpf.h"

SEC("raw_tp/mm_vmscan_direct_reclaim_begin")
int direct_begin_nobtf(unsigned long long *ctx)
{
	return begin_args(0, ctx);
}

SEC("raw_tp/mm_vmscan_direct_reclaim_end")
int direct_end_nobtf(unsigned long long *ctx)
{
	return on_end(0, ctx, ctx[0]);
}

/* --throttle: nid, usec_timeout, usec_delayed, reason (the enum). */
SEC("raw_tp/mm_vmscan_throttled")
int throttle_nobtf(unsigned long long *ctx)
{
	return on_throttle(0, ctx, ctx[2], reason_bit(ctx[3]));
}

char LICENSE[] SEC("license") = "GPL";
