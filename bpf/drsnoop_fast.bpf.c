// SPDX-License-Identifier: GPL-2.0
/*
 * The programs without CO-RE relocation, so that libbpf loads them
 * without reading the kernel's BTF: the default ones (raw_tp, begins kept
 * in task storage), and for kernels that have no BTF at all, the same
 * with begins in a hash by tid (task storage takes the task from
 * bpf_get_current_task_btf(), which the verifier types from that BTF).
 * They cannot read free memory (-v) or cgroups; drsnoop.bpf.c's can.
 */
#include "drsnoop.bpf.h"

SEC("raw_tp/mm_vmscan_direct_reclaim_begin")
int direct_begin_fast(unsigned long long *ctx)
{
	return begin_args(IN_TASK, ctx);
}

SEC("raw_tp/mm_vmscan_direct_reclaim_end")
int direct_end_fast(unsigned long long *ctx)
{
	return on_end(IN_TASK, ctx, ctx[0]);
}

/* --throttle: nid, usec_timeout, usec_delayed, reason (the enum). */
SEC("raw_tp/mm_vmscan_throttled")
int throttle_fast(unsigned long long *ctx)
{
	return on_throttle(IN_TASK, ctx, ctx[2], reason_bit(ctx[3]));
}

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

SEC("raw_tp/mm_vmscan_throttled")
int throttle_nobtf(unsigned long long *ctx)
{
	return on_throttle(0, ctx, ctx[2], reason_bit(ctx[3]));
}

char LICENSE[] SEC("license") = "GPL";
