/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_FILTER_H
#define DRSNOOP_FILTER_H

#include <stdbool.h>
#include "src/lib/event.h"
#include "options.h"

struct dr_cgroup_names;

bool filter_match(const struct dr_options *o, const struct dr_event *e);

/*
 * A throttle is nested only in a reclaim that is shown: a recording's
 * memcg reclaim, say, without --memcg is not, and its throttles are
 * stalls of their own. Clears DR_NESTED where the outer kind is hidden.
 */
void filter_nesting(const struct dr_options *o, struct dr_event *e);

/* --cgroup: whether e's task was in the cgroup or below it. */
bool filter_cgroup(const struct dr_options *o, struct dr_cgroup_names *names,
		   const struct dr_event *e);

#endif /* DRSNOOP_FILTER_H */
