/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The breakdown's per-CPU staging area (bench-parts.bpf.c's stage
 * variant): each CPU's records in a ring of its own, in an array that
 * bpf-load maps and reads every 100 ms, as drsnoop reads its ring buffer.
 */
#ifndef BENCH_STAGE_H
#define BENCH_STAGE_H

#include "bpf/drsnoop.h"

#define BENCH_STAGE_RECS 256 /* a power of two */

/* A CPU's: the head and the tail in cache lines of their own. */
struct bench_stage {
	__u64 head; /* records written, by the BPF side */
	__u64 pad_head[7];
	__u64 tail; /* records read, by bpf-load */
	__u64 pad_tail[7];
	struct drsnoop_event rec[BENCH_STAGE_RECS];
};

#endif /* BENCH_STAGE_H */
