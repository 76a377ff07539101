// SPDX-License-Identifier: GPL-2.0
/*
 * The output modes that print at the end (or at each --interval): -s's
 * summary, as text or JSON, and --folded's line per distinct stack.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include "output_modes.h"
#include "output_shared.h"

int output_summary_add(struct dr_output *out, const struct dr_event *e)
{
	const struct dr_frames *f = out->frames;
	const char *k[DR_STACK_MAX], *u[DR_STACK_MAX];
	struct stack_key key;
	uint32_t i;
	int err = summary_add(&out->summary, e);

	if (err || !f || dr_event_has(e, DR_NESTED))
		return err;
	key = (struct stack_key){ .has_k = f->has_k,
				  .has_u = f->has_u,
				  .nr_k = f->nr_k,
				  .nr_u = f->nr_u,
				  .k = k,
				  .u = u };
	for (i = 0; i < f->nr_k; i++)
		k[i] = f->k[i];
	for (i = 0; i < f->nr_u; i++)
		u[i] = f->u[i];
	return summary_add_stack(&out->summary, &key, e->lat_ns);
}

/* Intervals' text summaries are one blank line apart. */
static int summary_finish(struct dr_output *out)
{
	summary_sort(&out->summary);
	if (out->o->json) {
		summary_print_json(&out->summary, out->f);
	} else {
		if (out->summaries)
			fputc('\n', out->f);
		summary_print_text(&out->summary, out->f);
	}
	out->summaries++;
	out->batch = false;
	return output_finish_line(out);
}

/*
 * A stall that is not a reclaim shows as such: a frame of its own,
 * innermost, so that a flame graph tells it from the reclaims.
 */
static const char *const kind_frame[DR_NR_KINDS] = {
	[DR_KIND_THROTTLE] = "[throttle]",
	[DR_KIND_COMPACT] = "[compact]",
	[DR_KIND_HIGH] = "[high]",
};

/* --folded counts stacks by function: offsets would split them. */
int output_fold_add(struct dr_output *out, const struct dr_event *e)
{
	const char *kp[DR_STACK_MAX], *up[DR_STACK_MAX];
	const struct dr_frames *f = out->frames;
	char comm[DR_COMM_LEN] = "-";
	const char *own = e->kind < DR_NR_KINDS ? kind_frame[e->kind] : NULL;
	uint32_t skip = own != NULL;
	struct dr_frames *fold;
	struct stack_key key;
	uint32_t i;

	/* A nested throttle's time is in its reclaim's stack already. */
	if (!f || dr_event_has(e, DR_NESTED))
		return 0;
	if (!out->fold)
		out->fold = malloc(sizeof(*out->fold));
	fold = out->fold;
	if (!fold)
		return -ENOMEM;
	if (dr_event_has(e, DR_HAS_COMM) && e->comm[0])
		stacks_fold_frame(e->comm, comm, sizeof(comm));
	key = (struct stack_key){ .comm = comm,
				  .has_k = f->has_k,
				  .has_u = f->has_u,
				  .nr_k = f->nr_k,
				  .nr_u = f->nr_u,
				  .k = kp,
				  .u = up };
	for (i = 0; i < f->nr_k && i + skip < DR_STACK_MAX; i++) {
		stacks_fold_frame(f->k[i], fold->k[i], sizeof(fold->k[i]));
		kp[i + skip] = fold->k[i];
	}
	if (own) {
		kp[0] = own;
		key.has_k = true;
		key.nr_k = i + 1;
	}
	for (i = 0; i < f->nr_u; i++) {
		stacks_fold_frame(f->u[i], fold->u[i], sizeof(fold->u[i]));
		up[i] = fold->u[i];
	}
	return stack_table_add(&out->folded, &key, e->lat_ns);
}

/*
 * "comm;user frames;kernel frames N", outermost frame first, N the stall
 * time in microseconds: what flamegraph.pl, inferno and speedscope read.
 */
static void folded_line(struct dr_output *out, const struct stack_row *r)
{
	uint32_t i;

	fputs(r->comm, out->f);
	for (i = r->nr_u; i-- > 0;)
		fprintf(out->f, ";%s", stack_row_frame(r, r->nr_k + i));
	for (i = r->nr_k; i-- > 0;)
		fprintf(out->f, ";%s", stack_row_frame(r, i));
	fprintf(out->f, " %" PRIu64 "\n", (r->total_ns + 500) / 1000);
}

static int folded_finish(struct dr_output *out)
{
	size_t i;

	stack_table_sort(&out->folded);
	for (i = 0; i < out->folded.nr; i++)
		folded_line(out, &out->folded.rows[i]);
	out->batch = false;
	return output_finish_line(out);
}

static int summary_interval(struct dr_output *out)
{
	int err = summary_finish(out);

	summary_reset(&out->summary);
	return err;
}

const struct dr_output_mode output_mode_summary = {
	.name = "summary",
	.event = output_summary_add,
	.finish = summary_finish,
	.interval = summary_interval,
};

const struct dr_output_mode output_mode_folded = {
	.name = "folded",
	.event = output_fold_add,
	.finish = folded_finish,
};
