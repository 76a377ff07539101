// SPDX-License-Identifier: GPL-2.0
/* The direct-reclaim tracepoints, decoded by field name. */
#include <stdio.h>
#include <event-parse.h>
#include "vmscan_fields.h"

#define BEGIN_EVENT "mm_vmscan_direct_reclaim_begin"
#define END_EVENT   "mm_vmscan_direct_reclaim_end"

static struct tep_event *find_event(struct tep_handle *tep, const char *name,
				    char *why, size_t len)
{
	struct tep_event *ev = tep_find_event_by_name(tep, "vmscan", name);

	if (!ev)
		snprintf(why, len, "no format for event 'vmscan:%s'", name);
	return ev;
}

/* A number field of 1, 2, 4 or 8 bytes: anything else cannot be read. */
static struct tep_format_field *
find_field(struct tep_event *ev, const char *name, char *why, size_t len)
{
	struct tep_format_field *f = tep_find_any_field(ev, name);

	if (!f) {
		snprintf(why, len, "event 'vmscan:%s' has no field '%s'",
			 ev->name, name);
		return NULL;
	}
	if (f->offset < 0 ||
	    (f->size != 1 && f->size != 2 && f->size != 4 && f->size != 8)) {
		snprintf(why, len,
			 "field '%s' of event 'vmscan:%s' is not a "
			 "number",
			 name, ev->name);
		return NULL;
	}
	return f;
}

int vmscan_fields_init(struct vmscan_fields *vf, struct tep_handle *tep,
		       char *why, size_t why_len)
{
	struct tep_event *begin, *end;

	*vf = (struct vmscan_fields){ 0 };
	begin = find_event(tep, BEGIN_EVENT, why, why_len);
	end = begin ? find_event(tep, END_EVENT, why, why_len) : NULL;
	if (!end)
		return -1;
	vf->begin_id = begin->id;
	vf->end_id = end->id;
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
	    tep_find_any_field(end, "common_pid")->offset != vf->pid->offset) {
		snprintf(why, why_len,
			 "the two vmscan events disagree on "
			 "'common_pid'");
		return -1;
	}
	return 0;
}

static bool fits(const struct tep_format_field *f, uint32_t size)
{
	return (uint32_t)f->offset + (uint32_t)f->size <= size;
}

static uint64_t number(struct tep_format_field *f, const void *data)
{
	unsigned long long v = 0;

	tep_read_number_field(f, data, &v);
	return v;
}

int vmscan_decode(const struct vmscan_fields *vf, const void *data,
		  uint32_t size, struct vmscan_rec *r)
{
	int id;

	r->type = VMSCAN_OTHER;
	if (!fits(vf->type, size) || !fits(vf->pid, size))
		return VMSCAN_OTHER;
	id = (int)number(vf->type, data);
	r->tid = number(vf->pid, data);
	if (id == vf->begin_id && fits(vf->order, size) &&
	    fits(vf->gfp_flags, size)) {
		r->type = VMSCAN_BEGIN;
		r->order = (int32_t)number(vf->order, data);
		r->value = number(vf->gfp_flags, data);
	} else if (id == vf->end_id && fits(vf->nr_reclaimed, size)) {
		r->type = VMSCAN_END;
		r->order = -1;
		r->value = number(vf->nr_reclaimed, data);
	}
	return r->type;
}
