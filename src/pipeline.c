// SPDX-License-Identifier: GPL-2.0
/* Every backend's sink: filter, count, then output; see pipeline.h. */
#include <inttypes.h>
#include "filter.h"
#include "meminfo.h"
#include "pipeline.h"
#include "util.h"

static int pipeline_event(struct dr_sink *sink, const struct dr_event *e)
{
	struct dr_pipeline *p = container_of(sink, struct dr_pipeline, sink);
	struct summary_capture *c = &p->out.summary.cap_line;

	if (e->kind < ARRAY_SIZE(c->seen))
		c->seen[e->kind]++;
	if (!filter_match(p->o, e) || !filter_cgroup(p->o, &p->out.cgroups, e))
		return 0;
	p->shown++;
	return output_event(&p->out, e);
}

/* Said at once, on stderr, so that a gap in the output is explained. */
static void pipeline_lost(struct dr_sink *sink, uint64_t count)
{
	struct dr_pipeline *p = container_of(sink, struct dr_pipeline, sink);

	p->lost += count;
	fprintf(stderr, "drsnoop: lost %" PRIu64 " events\n", count);
}

/* TIME(s) counts from here rather than from the first stall's end. */
static void pipeline_origin(struct dr_sink *sink, uint64_t ts_ns)
{
	struct dr_pipeline *p = container_of(sink, struct dr_pipeline, sink);

	p->out.first_us = ts_ns / 1000;
	p->out.started = true;
}

static void pipeline_gfp_names(struct dr_sink *sink, const struct gfp_names *g)
{
	struct dr_pipeline *p = container_of(sink, struct dr_pipeline, sink);

	gfp_names_free(&p->out.gfp);
	if (gfp_names_copy(&p->out.gfp, g))
		gfp_names_free(&p->out.gfp);
}

static void pipeline_ksyms(struct dr_sink *sink, struct ksyms *k)
{
	struct dr_pipeline *p = container_of(sink, struct dr_pipeline, sink);

	stacks_set_ksyms(&p->out.stacks, k);
}

void pipeline_init(struct dr_pipeline *p, const struct dr_options *o, FILE *f,
		   unsigned int page_kb)
{
	*p = (struct dr_pipeline){
		.sink = { .event = pipeline_event,
			  .lost = pipeline_lost,
			  .origin = pipeline_origin,
			  .gfp_names = pipeline_gfp_names,
			  .ksyms = pipeline_ksyms },
		.o = o,
	};
	output_init(&p->out, f, o, page_kb);
}

void pipeline_start(struct dr_pipeline *p, const struct dr_backend *b)
{
	struct summary_capture *c = &p->out.summary.cap_line;
	const struct dr_options *o = p->o;
	char why[256];

	stacks_set_live(&p->out.stacks, !b->ops->replay);
	if (b->ops->replay)
		return;
	c->has_allocstall = meminfo_allocstall(&c->allocstall_start);
	if ((o->gfp || o->json) &&
	    gfp_names_from_tracefs(&p->out.gfp, why, sizeof(why))) {
		gfp_names_free(&p->out.gfp);
		fprintf(stderr,
			"drsnoop: cannot read the gfp flag names of "
			"'vmscan:mm_vmscan_direct_reclaim_begin' (%s): "
			"GFP shows the flags in hex\n",
			why);
	}
}

void pipeline_stop(struct dr_pipeline *p)
{
	struct summary_capture *c = &p->out.summary.cap_line;

	p->stopped = true;
	if (c->has_allocstall)
		c->has_allocstall = meminfo_allocstall(&c->allocstall_end);
}

int pipeline_finish(struct dr_pipeline *p)
{
	int err;

	if (!p->stopped)
		pipeline_stop(p);
	p->out.summary.cap_line.lost = p->lost;
	err = output_finish(&p->out);
	if (p->lost)
		fprintf(stderr, "drsnoop: lost %" PRIu64 " events in total\n",
			p->lost);
	output_free(&p->out);
	return err;
}
