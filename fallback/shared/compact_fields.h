/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_COMPACT_FIELDS_H
#define DRSNOOP_COMPACT_FIELDS_H

#include <stdint.h>

struct tep_format_field;
struct tep_handle;
struct vmscan_rec;

/*
 * The events of direct compaction (the compaction system's tracepoints)
 * and of the memory.high handler (the kprobe and kretprobe events the
 * ftrace backend creates), as a tep describes them, every field looked up
 * by name: mm_compaction_begin's arguments changed in Linux 6.x
 * (abd4349ff9b8) and its fields kept their names, so no offset is
 * assumed. An event that is absent, or lacks a field drsnoop reads, keeps
 * the id -1 and is never decoded. Decoded into the vmscan_rec of
 * vmscan_fields.h, by vmscan_decode().
 */
enum compact_event {
	COMPACT_EV_TRY, /* mm_compaction_try_to_compact_pages */
	COMPACT_EV_SUITABLE,
	COMPACT_EV_DEFERRED,
	COMPACT_EV_BEGIN,
	COMPACT_EV_END,
	COMPACT_EV_DEFER_RESET, /* a zone's success: see src/lib/compact.h */
	COMPACT_NR_EVENTS,
};

#define COMPACT_SYSTEM "compaction"

/* The handler's entry and return: any group (drsnoop_<pid>), these names. */
#define HIGH_ENTER_EVENT "drsnoop_high_enter"
#define HIGH_EXIT_EVENT	 "drsnoop_high_exit"
#define HIGH_NR_EVENTS	 2

extern const char *const compact_events[COMPACT_NR_EVENTS];
extern const char *const high_events[HIGH_NR_EVENTS];

struct compact_fields {
	int id[COMPACT_NR_EVENTS]; /* -1: not in the tep */
	struct tep_format_field *order; /* try's */
	struct tep_format_field *gfp_mask; /* try's */
	struct tep_format_field *ret; /* suitable's */
	struct tep_format_field *status; /* end's */
	int high_id[HIGH_NR_EVENTS]; /* entry, return; -1: not in the tep */
};

/*
 * Find the events in tep whose common fields type and pid lie where the
 * vmscan events have them.
 */
void compact_fields_init(struct compact_fields *cf, struct tep_handle *tep,
			 const struct tep_format_field *type,
			 const struct tep_format_field *pid);

/*
 * The payload of event id (size bytes), whose tid is in r already:
 * decoded into r, returning its enum vmscan_rec_type (VMSCAN_OTHER when
 * too short), or -1 when id is none of these events.
 */
int compact_decode(const struct compact_fields *cf, int id, const void *data,
		   uint32_t size, struct vmscan_rec *r);

#endif /* DRSNOOP_COMPACT_FIELDS_H */
