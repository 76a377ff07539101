/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_FTRACE_BACKEND_H
#define DRSNOOP_FTRACE_BACKEND_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "src/core/backend.h"
#include "fallback/shared/comm_table.h"
#include "fallback/shared/stall_trackers.h"
#include "ftrace_decode.h"
#include "src/lib/pair.h"
#include "fallback/shared/time_queue.h"
#include "trace_clock.h"

/*
 * The ftrace backend's state, shared by its files: ftrace_backend.c (the
 * ops and the flow), ftrace_instance.c (the tracefs instance),
 * ftrace_filter.c (the kernel-side filters), ftrace_cpus.c (the per-CPU
 * raw readers), ftrace_task.c (who a thread is, from /proc) and
 * ftrace_cmdlines.c (who it was, from saved_cmdlines), ftrace_probes.c
 * (the memory.high kprobes), ftrace_record.c (--record's trace.dat). Each
 * function below returns 0, or -1 with a one-line reason in why, unless
 * said otherwise.
 */

/* Who a thread was when last seen: for its last stall, if it exits at once. */
struct task_id {
	uint64_t cgroup_id;
	uint32_t tid;
	uint32_t pid;
	uint32_t uid;
	uint32_t fields;
	char comm[DR_COMM_LEN];
};

#define NR_TASK_IDS 256 /* direct-mapped by tid */

/*
 * Records read from the CPU buffers ahead of their delivery, at most. A
 * reader that falls behind empties the kernel's buffers into its queue
 * this far, which frees them to take in the burst; the rest waits there.
 * Three quarters of 65,536: what a flush leaves (a sub-buffer a CPU) fits
 * in the rest of the queue's slots, which then do not double again.
 */
#define FTRACE_READ_AHEAD 49152

struct ftrace_cpu {
	struct tracefs_cpu *tcpu;
	int fd;
	int stats_fd; /* per_cpu/cpuN/stats, read for its overrun */
	int cpu;
	uint64_t lost_counted; /* the overrun when last read */
	uint64_t last_ts; /* the last stamp read from it: losses come after */
	uint64_t read_to; /* this drain's last stamp read from it, or 0 */
	bool done; /* this drain: empty, or read past its upto */
};

struct ftrace_state {
	struct dr_backend backend;
	const struct dr_options *o;
	const char *tracing_dir; /* libtracefs's, not to be freed */
	struct tracefs_instance *inst;
	char *dir; /* the instance's directory, for messages */
	bool owns_instance;
	int owner_fd; /* its directory, flock()ed while we live, or -1 */
	struct ftrace_decoder dec;
	struct time_queue queue;
	struct dr_pairer pairer;
	struct stall_trackers trackers; /* compaction, memory.high */
	struct tracefs_dynevent *probes[HIGH_NR_EVENTS]; /* ours, or NULL */
	char probe_group[48]; /* drsnoop_<pidns>_<pid>, "" when no probes */
	/* What close() writes, beside the instance (libtracefs's strings). */
	char *close_writes[DR_BACKEND_WRITES - 1];
	struct ftrace_cpu *cpus;
	struct pollfd *pfds;
	int nr_cpus;
	void *subbuf;
	struct task_id *task_ids;
	struct comm_table cmdlines; /* saved_cmdlines, as read this drain */
	struct trace_clock clock;
	char filter[128]; /* the vmscan events' filter, "" when none */
	struct ftrace_record *record; /* --record's, or NULL */
};

/* ftrace_instance.c */
int ftrace_find_tracefs(struct ftrace_state *st, char *why, size_t len);
int ftrace_load_decoder(struct ftrace_state *st, char *why, size_t len);
/*
 * Remove the instances and probe groups of drsnoops that are gone, and
 * make ours, drsnoop-<pidns>-<pid> (ftrace_owner.h).
 */
int ftrace_claim_instance(struct ftrace_state *st, char *why, size_t len);
int ftrace_configure_instance(struct ftrace_state *st, char *why, size_t len);
int ftrace_write_file(struct ftrace_state *st, const char *file,
		      const char *value, char *why, size_t len);
int ftrace_set_clock(struct ftrace_state *st, char *why, size_t len);
/* With -K or --user-stack, stack events after each traced begin, first. */
int ftrace_enable_events(struct ftrace_state *st, char *why, size_t len);
/* Stop tracing and remove the instance, if ours; free what refers to it. */
void ftrace_destroy_instance(struct ftrace_state *st);
/*
 * The backend's writes: the instance's files (tracing_on at close), the
 * instances directory (its rmdir) and, with probes, the dynamic events
 * files that remove them. 0, or -1 with errno.
 */
int ftrace_list_writes(struct ftrace_state *st);

/* ftrace_probes.c */
/*
 * With --high, the kprobe and kretprobe on the memory.high handler, in
 * the group drsnoop_<pidns>_<pid>; where the kernel cannot have them, the sink
 * hears that the kind is untraced, and 0 is returned.
 */
int ftrace_create_probes(struct ftrace_state *st, char *why, size_t len);
/* Remove our probes (after the instance that enabled them). */
void ftrace_destroy_probes(struct ftrace_state *st);
/*
 * Probe groups of drsnoops that are gone: those whose owner has no
 * instance in the instances directory dir_fd (its stale ones removed).
 */
void ftrace_remove_stale_probes(int dir_fd);

/* ftrace_filter.c */
int ftrace_filter_events(struct ftrace_state *st, char *why, size_t len);
int ftrace_filter_process(struct ftrace_state *st, char *why, size_t len);

/* ftrace_cpus.c */
int ftrace_open_cpus(struct ftrace_state *st, char *why, size_t len);
void ftrace_close_cpus(struct ftrace_state *st);
/*
 * Hand fn(rec, st), in timestamp order, what the CPU buffers hold stamped
 * up to upto; younger records wait in the queue, or in the kernel's
 * buffers. Returns 0, -errno, or what fn returned to stop.
 */
int ftrace_drain_cpus(struct ftrace_state *st, uint64_t upto,
		      int (*fn)(const void *rec, void *ctx));
/* Events the kernel overwrote on one CPU (or dropped), so far. */
uint64_t ftrace_overrun(const struct ftrace_cpu *c);

/* ftrace_cmdlines.c */
/* The comm saved_cmdlines gives tid, or NULL; valid until the next call. */
const char *ftrace_cmdlines_comm(struct comm_table *t, uint32_t tid);
/* Forget what was read, before each drain. */
void ftrace_cmdlines_forget(struct comm_table *t);

/* ftrace_record.c: --record */
/* FILE's headers and FILE.cpuN made, when --record asks. */
int ftrace_record_open(struct ftrace_state *st, char *why, size_t len);
/* A sub-buffer read from st->cpus[i] into FILE.cpuN, N its CPU number. */
void ftrace_record_page(struct ftrace_state *st, int i, const void *page,
			int n);
/*
 * FILE written, when complete (else removed), and FILE.cpuN removed
 * either way; a failure is said on stderr.
 */
void ftrace_record_close(struct ftrace_state *st, bool complete);

/* ftrace_task.c */
void ftrace_identify_task(struct ftrace_state *st, struct dr_event *e);

#endif /* DRSNOOP_FTRACE_BACKEND_H */
