// SPDX-License-Identifier: GPL-2.0
/*
 * The floor for scripts/bench: two empty programs on the tracepoints
 * drsnoop uses, attached the way drsnoop attaches them (tp_btf). Their
 * bpf_stats run_time_ns / run_cnt is what any program there costs at
 * least: the dispatch, the stats bookkeeping, the return. Two more on the
 * compaction zone events, classic tracepoints as drsnoop --compaction
 * attaches them where the kernel has no fentry or kprobes: the floor of
 * what a zone compaction outside any attempt (kcompactd's) costs.
 *
 * No headers, so that it builds with nothing but clang -target bpf.
 */
#define SEC(name) __attribute__((section(name), used))

SEC("tp_btf/mm_vmscan_direct_reclaim_begin")
int floor_begin(void *ctx)
{
	return 0;
}

SEC("tp_btf/mm_vmscan_direct_reclaim_end")
int floor_end(void *ctx)
{
	return 0;
}

SEC("tracepoint/compaction/mm_compaction_begin")
int floor_zone_begin(void *ctx)
{
	return 1;
}

SEC("tracepoint/compaction/mm_compaction_end")
int floor_zone_end(void *ctx)
{
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
