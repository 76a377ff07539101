// SPDX-License-Identifier: GPL-2.0
/*
 * The floor of -K for scripts/bench: at reclaim begin, nothing but the
 * kernel stack read that drsnoop -K makes there (bpf_get_stack() of
 * DRSNOOP_STACK_MAX frames, from a raw_tp program as drsnoop's default
 * ones), into a per-CPU buffer; at reclaim end, nothing. Its bpf_stats
 * run_time_ns / run_cnt is what reading the stack costs, whoever reads
 * it: the kernel's unwinder, which -K cannot do without.
 */
#include "bpf/core_types.h"
#include <bpf/bpf_helpers.h>
#include "bpf/drsnoop.h"

struct stack {
	__u64 ips[DRSNOOP_STACK_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct stack);
} stack_buf SEC(".maps");

SEC("raw_tp/mm_vmscan_direct_reclaim_begin")
int kstack_begin(void *ctx)
{
	__u32 zero = 0;
	struct stack *s = bpf_map_lookup_elem(&stack_buf, &zero);

	if (s)
		bpf_get_stack(ctx, s->ips, sizeof(s->ips), 0);
	return 0;
}

SEC("raw_tp/mm_vmscan_direct_reclaim_end")
int kstack_end(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
