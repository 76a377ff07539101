// SPDX-License-Identifier: GPL-2.0
/*
 * The output modes' table, the run's choice among them and the calls that
 * hand every mode each event. The modes themselves are in output_text.c,
 * output_json.c, output_summary.c and report.c, and what they share in
 * output_shared.c.
 */
#include <stdlib.h>
#include <string.h>
#include "output_modes.h"
#include "src/lib/util.h"

static const struct dr_output_mode *const output_modes[] = {
	&output_mode_text,   &output_mode_json,	  &output_mode_summary,
	&output_mode_folded, &output_mode_report,
};

const struct dr_output_mode *output_mode_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(output_modes); i++)
		if (!strcmp(output_modes[i]->name, name))
			return output_modes[i];
	return NULL;
}

void output_init(struct dr_output *out, FILE *f, const struct dr_options *o,
		 unsigned int page_kb)
{
	*out = (struct dr_output){ .f = f, .o = o, .page_kb = page_kb };
	if (options_lines_by_default(o) || o->lines)
		out->modes[out->nr_modes++] =
			output_mode_find(o->json ? "json" : "text");
	if (o->summary)
		out->modes[out->nr_modes++] = output_mode_find("summary");
	if (o->folded)
		out->modes[out->nr_modes++] = output_mode_find("folded");
	if (o->report || o->flamegraph)
		out->modes[out->nr_modes++] = output_mode_find("report");
	stacks_init(&out->stacks, o->kernel_stack, o->user_stack);
	stack_table_init(&out->folded);
	if (options_want_cgroup(o))
		cgroup_names_init(&out->cgroups, &o->cgroup_tree);
	summary_init(&out->summary, o->has_tid,
		     o->kernel_stack || o->user_stack);
	out->summary.cap_line.kinds = options_kinds(o);
}

/* The calls every mode may have, beside event(). */
enum mode_call { CALL_HEADER, CALL_INTERVAL, CALL_REFRESH, CALL_FINISH };

typedef int (*mode_fn)(struct dr_output *out);

static mode_fn mode_call_fn(const struct dr_output_mode *m, enum mode_call call)
{
	switch (call) {
	case CALL_HEADER:
		return m->header;
	case CALL_INTERVAL:
		return m->interval;
	case CALL_REFRESH:
		return m->refresh;
	default:
		return m->finish;
	}
}

/* That call of each mode that has it, in order, up to the first error. */
static int call_modes(struct dr_output *out, enum mode_call call)
{
	unsigned int i;
	mode_fn fn;
	int err;

	for (i = 0; i < out->nr_modes; i++) {
		fn = mode_call_fn(out->modes[i], call);
		if (!fn)
			continue;
		err = fn(out);
		if (err)
			return err;
	}
	return 0;
}

int output_header(struct dr_output *out)
{
	return call_modes(out, CALL_HEADER);
}

int output_event(struct dr_output *out, const struct dr_event *e)
{
	unsigned int i;
	int err;

	out->frames = stacks_resolve(&out->stacks, e);
	for (i = 0; i < out->nr_modes; i++) {
		err = out->modes[i]->event(out, e);
		if (err)
			return err;
	}
	return 0;
}

int output_interval(struct dr_output *out)
{
	return call_modes(out, CALL_INTERVAL);
}

int output_refresh(struct dr_output *out)
{
	return call_modes(out, CALL_REFRESH);
}

int output_finish(struct dr_output *out)
{
	return call_modes(out, CALL_FINISH);
}

void output_free(struct dr_output *out)
{
	gfp_names_free(&out->gfp);
	cgroup_names_free(&out->cgroups);
	summary_free(&out->summary);
	stacks_free(&out->stacks);
	stack_table_free(&out->folded);
	report_free(out);
	free(out->fold);
	out->fold = NULL;
}