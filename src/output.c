// SPDX-License-Identifier: GPL-2.0
/*
 * The output modes. Text is byte for byte bcc's tools/drsnoop.py: the same
 * columns, the same printf formats, TIME(s) counted in microseconds from
 * the first stall's end, with drsnoop's own columns (KIND, ORDER, GFP,
 * CGROUP) only when asked for. Fields an event does not know print as
 * "-" in text and null in JSON.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include "json.h"
#include "output.h"
#include "util.h"

#define GFP_WIDTH 32 /* GFP's width when CGROUP follows it */

static const char *const kind_names[] = {
	[DR_KIND_DIRECT] = "direct",
	[DR_KIND_MEMCG] = "memcg",
	[DR_KIND_MEMCG_SOFTLIMIT] = "softlimit",
};

static const char *kind_name(uint32_t kind)
{
	return kind < ARRAY_SIZE(kind_names) ? kind_names[kind] : "?";
}

/*
 * Flush every line, so `drsnoop | grep` shows stalls as they happen; a
 * recording is read faster than a flush per line, so it is not.
 */
static int finish_line(struct dr_output *out)
{
	if ((!out->batch && fflush(out->f)) || ferror(out->f))
		return errno ? -errno : -EIO;
	return 0;
}

static const char *cgroup_of(struct dr_output *out, const struct dr_event *e)
{
	if (!dr_event_has(e, DR_HAS_CGROUP) || !out->cgroups.tree)
		return NULL;
	return cgroup_names_get(&out->cgroups, e->cgroup_id);
}

static int text_header(struct dr_output *out)
{
	const struct dr_options *o = out->o;

	if (o->timestamp)
		fprintf(out->f, "%-14s", "TIME(s)");
	if (o->print_uid)
		fprintf(out->f, "%-6s", "UID");
	fprintf(out->f, "%-14s %-6s %8s %5s", "COMM",
		o->has_tid ? "TID" : "PID", "LAT(ms)", "PAGES");
	if (o->free_mem)
		fprintf(out->f, "%10s", "FREE(KB)");
	if (o->memcg)
		fprintf(out->f, " %-9s", "KIND");
	if (o->gfp)
		fprintf(out->f, " %5s %-*s", "ORDER", o->memcg ? GFP_WIDTH : 0,
			"GFP");
	if (o->memcg)
		fprintf(out->f, " %s", "CGROUP");
	fputc('\n', out->f);
	return finish_line(out);
}

static void print_time(struct dr_output *out, const struct dr_event *e)
{
	uint64_t end_us = dr_event_end_ns(e) / 1000;

	if (!out->started) {
		out->first_us = end_us;
		out->started = true;
	}
	fprintf(out->f, "%-14.9f", (double)(end_us - out->first_us) / 1e6);
}

static void print_id(struct dr_output *out, const struct dr_event *e)
{
	if (out->o->has_tid)
		fprintf(out->f, "%-6u", e->tid);
	else if (dr_event_has(e, DR_HAS_PID))
		fprintf(out->f, "%-6u", e->pid);
	else
		fprintf(out->f, "%-6s", "-");
}

/* drsnoop's own columns: KIND, ORDER and GFP, CGROUP. */
static void print_extra(struct dr_output *out, const struct dr_event *e)
{
	const struct dr_options *o = out->o;
	const char *cgroup;
	char gfp[256];

	if (o->memcg)
		fprintf(out->f, " %-9s", kind_name(e->kind));
	if (o->gfp && dr_event_has(e, DR_HAS_ORDER))
		fprintf(out->f, " %5d", e->order);
	else if (o->gfp)
		fprintf(out->f, " %5s", "-");
	if (o->gfp)
		fprintf(out->f, " %-*s", o->memcg ? GFP_WIDTH : 0,
			dr_event_has(e, DR_HAS_GFP) ?
				gfp_format(&out->gfp, e->gfp_flags, gfp,
					   sizeof(gfp)) :
				"-");
	if (o->memcg) {
		cgroup = cgroup_of(out, e);
		fprintf(out->f, " %s", cgroup ? cgroup : "-");
	}
}

static int text_event(struct dr_output *out, const struct dr_event *e)
{
	const struct dr_options *o = out->o;

	if (o->timestamp)
		print_time(out, e);
	if (o->print_uid && dr_event_has(e, DR_HAS_UID))
		fprintf(out->f, "%-6u", e->uid);
	else if (o->print_uid)
		fprintf(out->f, "%-6s", "-");
	fprintf(out->f, "%-14.14s ",
		dr_event_has(e, DR_HAS_COMM) ? e->comm : "-");
	print_id(out, e);
	fprintf(out->f, " %8.2f %5llu", (double)e->lat_ns / 1e6,
		(unsigned long long)e->nr_reclaimed);
	if (o->free_mem && dr_event_has(e, DR_HAS_FREE))
		fprintf(out->f, "%10llu",
			(unsigned long long)e->free_pages * out->page_kb);
	else if (o->free_mem)
		fprintf(out->f, "%10s", "-");
	print_extra(out, e);
	fputc('\n', out->f);
	return finish_line(out);
}

