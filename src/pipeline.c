// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include "filter.h"
#include "pipeline.h"
#include "util.h"

static int pipeline_event(struct dr_sink *sink, const struct dr_event *e)
{
	struct dr_pipeline *p = container_of(sink, struct dr_pipeline, sink);

	if (!filter_match(p->o, e))
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

void pipeline_init(struct dr_pipeline *p, const struct dr_options *o, FILE *f,
		   unsigned int page_kb)
{
	*p = (struct dr_pipeline){
		.sink = { .event = pipeline_event,
			  .lost = pipeline_lost,
			  .origin = pipeline_origin },
		.o = o,
	};
	output_init(&p->out, f, o, page_kb);
}

void pipeline_finish(struct dr_pipeline *p)
{
	if (p->lost)
		fprintf(stderr, "drsnoop: lost %" PRIu64 " events in total\n",
			p->lost);
}
