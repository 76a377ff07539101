/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_OUTPUT_H
#define DRSNOOP_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "src/core/backend.h"
#include "src/sys/cgroup.h"
#include "src/lib/event.h"
#include "src/sys/gfp.h"
#include "src/core/options.h"
#include "src/symbols/stack_table.h"
#include "src/symbols/stacks.h"
#include "report.h"
#include "summary.h"

struct dr_output;

/*
 * An output mode, by name: "text" (bcc drsnoop's lines), "json" (a JSON
 * object per line) and "summary" (-s: totals at exit, as text or, with
 * -j, one JSON object), "folded" (--folded: a line per distinct stack
 * at exit) and "report" (--report's HTML, --flamegraph's SVG: files at
 * exit). Per-stall lines come from text or json; with -s, --folded,
 * --metrics, --report or --flamegraph they are off unless --lines asks
 * for them.
 */
struct dr_output_mode {
	const char *name;
	int (*header)(struct dr_output *out);
	int (*event)(struct dr_output *out, const struct dr_event *e);
	int (*finish)(struct dr_output *out);
	int (*interval)(struct dr_output *out); /* -s --interval: rollover */
	/* --report, --flamegraph with --interval: the files, so far */
	int (*refresh)(struct dr_output *out);
};

#define DR_OUTPUT_MODES 3

struct dr_output {
	FILE *f;
	const struct dr_options *o;
	unsigned int page_kb; /* KiB per page, for FREE(KB) */
	uint64_t first_us; /* TIME(s) zero: the first stall's end */
	bool started;
	bool batch; /* a recording: stdio buffering, no flush per line */
	unsigned int summaries; /* printed so far (one per interval) */
	const struct dr_output_mode *modes[DR_OUTPUT_MODES];
	unsigned int nr_modes;
	struct gfp_names gfp; /* empty: GFP prints as hex */
	struct dr_cgroup_names cgroups;
	struct dr_summary summary;
	struct dr_stacks stacks; /* -K, --user-stack */
	const struct dr_frames *frames; /* the current event's, or NULL */
	struct stack_table folded; /* --folded */
	struct dr_frames
		*fold; /* --folded's scratch: frames as it names them */
	const char *backend; /* tracing live: its name */
	/* And how it attached: the backend's attach, which closes first. */
	char attach[DR_ATTACH_LEN];
	struct dr_report *report; /* --report, --flamegraph */
};

const struct dr_output_mode *output_mode_find(const char *name);

void output_init(struct dr_output *out, FILE *f, const struct dr_options *o,
		 unsigned int page_kb);
int output_header(struct dr_output *out);
int output_event(struct dr_output *out, const struct dr_event *e);
/* The end of an interval: the summary so far, then a new one. */
int output_interval(struct dr_output *out);
/* --interval without -s: what the files hold so far (--report). */
int output_refresh(struct dr_output *out);
/* At exit: what the modes print last (the summary). */
int output_finish(struct dr_output *out);
void output_free(struct dr_output *out);

#endif /* DRSNOOP_OUTPUT_H */
