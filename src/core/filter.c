// SPDX-License-Identifier: GPL-2.0
/*
 * The -p, -t, -u, -n and --cgroup filters, memcg reclaim only with
 * --memcg and throttling only with --throttle, applied to every event
 * whatever its source. Backends that filter in the kernel as well lose
 * nothing by the second look; those that cannot rely on this one. A field
 * the event does not know never matches a filter on it.
 */
#include <string.h>
#include "src/sys/cgroup.h"
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
	if (e->kind >= DR_NR_KINDS ||
	    !(options_kinds(o) & DR_KIND_BIT(e->kind)))
		return false;
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

void filter_nesting(const struct dr_options *o, struct dr_event *e)
{
	if (dr_event_has(e, DR_NESTED) &&
	    (e->outer_kind >= DR_NR_KINDS ||
	     !(options_kinds(o) & DR_KIND_BIT(e->outer_kind))))
		e->fields &= ~DR_NESTED;
}

/*
 * A cgroup removed since the stall has no path any more: the stall passes
 * only if the kernel already checked it.
 */
bool filter_cgroup(const struct dr_options *o, struct dr_cgroup_names *names,
		   const struct dr_event *e)
{
	const char *path;

	if (!o->has_cgroup)
		return true;
	if (!dr_event_has(e, DR_HAS_CGROUP))
		return false;
	path = cgroup_names_get(names, e->cgroup_id);
	if (!path)
		return dr_event_has(e, DR_CGROUP_CHECKED);
	return cgroup_path_under(path, o->cgroup_path);
}