/* "key":number, or "key":null when the event does not know it. */
static void json_num(struct dr_output *out, const char *key, uint64_t v,
		     bool known, bool *first)
{
	json_key(out->f, key, first);
	if (known)
		fprintf(out->f, "%" PRIu64, v);
	else
		fputs("null", out->f);
}

static void json_str(struct dr_output *out, const char *key, const char *s,
		     bool *first)
{
	json_key(out->f, key, first);
	if (s)
		json_string(out->f, s, strlen(s));
	else
		fputs("null", out->f);
}

static void json_gfp(struct dr_output *out, const struct dr_event *e,
		     bool *first)
{
	bool has = dr_event_has(e, DR_HAS_GFP);
	char gfp[256];

	json_key(out->f, "order", first);
	if (dr_event_has(e, DR_HAS_ORDER))
		fprintf(out->f, "%d", e->order);
	else
		fputs("null", out->f);
	json_num(out, "gfp_flags", e->gfp_flags, has, first);
	json_str(out, "gfp",
		 has && out->gfp.nr ?
			 gfp_format(&out->gfp, e->gfp_flags, gfp, sizeof(gfp)) :
			 NULL,
		 first);
}

static int json_event(struct dr_output *out, const struct dr_event *e)
{
	bool first = true;

	fputc('{', out->f);
	json_num(out, "begin_ns", e->begin_ns, true, &first);
	json_num(out, "end_ns", dr_event_end_ns(e), true, &first);
	json_num(out, "lat_ns", e->lat_ns, true, &first);
	json_key(out->f, "lat_ms", &first);
	fprintf(out->f, "%.6f", (double)e->lat_ns / 1e6);
	json_key(out->f, "comm", &first);
	if (dr_event_has(e, DR_HAS_COMM))
		json_string(out->f, e->comm, DR_COMM_LEN);
	else
		fputs("null", out->f);
	json_num(out, "pid", e->pid, dr_event_has(e, DR_HAS_PID), &first);
	json_num(out, "tid", e->tid, true, &first);
	json_num(out, "uid", e->uid, dr_event_has(e, DR_HAS_UID), &first);
	json_num(out, "pages", e->nr_reclaimed, true, &first);
	json_num(out, "free_kb", e->free_pages * out->page_kb,
		 dr_event_has(e, DR_HAS_FREE), &first);
	json_key(out->f, "free_approx", &first);
	fputs(dr_event_has(e, DR_FREE_APPROX) ? "true" : "false", out->f);
	json_gfp(out, e, &first);
	json_str(out, "kind", kind_name(e->kind), &first);
	json_num(out, "cgroup_id", e->cgroup_id, dr_event_has(e, DR_HAS_CGROUP),
		 &first);
	json_str(out, "cgroup", cgroup_of(out, e), &first);
	fputs("}\n", out->f);
	return finish_line(out);
}

static int summary_event(struct dr_output *out, const struct dr_event *e)
{
	return summary_add(&out->summary, e);
}

static int summary_finish(struct dr_output *out)
{
	summary_sort(&out->summary);
	if (out->o->json)
		summary_print_json(&out->summary, out->f);
	else
		summary_print_text(&out->summary, out->f);
	out->batch = false;
	return finish_line(out);
}

static const struct dr_output_mode output_modes[] = {
	{ .name = "text", .header = text_header, .event = text_event },
	{ .name = "json", .event = json_event },
	{ .name = "summary", .event = summary_event, .finish = summary_finish },
};

const struct dr_output_mode *output_mode_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(output_modes); i++)
		if (!strcmp(output_modes[i].name, name))
			return &output_modes[i];
	return NULL;
}

void output_init(struct dr_output *out, FILE *f, const struct dr_options *o,
		 unsigned int page_kb)
{
	*out = (struct dr_output){ .f = f, .o = o, .page_kb = page_kb };
	if (!o->summary || o->lines)
		out->modes[out->nr_modes++] =
			output_mode_find(o->json ? "json" : "text");
	if (o->summary)
		out->modes[out->nr_modes++] = output_mode_find("summary");
	if (options_want_cgroup(o))
		cgroup_names_init(&out->cgroups, &o->cgroup_tree);
	summary_init(&out->summary, o->has_tid);
}

int output_header(struct dr_output *out)
{
	unsigned int i;
	int err;

	for (i = 0; i < out->nr_modes; i++) {
		if (!out->modes[i]->header)
			continue;
		err = out->modes[i]->header(out);
		if (err)
			return err;
	}
	return 0;
}

int output_event(struct dr_output *out, const struct dr_event *e)
{
	unsigned int i;
	int err;

	for (i = 0; i < out->nr_modes; i++) {
		err = out->modes[i]->event(out, e);
		if (err)
			return err;
	}
	return 0;
}

int output_finish(struct dr_output *out)
{
	unsigned int i;
	int err;

	for (i = 0; i < out->nr_modes; i++) {
		if (!out->modes[i]->finish)
			continue;
		err = out->modes[i]->finish(out);
		if (err)
			return err;
	}
	return 0;
}

void output_free(struct dr_output *out)
{
	gfp_names_free(&out->gfp);
	cgroup_names_free(&out->cgroups);
	summary_free(&out->summary);
}
