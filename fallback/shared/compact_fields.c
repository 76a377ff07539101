// SPDX-License-Identifier: GPL-2.0
/* Direct compaction's and memory.high's events, decoded by field name. */
#include "compact_fields.h"
#include "number_field.h"
#include "src/lib/compact.h"
#include "src/lib/event.h"
#include "src/sys/tracelibs.h"
#include "vmscan_fields.h"

const char *const compact_events[COMPACT_NR_EVENTS] = {
	[COMPACT_EV_TRY] = "mm_compaction_try_to_compact_pages",
	[COMPACT_EV_SUITABLE] = "mm_compaction_suitable",
	[COMPACT_EV_DEFERRED] = "mm_compaction_deferred",
	[COMPACT_EV_BEGIN] = "mm_compaction_begin",
	[COMPACT_EV_END] = "mm_compaction_end",
	[COMPACT_EV_DEFER_RESET] = "mm_compaction_defer_reset",
};

const char *const high_events[HIGH_NR_EVENTS] = {
	HIGH_ENTER_EVENT,
	HIGH_EXIT_EVENT,
};

/* Whether ev has a field named as f, at the same place. */
static bool same_field(struct tep_event *ev, const struct tep_format_field *f)
{
	struct tep_format_field *g = sym_tep_find_any_field(ev, f->name);

	return g && g->offset == f->offset && g->size == f->size;
}

static struct tep_event *find(struct tep_handle *tep, const char *sys,
			      const char *name,
			      const struct tep_format_field *type,
			      const struct tep_format_field *pid)
{
	struct tep_event *ev = sym_tep_find_event_by_name(tep, sys, name);

	return ev && same_field(ev, type) && same_field(ev, pid) ? ev : NULL;
}

/* A number field of ev named name, or NULL. */
static struct tep_format_field *number(struct tep_event *ev, const char *name)
{
	struct tep_format_field *f = sym_tep_find_any_field(ev, name);

	return f && number_field_valid(f, false) ? f : NULL;
}

/* The field each event needs, if any, and its id once it has it. */
static void find_compact(struct compact_fields *cf, struct tep_handle *tep,
			 const struct tep_format_field *type,
			 const struct tep_format_field *pid, int i)
{
	struct tep_event *ev =
		find(tep, COMPACT_SYSTEM, compact_events[i], type, pid);

	if (!ev)
		return;
	switch (i) {
	case COMPACT_EV_TRY:
		cf->order = number(ev, "order");
		cf->gfp_mask = number(ev, "gfp_mask");
		if (!cf->order || !cf->gfp_mask)
			return;
		break;
	case COMPACT_EV_SUITABLE:
		cf->ret = number(ev, "ret");
		if (!cf->ret)
			return;
		break;
	case COMPACT_EV_END:
		cf->status = number(ev, "status");
		if (!cf->status)
			return;
		break;
	}
	cf->id[i] = ev->id;
}

void compact_fields_init(struct compact_fields *cf, struct tep_handle *tep,
			 const struct tep_format_field *type,
			 const struct tep_format_field *pid)
{
	struct tep_event *ev;
	int i;

	*cf = (struct compact_fields){ 0 };
	for (i = 0; i < COMPACT_NR_EVENTS; i++) {
		cf->id[i] = -1;
		find_compact(cf, tep, type, pid, i);
	}
	for (i = 0; i < HIGH_NR_EVENTS; i++) {
		/* NULL: any group; a recording's is its drsnoop's pid's. */
		ev = find(tep, NULL, high_events[i], type, pid);
		cf->high_id[i] = ev ? ev->id : -1;
	}
}

static int zone_event(const struct tep_format_field *f, const void *data,
		      uint32_t size, enum compact_zone_event ev,
		      struct vmscan_rec *r)
{
	if (f && !number_field_fits(f, size))
		return VMSCAN_OTHER;
	r->type = VMSCAN_COMPACT_ZONE;
	r->value = ev;
	/* ret and status are ints: a negative one is no result. */
	r->reason = f ? (uint32_t)(int32_t)number_field_read(f, data) : 0;
	return r->type;
}

static int try_event(const struct compact_fields *cf, const void *data,
		     uint32_t size, struct vmscan_rec *r)
{
	if (!number_field_fits(cf->order, size) ||
	    !number_field_fits(cf->gfp_mask, size))
		return VMSCAN_OTHER;
	r->type = VMSCAN_COMPACT_TRY;
	r->order = (int32_t)number_field_read(cf->order, data);
	r->value = number_field_read(cf->gfp_mask, data);
	return r->type;
}

int compact_decode(const struct compact_fields *cf, int id, const void *data,
		   uint32_t size, struct vmscan_rec *r)
{
	r->order = -1;
	r->reason = 0;
	r->value = 0;
	if (id == cf->high_id[0] || id == cf->high_id[1]) {
		r->kind = DR_KIND_HIGH;
		r->type = id == cf->high_id[0] ? VMSCAN_HIGH_ENTER :
						 VMSCAN_HIGH_EXIT;
		return r->type;
	}
	r->kind = DR_KIND_COMPACT;
	if (id == cf->id[COMPACT_EV_TRY])
		return try_event(cf, data, size, r);
	if (id == cf->id[COMPACT_EV_SUITABLE])
		return zone_event(cf->ret, data, size, COMPACT_ZONE_SUITABLE,
				  r);
	if (id == cf->id[COMPACT_EV_DEFERRED])
		return zone_event(NULL, data, size, COMPACT_ZONE_DEFERRED, r);
	if (id == cf->id[COMPACT_EV_BEGIN])
		return zone_event(NULL, data, size, COMPACT_ZONE_BEGIN, r);
	if (id == cf->id[COMPACT_EV_END])
		return zone_event(cf->status, data, size, COMPACT_ZONE_END, r);
	if (id == cf->id[COMPACT_EV_DEFER_RESET])
		return zone_event(NULL, data, size, COMPACT_ZONE_DEFER_RESET,
				  r);
	return -1;
}
