// SPDX-License-Identifier: GPL-2.0
/*
 * The default programs: raw_tp, begins kept in task storage, and no CO-RE
 * relocation, so that libbpf loads them without reading the kernel's BTF.
 * They cannot read free memory (-v); drsnoop.bpf.c's programs can.
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

char LICENSE[] SEC("license") = "GPL";
