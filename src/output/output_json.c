// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON output mode (-j): an object per stall, one a line. Fields an
 * event does not know are null.
 */
#include <inttypes.h>
#include <string.h>
#include "src/lib/json.h"
#include "output_modes.h"
#include "output_shared.h"

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
	/* As the GFP column: the names, or the mask in hex without them. */
	json_str(out, "gfp",
		 has ? gfp_format(&out->gfp, e->gfp_flags, gfp, sizeof(gfp)) :
		       NULL,
		 first);
}

/* "key":[frames], or null when not asked for or not known. */
static void json_frames(struct dr_output *out, const char *key, bool has,
			uint32_t n, const char (*frames)[USYMS_FRAME_LEN],
			bool *first)
{
	uint32_t i;

	json_key(out->f, key, first);
	if (!has) {
		fputs("null", out->f);
		return;
	}
	fputc('[', out->f);
	for (i = 0; i < n; i++) {
		if (i)
			fputc(',', out->f);
		json_string(out->f, frames[i], USYMS_FRAME_LEN);
	}
	fputc(']', out->f);
}

static void json_stacks(struct dr_output *out, bool *first)
{
	const struct dr_frames *f = out->frames;

	if (!out->o->kernel_stack && !out->o->user_stack)
		return;
	json_frames(out, "kstack", f && f->has_k, f ? f->nr_k : 0,
		    f ? f->k : NULL, first);
	json_frames(out, "ustack", f && f->has_u, f ? f->nr_u : 0,
		    f ? f->u : NULL, first);
}

/*
 * --throttle and --compaction: a throttle's reason or an attempt's result
 * (null for the other kinds); --throttle: the reclaim a throttle slept in
 * ("nested_in", null when none shown); --compaction: whether the attempt's
 * allocation got its page ("got_page", null where that is not known).
 */
static void json_reason(struct dr_output *out, const struct dr_event *e,
			bool *first)
{
	char buf[OUTPUT_REASON_LEN];

	if (output_shows_reason(out->o))
		json_str(out, "reason", output_reason(e, buf, sizeof(buf)),
			 first);
	if (out->o->throttle)
		json_str(out, "nested_in",
			 dr_event_has(e, DR_NESTED) ?
				 dr_kind_name(e->outer_kind) :
				 NULL,
			 first);
	if (!out->o->compaction)
		return;
	json_key(out->f, "got_page", first);
	if (dr_event_has(e, DR_HAS_OUTCOME))
		fputs(dr_event_has(e, DR_GOT_PAGE) ? "true" : "false", out->f);
	else
		fputs("null", out->f);
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
	json_num(out, "pages", e->nr_reclaimed, output_has_pages(e), &first);
	json_num(out, "free_kb", e->free_pages * out->page_kb,
		 dr_event_has(e, DR_HAS_FREE), &first);
	json_key(out->f, "free_approx", &first);
	fputs(dr_event_has(e, DR_FREE_APPROX) ? "true" : "false", out->f);
	json_gfp(out, e, &first);
	json_str(out, "kind", dr_kind_name(e->kind), &first);
	json_reason(out, e, &first);
	json_num(out, "cgroup_id", e->cgroup_id, dr_event_has(e, DR_HAS_CGROUP),
		 &first);
	json_str(out, "cgroup", output_cgroup_of(out, e), &first);
	json_stacks(out, &first);
	fputs("}\n", out->f);
	return output_finish_line(out);
}

const struct dr_output_mode output_mode_json = {
	.name = "json",
	.event = json_event,
};
