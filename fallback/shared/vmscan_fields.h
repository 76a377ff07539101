/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_VMSCAN_FIELDS_H
#define DRSNOOP_VMSCAN_FIELDS_H

#include <stddef.h>
#include <stdint.h>

struct tep_event;
struct tep_format_field;
struct tep_handle;

/*
 * The two direct-reclaim tracepoints as a tep describes them, with every
 * field looked up once by name: the layout differs across kernels, so no
 * offset is assumed. The memcg and memcg soft-limit events, where the
 * file has them, share the templates of the direct ones (the same fields
 * at the same offsets): only their ids are kept, -1 when absent. Used by
 * ftrace_events.c (the ftrace backend and the trace.dat reader) and the
 * perf.data reader, which have loaded libtraceevent (tracelibs.h).
 */
#define VMSCAN_NR_KINDS 3 /* by enum dr_kind */

struct vmscan_fields {
	struct tep_format_field *type; /* common_type */
	struct tep_format_field *pid; /* common_pid: the thread id */
	struct tep_format_field *order;
	struct tep_format_field *gfp_flags;
	struct tep_format_field *nr_reclaimed;
	int begin_id[VMSCAN_NR_KINDS];
	int end_id[VMSCAN_NR_KINDS];
};

enum vmscan_rec_type {
	VMSCAN_OTHER,
	VMSCAN_BEGIN,
	VMSCAN_END,
};

/* One raw event, decoded. */
struct vmscan_rec {
	uint32_t type; /* enum vmscan_rec_type */
	uint32_t tid;
	int32_t order; /* begin only */
	uint32_t kind; /* enum dr_kind */
	uint64_t value; /* gfp_flags (begin) or nr_reclaimed (end) */
};

/* The begin and end events of each kind of reclaim, by enum dr_kind. */
extern const char *const vmscan_begin_events[VMSCAN_NR_KINDS];
extern const char *const vmscan_end_events[VMSCAN_NR_KINDS];

/* Returns 0, or -1 with a one-line reason in why. */
int vmscan_fields_init(struct vmscan_fields *vf, struct tep_handle *tep,
		       char *why, size_t why_len);

/*
 * Decode a raw payload of size bytes (common fields first). Returns the
 * record type; VMSCAN_OTHER for another event or a payload too short to
 * hold the fields it should have.
 */
int vmscan_decode(const struct vmscan_fields *vf, const void *data,
		  uint32_t size, struct vmscan_rec *r);

#endif /* DRSNOOP_VMSCAN_FIELDS_H */
