/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_TRACEDAT_H
#define DRSNOOP_TRACEDAT_H

#include <stdbool.h>
#include <stdint.h>
#include "src/lib/event.h"

/*
 * The trace.dat reader's pipe, from tracedat_child.c (libtracecmd, in a
 * child process) to tracedat_reader.c (the reader's ops, in drsnoop): a
 * stream of 32-byte messages, some followed by a payload.
 */
enum td_kind {
	TD_GFP, /* one gfp flag: its name is the next message */
	TD_READY, /* the file opened: records follow */
	TD_FAIL, /* REASON_LEN bytes of reason follow */
	TD_RECORD,
	TD_COMM, /* the comm of tid, for its records that follow */
	TD_LOST,
	TD_DONE,
	TD_STACK, /* value frames of the begin at ts follow, 4 a message */
	TD_KSYM, /* a symbol at ts: value bytes of its name follow */
};

/* One message from the child. */
struct td_msg {
	uint64_t ts;
	uint32_t kind; /* enum td_kind */
	uint32_t tid;
	union {
		struct {
			/*
			 * gfp_flags, nr_reclaimed, ns throttled, lost, a
			 * compaction zone event (as vmscan_rec's)
			 */
			uint64_t value;
			union {
				int32_t order; /* a begin's, a try's */
				/* a throttle's, a compaction zone event's */
				uint32_t reason;
			};
			uint16_t type; /* enum vmscan_rec_type */
			uint16_t rec_kind; /* enum dr_kind, pair_stack_kind */
		};
		/* TD_COMM: from the saved cmdlines, or "" */
		char comm[DR_COMM_LEN];
	};
};

#define BATCH	      2048 /* messages per write */
#define REASON_LEN    256
#define COMM_SLOTS    4096 /* the comm cache: by tid, direct-mapped */
#define KSYM_NAME_MAX 512 /* the kernel's KSYM_NAME_LEN */

/*
 * The child's work: open path with libtracecmd (inside the sandbox when
 * sandbox is set), send the gfp names, TD_READY (or TD_FAIL and why), then
 * every record and TD_DONE down fd; with want_stack[kind], the stacks of
 * that kind too. It returns, all freed: the fuzz targets run it in-process.
 */
void tracedat_child_run(int fd, const char *path, bool debug,
			const bool *want_stack, bool sandbox);
/* The child's life: its crashes contained, tracedat_child_run(), exit. */
_Noreturn void tracedat_child_main(int fd, const char *path, bool debug,
				   const bool *want_stack, bool sandbox);

#endif /* DRSNOOP_TRACEDAT_H */
