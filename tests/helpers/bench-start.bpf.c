// SPDX-License-Identifier: GPL-2.0
/*
 * The floor of start-up for scripts/bench: an empty raw_tp program on
 * each of the two tracepoints drsnoop's default programs use, and no
 * map, for bpf-load (linked as drsnoop is) to open, load and attach.
 * Its exec-to-ready is what getting ready there takes any BPF tool on
 * this machine at least: the exec, two programs verified and attached.
 *
 * No headers, as bench-floor.bpf.c.
 */
#define SEC(name) __attribute__((section(name), used))

SEC("raw_tp/mm_vmscan_direct_reclaim_begin")
int start_begin(void *ctx)
{
	return 0;
}

SEC("raw_tp/mm_vmscan_direct_reclaim_end")
int start_end(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
