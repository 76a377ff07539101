/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_FILTER_H
#define DRSNOOP_FILTER_H

#include <stdbool.h>
#include "src/lib/event.h"
#include "options.h"

struct dr_cgroup_names;

bool filter_match(const struct dr_options *o, const struct dr_event *e);

/* --cgroup: whether e's task was in the cgroup or below it. */
bool filter_cgroup(const struct dr_options *o, struct dr_cgroup_names *names,
		   const struct dr_event *e);

#endif /* DRSNOOP_FILTER_H */
