// SPDX-License-Identifier: GPL-2.0
/*
 * Every backend's sink: filter, count, then output; see pipeline.h. It
 * also ends -s --interval's intervals and writes --metrics.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include "src/core/filter.h"
#include "src/sys/meminfo.h"
#include "src/sys/psi.h"
#include "pipeline.h"
#include "src/lib/util.h"

#define METRICS_PERIOD 15 /* seconds between writes without --interval */

static int pipeline_event(struct dr_sink *sink, const struct dr_event *e)
{
	struct dr_pipeline *p = container_of(sink, struct dr_pipeline, sink);
	struct summary_capture *c = &p->out.summary.cap_line;
	struct dr_event shown;

	if (e->kind < ARRAY_SIZE(c->seen))
		c->seen[e->kind]++;
	if (dr_event_has(e, DR_HAS_OUTCOME)) {
		c->compact_got += dr_event_has(e, DR_GOT_PAGE);
		c->compact_failed += !dr_event_has(e, DR_GOT_PAGE);
	}
	if (!filter_match(p->o, e) || !filter_cgroup(p->o, &p->out.cgroups, e))
		return 0;
	if (dr_event_has(e, DR_NESTED)) {
		shown = *e;
		filter_nesting(p->o, &shown);
		e = &shown;
	}
	p->shown++;
	if (p->o->metrics && metrics_add(&p->metrics, e))
		return -ENOMEM;
	return output_event(&p->out, e);
}

static const char *pipeline_cgroup_path(void *ctx, uint64_t id)
{
	struct dr_pipeline *p = ctx;

	return p->out.cgroups.tree ? cgroup_names_get(&p->out.cgroups, id) :
				     NULL;
}

