// SPDX-License-Identifier: GPL-2.0
/*
 * The floor of drsnoop --throttle for scripts/bench: an empty program on
 * vmscan:mm_vmscan_throttled, of the attach type drsnoop took there.
 * Built once per type, HOOK set by the Makefile: bench-throttle-raw_tp,
 * -tp_btf and -tracepoint.bpf.o. Apart from bench-floor.bpf.c: the event
 * is Linux 5.16's, and that floor loads on older kernels too.
 *
 * No headers, so that it builds with nothing but clang -target bpf.
 */
#define SEC(name) __attribute__((section(name), used))

SEC(HOOK)
int floor_throttle(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
