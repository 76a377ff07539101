// SPDX-License-Identifier: GPL-2.0
/*
 * The floor of drsnoop --high for scripts/bench: two empty programs on
 * the memory.high handler, of the attach type drsnoop took there. Built
 * twice, HOOK_ENTER and HOOK_EXIT set by the Makefile: "fentry" and
 * "fexit" (bench-high-fentry.bpf.o), "kprobe" and "kretprobe"
 * (bench-high-kprobe.bpf.o). No target here: the handler's name differs
 * across kernels, and bpf-load -f gives the one this kernel has.
 *
 * No headers, so that it builds with nothing but clang -target bpf.
 */
#define SEC(name) __attribute__((section(name), used))

SEC(HOOK_ENTER)
int floor_high_enter(void *ctx)
{
	return 0;
}

SEC(HOOK_EXIT)
int floor_high_exit(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
