// SPDX-License-Identifier: GPL-2.0
/*
 * Which options go together: the checks made once every option is read,
 * each a usage error naming the options that clash.
 */
#include <stdio.h>
#include <string.h>
#include "options_check.h"
#include "options_usage.h"

/*
 * A recording is always read by the file backend, and carries no uids:
 * a uid filter could only ever print nothing.
 */
static int check_input(const struct dr_options *o)
{
	if (!o->input)
		return 0;
	if (strcmp(o->backend, "auto")) {
		options_usage_error(
			"option '--backend=%s' cannot be used with -i "
			"(a recording is read by the file backend)",
			o->backend);
		return OPTIONS_USAGE;
	}
	if (o->has_uid) {
		options_usage_error("option '-u' cannot be used with -i '%s' "
				    "(recordings carry no uids)",
				    o->input);
		return OPTIONS_USAGE;
	}
	if (o->has_cgroup) {
		options_usage_error(
			"option '--cgroup' cannot be used with -i '%s' "
			"(recordings carry no cgroups)",
			o->input);
		return OPTIONS_USAGE;
	}
	if (o->interval || o->metrics) {
		options_usage_error(
			"option '%s' cannot be used with -i (it runs on "
			"the clock of live tracing)",
			o->interval ? "--interval" : "--metrics");
		return OPTIONS_USAGE;
	}
	return 0;
}

/*
 * --interval and --metrics-by qualify -s, --metrics and --report, which
 * must be there. A report holds the whole run: -s --interval's summaries
 * each start again.
 */
static int check_periodic(const struct dr_options *o)
{
	bool files = o->report || o->flamegraph;

	if (o->interval && !o->summary && !o->metrics && !files) {
		options_usage_error("option '%s' needs -s, --metrics, "
				    "--report or --flamegraph",
				    "--interval");
		return OPTIONS_USAGE;
	}
	if (o->interval && o->summary && files) {
		options_usage_error(
			"option '%s' cannot be used with -s --interval (a "
			"report holds the whole run, each summary an interval)",
			o->report ? "--report" : "--flamegraph");
		return OPTIONS_USAGE;
	}
	if (o->metrics_by_cgroup && !o->metrics) {
		options_usage_error("option '%s' needs --metrics",
				    "--metrics-by");
		return OPTIONS_USAGE;
	}
	return 0;
}

/*
 * --folded is an output of its own, printed at exit like -s's: the two
 * would mix. Without --user-stack it folds kernel stacks, and so does
 * --flamegraph.
 */
static int check_folded(struct dr_options *o)
{
	if (o->flamegraph && !o->user_stack)
		o->kernel_stack = true;
	if (!o->folded)
		return 0;
	if (o->summary) {
		options_usage_error(
			"option '%s' cannot be used with -s (each is an "
			"output of its own)",
			"--folded");
		return OPTIONS_USAGE;
	}
	if (!o->user_stack)
		o->kernel_stack = true;
	return 0;
}

/* --memcg and --cgroup: which tree, and --cgroup's id in it. */
static int check_cgroup(struct dr_options *o)
{
	char why[sizeof(o->cgroup_tree.mount) + 64], path[DR_CGROUP_PATH_MAX];
	char msg[sizeof(path) + sizeof(why) + 8];
	int err;

	if (!options_want_cgroup(o))
		return 0;
	memcpy(path, o->cgroup_path, sizeof(path));
	if (cgroup_tree_find(&o->cgroup_tree, o->has_cgroup ? path : NULL,
			     o->cgroup_path, sizeof(o->cgroup_path), why,
			     sizeof(why))) {
		options_usage_error("cannot trace cgroups: %s", why);
		return OPTIONS_USAGE;
	}
	if (!o->has_cgroup)
		return 0;
	err = cgroup_id_of(&o->cgroup_tree, o->cgroup_path, &o->cgroup_id);
	if (err) {
		/* The mount's path is data, never part of a format. */
		snprintf(why, sizeof(why), "%s in '%s'", strerror(-err),
			 o->cgroup_tree.mount);
		snprintf(msg, sizeof(msg), "'%s' (%s)", path, why);
		options_usage_error("invalid PATH: %s", msg);
		return OPTIONS_USAGE;
	}
	return 0;
}

/*
 * --record writes the raw ring-buffer pages the ftrace backend reads: the
 * BPF backend reads none, and a recording is not recorded again.
 */
static int check_record(const struct dr_options *o)
{
	if (!o->record)
		return 0;
	if (o->input) {
		options_usage_error("option '--record' cannot be used with "
				    "-i '%s' (it records live tracing)",
				    o->input);
		return OPTIONS_USAGE;
	}
	if (strcmp(o->backend, "ftrace")) {
		options_usage_error(
			"option '--record' needs '--backend=ftrace', not "
			"'%s' (only the ftrace backend reads raw events)",
			o->backend);
		return OPTIONS_USAGE;
	}
	return 0;
}

int options_check(struct dr_options *o)
{
	int ret = check_input(o);

	if (!ret)
		ret = check_record(o);

	if (!ret)
		ret = check_folded(o);
	if (!ret)
		ret = check_periodic(o);
	return ret ? ret : check_cgroup(o);
}
