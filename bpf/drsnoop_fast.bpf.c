// SPDX-License-Identifier: GPL-2.0
/*
 * The default programs: raw_tp, without CO-RE relocation, so that libbpf
 * loads them without reading the kernel's BTF, with begins and stack
 * records in array slots claimed atomically (built with -mcpu=v3 for the
 * compare-and-swap: 5.12 and later). They cannot read free memory (-v)
 * or cgroups; drsnoop.bpf.c's can.
 */
#define DRSNOOP_ATOMICS
#include "drsnoop.bpf.h"

SEC("raw_tp/mm_vmscan_direct_reclaim_begin")
int direct_begin_fast(unsigned long long *ctx)
{
	return begin_args(IN_SLOT, ctx);
}

SEC("raw_tp/mm_vmscan_direct_reclaim_end")
int direct_end_fast(unsigned long long *ctx)
{
	return on_end(IN_SLOT, ctx, ctx[0]);
}

/* --throttle: nid, usec_timeout, usec_delayed, reason (the enum). */
SEC("raw_tp/mm_vmscan_throttled")
int throttle_fast(unsigned long long *ctx)
{
	return on_throttle(IN_SLOT, ctx, ctx[2], reason_bit(ctx[3]));
}

char LICENSE[] SEC("license") = "GPL";
