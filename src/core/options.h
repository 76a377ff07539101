/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_OPTIONS_H
#define DRSNOOP_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "src/sys/cgroup.h"
#include "src/lib/event.h"

/* What the command line asked for. Filters are off unless their has_ is set. */
struct dr_options {
	uint32_t pid;
	uint32_t tid;
	uint32_t uid;
	bool has_pid;
	bool has_tid;
	bool has_uid;
	char name[DR_COMM_LEN]; /* -n substring; empty when off */
	unsigned int duration; /* seconds; 0 traces until interrupted */
	bool timestamp; /* -T */
	bool print_uid; /* -U */
	bool free_mem; /* -v / -e: FREE(KB) */
	bool debug; /* --debug: library diagnostics */
	const char *backend; /* --backend; "auto" by default */
	const char *input; /* -i: a recording to read instead of tracing */
	bool memcg; /* --memcg: memcg reclaim too; KIND and CGROUP columns */
	bool throttle; /* --throttle: throttling too; KIND and REASON */
	bool compaction; /* --compaction: direct compaction; KIND, REASON */
	bool high; /* --high: memory.high penalties; KIND */
	/*
	 * --all: every kind above; one the kernel cannot show is a note on
	 * stderr, not an error.
	 */
	bool all;
	bool summary; /* -s: per-process table and histogram at exit */
	bool lines; /* --lines: lines even with -s, --folded, --metrics */
	unsigned int interval; /* --interval seconds; 0 when not given */
	const char *metrics; /* --metrics FILE */
	bool metrics_by_cgroup; /* --metrics-by=cgroup */
	bool json; /* -j: NDJSON */
	bool gfp; /* -g: ORDER and GFP columns */
	bool kernel_stack; /* -K: each stall's kernel stack */
	bool user_stack; /* --user-stack: each stall's user stack */
	bool folded; /* --folded: folded stacks at exit, for flame graphs */
	const char *report; /* --report FILE: the HTML report */
	const char *flamegraph; /* --flamegraph FILE: the SVG flame graph */
	const char *record; /* --record FILE: the raw events, a trace.dat */
	int argc; /* the command line, for --report's header */
	char **argv;
	bool has_cgroup; /* --cgroup: only stalls in cgroup_path or below */
	uint64_t cgroup_id; /* --cgroup's id in cgroup_tree */
	char cgroup_path[DR_CGROUP_PATH_MAX]; /* relative to the tree */
	struct dr_cgroup_tree cgroup_tree; /* set with --memcg or --cgroup */
	bool sandbox; /* read -i's file under seccomp (main() sets it) */
};

/* Whether stalls need their task's cgroup. */
static inline bool options_want_cgroup(const struct dr_options *o)
{
	return (o->memcg || o->has_cgroup || o->metrics_by_cgroup) && !o->input;
}

/* Whether stalls need their task's uid: -U prints it, -j and -u use it. */
static inline bool options_want_uid(const struct dr_options *o)
{
	return o->print_uid || o->json || o->has_uid;
}

/*
 * Whether each stall prints a line without --lines: not when -s,
 * --folded, --metrics, --report or --flamegraph is what was asked for.
 */
static inline bool options_lines_by_default(const struct dr_options *o)
{
	return !o->summary && !o->folded && !o->metrics && !o->report &&
	       !o->flamegraph;
}

/* The kinds of stall traced, as a set of DR_KIND_BIT()s. */
static inline unsigned int options_kinds(const struct dr_options *o)
{
	unsigned int kinds = DR_KIND_BIT(DR_KIND_DIRECT);

	if (o->memcg)
		kinds |= DR_KIND_BIT(DR_KIND_MEMCG) |
			 DR_KIND_BIT(DR_KIND_MEMCG_SOFTLIMIT);
	if (o->throttle)
		kinds |= DR_KIND_BIT(DR_KIND_THROTTLE);
	if (o->compaction)
		kinds |= DR_KIND_BIT(DR_KIND_COMPACT);
	if (o->high)
		kinds |= DR_KIND_BIT(DR_KIND_HIGH);
	return kinds;
}

/* options_parse() results besides 0 (trace). */
enum {
	OPTIONS_EXIT = 1, /* --help or --version was printed */
	OPTIONS_USAGE = -1, /* a usage error was printed */
};

int options_parse(struct dr_options *o, int argc, char **argv);
void options_help(FILE *f);

#endif /* DRSNOOP_OPTIONS_H */
