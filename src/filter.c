// SPDX-License-Identifier: GPL-2.0
/*
 * The -p, -t, -u and -n filters, applied to every event whatever its
 * source. Backends that filter in the kernel as well lose nothing by the
 * second look; those that cannot rely on this one. A field the event does
 * not know never matches a filter on it.
 */
#include <string.h>
#include "filter.h"

static bool comm_contains(const struct dr_event *e, const char *name)
{
	char comm[DR_COMM_LEN + 1];

	memcpy(comm, e->comm, DR_COMM_LEN);
	comm[DR_COMM_LEN] = '\0';
	return strstr(comm, name) != NULL;
}

bool filter_match(const struct dr_options *o, const struct dr_event *e)
{
	if (o->has_pid && (!dr_event_has(e, DR_HAS_PID) || e->pid != o->pid))
		return false;
	if (o->has_tid && e->tid != o->tid)
		return false;
	if (o->has_uid && (!dr_event_has(e, DR_HAS_UID) || e->uid != o->uid))
		return false;
	if (o->name[0] &&
	    (!dr_event_has(e, DR_HAS_COMM) || !comm_contains(e, o->name)))
		return false;
	return true;
}
