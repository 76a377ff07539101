/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_VMSCAN_FIELDS_H
#define DRSNOOP_VMSCAN_FIELDS_H

#include <stddef.h>
#include <stdint.h>
#include "compact_fields.h"

struct tep_event;
struct tep_format_field;
struct tep_handle;

/*
 * The two direct-reclaim tracepoints as a tep describes them, with every
 * field looked up once by name: the layout differs across kernels, so no
 * offset is assumed. The memcg and memcg soft-limit events, where the
 * file has them, share the templates of the direct ones (the same fields
 * at the same offsets): only their ids are kept, -1 when absent; so is
 * the throttle event, whose own fields are looked up too; and so are
 * direct compaction's and the memory.high handler's events
 * (compact_fields.h), decoded here as well. Used by
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
	/* vmscan:mm_vmscan_throttled, where the file has it; else -1. */
	int throttle_id;
	struct tep_format_field *usec_delayed;
	struct tep_format_field *reason;
	struct compact_fields compact;
};

enum vmscan_rec_type {
	VMSCAN_OTHER,
	VMSCAN_BEGIN,
	VMSCAN_END,
	VMSCAN_THROTTLE, /* one complete throttle, ended at the stamp */
	VMSCAN_COMPACT_TRY, /* a direct compaction attempt opens */
	VMSCAN_COMPACT_ZONE, /* a zone event of one: value, reason below */
	VMSCAN_HIGH_ENTER, /* the memory.high handler's entry */
	VMSCAN_HIGH_EXIT, /* and its return */
};

/* One raw event, decoded. */
struct vmscan_rec {
	uint32_t type; /* enum vmscan_rec_type */
	uint32_t tid;
	int32_t order; /* begin only */
	uint32_t kind; /* enum dr_kind */
	/*
	 * A throttle's VMSCAN_THROTTLE_* bits; a compaction zone event's
	 * result (mm_compaction_suitable's ret, mm_compaction_end's status,
	 * else 0)
	 */
	uint32_t reason;
	/*
	 * gfp_flags (begin, compaction try), nr_reclaimed (end), ns slept
	 * (throttle), or a compaction zone event's enum compact_zone_event
	 */
	uint64_t value;
};

/* The event of reclaim throttling, one a sleep (Linux 5.16 and later). */
#define VMSCAN_THROTTLE_EVENT "mm_vmscan_throttled"

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
