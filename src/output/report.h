/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_REPORT_H
#define DRSNOOP_REPORT_H

#include <stdio.h>
#include <sys/types.h>
#include <time.h>
#include "heatmap.h"
#include "summary.h"

struct dr_output;

/*
 * --report's HTML and --flamegraph's SVG, written at the end (and, with
 * --interval, at each interval's): live, each replaces its file
 * atomically (a temporary file renamed); a recording is read under a
 * seccomp filter that allows neither open() nor rename(), so its files
 * are opened before, by report_open(), and written in place. Nor does it
 * allow unlink(): a child started with them, the janitor, removes those
 * not written when drsnoop frees the report or exits, whatever the way.
 */

/*
 * With cgroups (--memcg, --cgroup), a row of the report's cgroup table:
 * -s's columns (has_id false, no comm) for the stalls in path, "-" for
 * those whose cgroup is not known.
 */
struct report_cgroup {
	struct summary_proc row;
	char *path;
};

/* What the janitor is told to keep: the files written. */
enum report_kept {
	REPORT_KEPT_HTML = 1,
	REPORT_KEPT_SVG = 2,
};
struct dr_report {
	struct heatmap map;
	bool map_started;
	time_t start; /* wall clock, when tracing began */
	FILE *html, *svg; /* a recording's, opened early; else NULL */
	pid_t janitor; /* with those, the janitor; else 0 */
	int janitor_fd; /* its pipe: the kept byte, or EOF */
	unsigned int kept; /* REPORT_KEPT_* of the files written */
	struct report_cgroup *cgroups; /* with cgroups; else NULL */
	size_t nr_cgroups;
};

/*
 * Before the backend opens: the state, and a recording's files.
 * Returns 0, or -1 when it said why on stderr.
 */
int report_open(struct dr_output *out);
void report_free(struct dr_output *out);

#endif /* DRSNOOP_REPORT_H */
