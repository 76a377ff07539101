/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_BPF_HOOKS_H
#define DRSNOOP_BPF_HOOKS_H

#include <stddef.h>
#include "bpf_load.h"

/*
 * How --compaction, --high and --throttle are traced on this kernel
 * (st->compact_hook, high_hook, high_func, no_throttle), probed by
 * attaching the smallest program that shows it: fentry, else a kprobe,
 * else, for compaction, its tracepoints. A kind that cannot be traced is
 * a note through sink->untraced() (--high, any kind with --all), else an
 * error: a negative errno with why.
 */
int bpf_hooks_choose(struct bpf_backend_state *st, struct dr_sink *sink,
		     char *why, size_t len);

/*
 * The programs of an fentry hook failed to load: move those kinds to the
 * next hook (a kprobe, else the tracepoints or untraced); true if any
 * moved, and loading is worth another try.
 */
bool bpf_hooks_fall_back(struct bpf_backend_state *st);

/* "fentry", "kprobe", "tracepoints" or "none": for --debug. */
const char *bpf_hook_name(int hook);

#endif /* DRSNOOP_BPF_HOOKS_H */