/* Said at once, on stderr, so that a gap in the output is explained. */
static void pipeline_lost(struct dr_sink *sink, uint64_t count)
{
	struct dr_pipeline *p = container_of(sink, struct dr_pipeline, sink);

	p->lost += count;
	fprintf(stderr, "drsnoop: lost %" PRIu64 " stalls\n", count);
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

/* One line, at once: the user asked for this kind and sees none of it. */
static void pipeline_untraced(struct dr_sink *sink, uint32_t kind,
			      const char *why)
{
	struct dr_pipeline *p = container_of(sink, struct dr_pipeline, sink);

	fprintf(stderr, "drsnoop: not tracing %s stalls: %s\n",
		dr_kind_name(kind), why);
	p->kinds &= ~DR_KIND_BIT(kind);
	p->out.summary.cap_line.kinds = p->kinds;
	p->metrics.kinds = p->kinds;
}

static void pipeline_background(struct dr_sink *sink, uint64_t n)
{
	struct dr_pipeline *p = container_of(sink, struct dr_pipeline, sink);

	p->out.summary.cap_line.background += n;
}

void pipeline_init(struct dr_pipeline *p, const struct dr_options *o, FILE *f,
		   unsigned int page_kb)
{
	*p = (struct dr_pipeline){
		.sink = { .event = pipeline_event,
			  .lost = pipeline_lost,
			  .origin = pipeline_origin,
			  .gfp_names = pipeline_gfp_names,
			  .ksyms = pipeline_ksyms,
			  .untraced = pipeline_untraced,
			  .background = pipeline_background },
		.o = o,
		.kinds = options_kinds(o),
	};
	output_init(&p->out, f, o, page_kb);
	metrics_init(&p->metrics, o->metrics_by_cgroup, options_kinds(o),
		     page_kb * 1024);
	p->metrics.cgroup_path = pipeline_cgroup_path;
	p->metrics.ctx = p;
	if (o->cgroup_tree.mount[0] && !o->cgroup_tree.v1)
		p->metrics.cgroup_mount = o->cgroup_tree.mount;
}

static int write_metrics(struct dr_pipeline *p)
{
	int err;

	p->metrics.lost = p->lost;
	err = metrics_write(&p->metrics, p->o->metrics);
	if (err)
		fprintf(stderr, "drsnoop: cannot write '%s': %s\n",
			p->o->metrics, strerror(-err));
	return err;
}

/* The kernel's counters where the capture window opens: live only. */
static void capture_open(struct dr_pipeline *p)
{
	struct summary_capture *c = &p->out.summary.cap_line;
	const struct dr_options *o = p->o;

	c->has_allocstall = meminfo_allocstall(&c->allocstall_start);
	if (p->kinds & DR_KIND_BIT(DR_KIND_COMPACT))
		c->has_compact = meminfo_compact(&c->compact_start);
	psi_window_open(&c->psi, PSI_MEMORY);
	/* The root's pressure is the system's, and it has no file of its own.
	 */
	if (!o->has_cgroup || !strcmp(o->cgroup_path, "/"))
		return;
	snprintf(p->cgroup_psi, sizeof(p->cgroup_psi), "%s%s/memory.pressure",
		 o->cgroup_tree.mount, o->cgroup_path);
	c->cgroup = o->cgroup_path;
	psi_window_open(&c->cgroup_psi, p->cgroup_psi);
}

/* Where it closes: when tracing stops, or an interval ends. */
static void capture_close(struct dr_pipeline *p)
{
	struct summary_capture *c = &p->out.summary.cap_line;

	if (c->has_allocstall)
		c->has_allocstall = meminfo_allocstall(&c->allocstall_end);
	if (c->has_compact)
		c->has_compact = meminfo_compact(&c->compact_end);
	if (c->psi.read)
		psi_window_close(&c->psi, PSI_MEMORY);
	if (c->cgroup)
		psi_window_close(&c->cgroup_psi, p->cgroup_psi);
}

/* The next interval's window opens where this one closed. */
static void capture_next(struct dr_pipeline *p)
{
	struct summary_capture *c = &p->out.summary.cap_line;

	c->allocstall_start = c->allocstall_end;
	c->compact_start = c->compact_end;
	psi_window_next(&c->psi);
	psi_window_next(&c->cgroup_psi);
}

int pipeline_start(struct dr_pipeline *p, const struct dr_backend *b)
{
	const struct dr_options *o = p->o;
	char why[256];

	stacks_set_live(&p->out.stacks, !b->ops->replay);
	if (b->ops->replay)
		return 0;
	p->out.backend = b->ops->name;
	snprintf(p->out.attach, sizeof(p->out.attach), "%s", b->attach);
	capture_open(p);
	if ((o->gfp || o->json) &&
	    gfp_names_from_tracefs(&p->out.gfp, why, sizeof(why))) {
		gfp_names_free(&p->out.gfp);
		fprintf(stderr,
			"drsnoop: cannot read the gfp flag names of "
			"'vmscan:mm_vmscan_direct_reclaim_begin' (%s): "
			"GFP shows the flags in hex\n",
			why);
	}
	/* A path that cannot be written fails now, not in 15 seconds. */
	return o->metrics && write_metrics(p) ? -1 : 0;
}

/* The kinds as the KIND column names them: "direct, memcg and softlimit". */
static void print_kind_list(unsigned int kinds)
{
	unsigned int k, left = __builtin_popcount(kinds);

	for (k = 0; k < DR_NR_KINDS; k++) {
		if (!(kinds & DR_KIND_BIT(k)))
			continue;
		fputs(dr_kind_name(k), stderr);
		left--;
		if (left)
			fputs(left == 1 ? " and " : ", ", stderr);
	}
}

void pipeline_say_tracing(const struct dr_pipeline *p,
			  const struct dr_backend *b)
{
	const struct dr_options *o = p->o;

	if (b->ops->replay || o->lines || options_lines_by_default(o))
		return;
	fputs("Tracing ", stderr);
	print_kind_list(p->kinds);
	/* Compaction and memory.high's penalty are not reclaim. */
	fputs(p->kinds >> DR_KIND_COMPACT ? " stalls" : " reclaim stalls",
	      stderr);
	if (o->duration)
		fprintf(stderr, " for %u second%s", o->duration,
			o->duration == 1 ? "" : "s");
	fputs("... Hit Ctrl-C to end.\n", stderr);
}

uint64_t pipeline_keep_caps(const struct dr_pipeline *p)
{
	return stacks_keep_caps(&p->out.stacks);
}

/* The interval's summary, capture line included; the next one starts. */
static int summary_rollover(struct dr_pipeline *p)
{
	struct summary_capture *c = &p->out.summary.cap_line;
	int err;

	capture_close(p);
	c->lost = p->lost - p->lost_mark;
	err = output_interval(&p->out);
	capture_next(p);
	p->lost_mark = p->lost;
	return err;
}

/* --report's files so far: the capture window as it stands. */
static int report_refresh(struct dr_pipeline *p)
{
	capture_close(p);
	p->out.summary.cap_line.lost = p->lost;
	return output_refresh(&p->out);
}

/*
 * Whether another period of seconds has ended by elapsed_ms since *done
 * had; *done then counts it (and any missed while the loop was late).
 */
static bool period_ended(uint64_t *done, uint64_t seconds, uint64_t elapsed_ms)
{
	uint64_t period = seconds * 1000;

	if (elapsed_ms < (*done + 1) * period)
		return false;
	*done = elapsed_ms / period;
	return true;
}

int pipeline_tick(struct dr_pipeline *p, uint64_t elapsed_ms)
{
	const struct dr_options *o = p->o;
	int err;

	if (o->summary && o->interval &&
	    period_ended(&p->summaries, o->interval, elapsed_ms)) {
		err = summary_rollover(p);
		if (err)
			return err;
	}
	if ((o->report || o->flamegraph) && o->interval &&
	    period_ended(&p->refreshes, o->interval, elapsed_ms)) {
		err = report_refresh(p);
		if (err)
			return err;
	}
	/* Said on stderr; the next write may work again (disk full). */
	if (o->metrics &&
	    period_ended(&p->writes, o->interval ? o->interval : METRICS_PERIOD,
			 elapsed_ms))
		write_metrics(p);
	return 0;
}

void pipeline_stop(struct dr_pipeline *p)
{
	p->stopped = true;
	capture_close(p);
}

int pipeline_finish(struct dr_pipeline *p)
{
	int err;

	if (!p->stopped)
		pipeline_stop(p);
	p->out.summary.cap_line.lost = p->lost - p->lost_mark;
	err = output_finish(&p->out);
	if (p->lost)
		fprintf(stderr, "drsnoop: lost %" PRIu64 " stalls in total\n",
			p->lost);
	if (p->o->metrics && write_metrics(p) && !err)
		err = DR_POLL_FAILED;
	pipeline_free(p);
	return err;
}

void pipeline_free(struct dr_pipeline *p)
{
	output_free(&p->out);
	metrics_free(&p->metrics);
}
