// SPDX-License-Identifier: GPL-2.0
/* The direct-reclaim tracepoints, decoded by field name. */
#include <stdio.h>
#include "number_field.h"
#include "src/lib/event.h"
#include "src/sys/tracelibs.h"
#include "vmscan_fields.h"

const char *const vmscan_begin_events[VMSCAN_NR_KINDS] = {
	"mm_vmscan_direct_reclaim_begin",
	"mm_vmscan_memcg_reclaim_begin",
	"mm_vmscan_memcg_softlimit_reclaim_begin",
};

const char *const vmscan_end_events[VMSCAN_NR_KINDS] = {
	"mm_vmscan_direct_reclaim_end",
	"mm_vmscan_memcg_reclaim_end",
	"mm_vmscan_memcg_softlimit_reclaim_end",
};

static struct tep_event *find_event(struct tep_handle *tep, const char *name,
				    char *why, size_t len)
{
	struct tep_event *ev = sym_tep_find_event_by_name(tep, "vmscan", name);

	if (!ev)
		snprintf(why, len, "no format for event 'vmscan:%s'", name);
	return ev;
}

/* A number field: anything else cannot be read. */
static struct tep_format_field *
find_field(struct tep_event *ev, const char *name, char *why, size_t len)
{
	struct tep_format_field *f = sym_tep_find_any_field(ev, name);

	if (!f) {
		snprintf(why, len, "event 'vmscan:%s' has no field '%s'",
			 ev->name, name);
		return NULL;
	}
	if (!number_field_valid(f, false)) {
		snprintf(why, len,
			 "field '%s' of event 'vmscan:%s' is not a "
			 "number",
			 name, ev->name);
		return NULL;
	}
	return f;
}

/* Whether ev has field f of the direct event, at the same place. */
static bool same_field(struct tep_event *ev, const struct tep_format_field *f)
{
	struct tep_format_field *g = sym_tep_find_any_field(ev, f->name);

	return g && g->offset == f->offset && g->size == f->size;
}

/* A memcg kind: both events there, laid out as the direct ones. */
static void find_kind(struct vmscan_fields *vf, struct tep_handle *tep,
		      int kind)
{
	struct tep_event *begin, *end;

	begin = sym_tep_find_event_by_name(tep, "vmscan",
					   vmscan_begin_events[kind]);
	end = sym_tep_find_event_by_name(tep, "vmscan",
					 vmscan_end_events[kind]);
	if (!begin || !end || !same_field(begin, vf->type) ||
	    !same_field(begin, vf->pid) || !same_field(begin, vf->order) ||
	    !same_field(begin, vf->gfp_flags) || !same_field(end, vf->pid) ||
	    !same_field(end, vf->nr_reclaimed))
		return;
	vf->begin_id[kind] = begin->id;
	vf->end_id[kind] = end->id;
}

/* The throttle event, if tep has it with its fields where they belong. */
static void find_throttle(struct vmscan_fields *vf, struct tep_handle *tep)
{
	struct tep_event *ev;
	struct tep_format_field *delayed, *reason;

	ev = sym_tep_find_event_by_name(tep, "vmscan", VMSCAN_THROTTLE_EVENT);
	if (!ev || !same_field(ev, vf->type) || !same_field(ev, vf->pid))
		return;
	delayed = sym_tep_find_any_field(ev, "usec_delayed");
	reason = sym_tep_find_any_field(ev, "reason");
	if (!delayed || !reason || !number_field_valid(delayed, false) ||
	    !number_field_valid(reason, false))
		return;
	vf->throttle_id = ev->id;
	vf->usec_delayed = delayed;
	vf->reason = reason;
}

int vmscan_fields_init(struct vmscan_fields *vf, struct tep_handle *tep,
		       char *why, size_t why_len)
{
	struct tep_event *begin, *end;
	int kind;

	*vf = (struct vmscan_fields){ .throttle_id = -1 };
	for (kind = 0; kind < VMSCAN_NR_KINDS; kind++)
		vf->begin_id[kind] = vf->end_id[kind] = -1;
	begin = find_event(tep, vmscan_begin_events[0], why, why_len);
	end = begin ? find_event(tep, vmscan_end_events[0], why, why_len) :
		      NULL;
	if (!end)
		return -1;
	vf->begin_id[0] = begin->id;
	vf->end_id[0] = end->id;
	vf->type = find_field(begin, "common_type", why, why_len);
	vf->pid = find_field(begin, "common_pid", why, why_len);
	vf->order = find_field(begin, "order", why, why_len);
	vf->gfp_flags = find_field(begin, "gfp_flags", why, why_len);
	vf->nr_reclaimed = find_field(end, "nr_reclaimed", why, why_len);
	if (!vf->type || !vf->pid || !vf->order || !vf->gfp_flags ||
	    !vf->nr_reclaimed)
		return -1;
	/* The common fields are shared: check end's are where begin's are. */
	if (!find_field(end, "common_pid", why, why_len) ||
	    sym_tep_find_any_field(end, "common_pid")->offset !=
		    vf->pid->offset) {
		snprintf(why, why_len,
			 "the two vmscan events disagree on "
			 "'common_pid'");
		return -1;
	}
	for (kind = 1; kind < VMSCAN_NR_KINDS; kind++)
		find_kind(vf, tep, kind);
	find_throttle(vf, tep);
	compact_fields_init(&vf->compact, tep, vf->type, vf->pid);
	return 0;
}

/* usec_delayed is an int: a negative one (never seen) reads as 0. */
static int decode_throttle(const struct vmscan_fields *vf, const void *data,
			   uint32_t size, struct vmscan_rec *r)
{
	int64_t usec;

	if (!number_field_fits(vf->usec_delayed, size) ||
	    !number_field_fits(vf->reason, size))
		return VMSCAN_OTHER;
	usec = (int32_t)number_field_read(vf->usec_delayed, data);
	r->type = VMSCAN_THROTTLE;
	r->kind = DR_KIND_THROTTLE;
	r->order = -1;
	r->reason = (uint32_t)number_field_read(vf->reason, data);
	r->value = usec > 0 ? (uint64_t)usec * 1000 : 0;
	return r->type;
}

int vmscan_decode(const struct vmscan_fields *vf, const void *data,
		  uint32_t size, struct vmscan_rec *r)
{
	int id, kind, type;

	r->type = VMSCAN_OTHER;
	if (!number_field_fits(vf->type, size) ||
	    !number_field_fits(vf->pid, size))
		return VMSCAN_OTHER;
	id = (int)number_field_read(vf->type, data);
	r->tid = number_field_read(vf->pid, data);
	if (id == vf->throttle_id)
		return decode_throttle(vf, data, size, r);
	type = compact_decode(&vf->compact, id, data, size, r);
	if (type >= 0)
		return type;
	for (kind = 0; kind < VMSCAN_NR_KINDS; kind++) {
		r->kind = kind;
		if (id == vf->begin_id[kind] &&
		    number_field_fits(vf->order, size) &&
		    number_field_fits(vf->gfp_flags, size)) {
			r->type = VMSCAN_BEGIN;
			r->order = (int32_t)number_field_read(vf->order, data);
			r->value = number_field_read(vf->gfp_flags, data);
			break;
		}
		if (id == vf->end_id[kind] &&
		    number_field_fits(vf->nr_reclaimed, size)) {
			r->type = VMSCAN_END;
			r->order = -1;
			r->value = number_field_read(vf->nr_reclaimed, data);
			break;
		}
	}
	return r->type;
}
