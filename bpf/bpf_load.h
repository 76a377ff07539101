/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_BPF_LOAD_H
#define DRSNOOP_BPF_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>
#include "src/core/backend.h"
#include "src/lib/compact.h"
#include "drsnoop.h"

#define MAX_PROGRAMS 24

/* Who opened a tracepoint-built compaction attempt, by tid (modulo). */
#define COMPACT_WHO_SLOTS 1024

struct compact_who {
	uint64_t cgroup_id;
	uint32_t tid;
	uint32_t pid;
	uint32_t uid;
	uint32_t flags; /* DRSNOOP_F_CGROUP* */
	char comm[DRSNOOP_COMM_LEN];
};

/*
 * A counter a CPU that the BPF side adds to (its maps lost and
 * compact_background), read through a mapping of the map where the
 * kernel allows one.
 */
struct cpu_counter {
	struct bpf_map *map;
	const volatile uint64_t *mapped; /* NULL: read by lookups */
	size_t mapped_size;
	uint64_t reported; /* the sum last reported */
	bool warned; /* a lookup failed, and we said so */
};

/*
 * The BPF backend's state, shared by bpf_backend.c (its ops and the
 * events it reads) and bpf_load.c (the object loaded and attached).
 */
struct bpf_backend_state {
	struct dr_backend backend;
	const struct dr_options *o;
	struct bpf_object *obj;
	void *elf; /* obj's ELF bytes, which libbpf reads until the close */
	struct bpf_link *links[MAX_PROGRAMS];
	int nr_links;
	struct ring_buffer *rb;
	struct perf_buffer *pb;
	struct cpu_counter lost;
	int nr_cpus;
	bool ringbuf;
	uint32_t ringbuf_size;
	bool btf; /* /sys/kernel/btf/vmlinux is there: CO-RE and task storage */
	bool task_storage; /* the kernel has task storage maps (Linux 5.11) */
	int sink_err; /* the sink's refusal, which perf callbacks cannot return
		       */
	uint64_t ips[2 * DRSNOOP_STACK_MAX]; /* the event's stacks, aligned */
	/* bpf_hooks.c's choices: DRSNOOP_HOOK_* */
	int compact_hook;
	int high_hook;
	const char *high_func; /* the memory.high handler's name here */
	bool no_throttle; /* --all on a kernel without mm_vmscan_throttled */
	/* compact_hook DRSNOOP_HOOK_TRACEPOINTS: the attempts, built here */
	struct compact_tracker compact;
	struct compact_who *who;
	struct cpu_counter background;
};

/* Whether to read a ring buffer (else a perf buffer). */
bool bpf_load_want_ringbuf(void);
/* Whether the kernel has task storage maps (Linux 5.11). */
bool bpf_load_have_task_storage(void);
/* The ring buffer's size for nr_cpus CPUs and these options. */
uint32_t bpf_load_ringbuf_size(int nr_cpus, const struct dr_options *o);
/*
 * Load and attach st's programs in the first attach mode that works,
 * or the one DRSNOOP_BPF_ATTACH names; a negative errno and why if none.
 */
int bpf_load_any(struct bpf_backend_state *st, char *why, size_t len);
/*
 * The attach mode bpf_load_any() tries first for st's options and st->btf
 * (NULL: none can trace them): for the unit tests.
 */
const char *bpf_load_first_mode(const struct bpf_backend_state *st);
/* Detach and close what bpf_load_any() loaded. */
void bpf_load_unload(struct bpf_backend_state *st);

#endif /* DRSNOOP_BPF_LOAD_H */
