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
#include <stdlib.h>
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
	if (out->batch && !ferror(out->f))
		return 0;
	/*
	 * errno may be stale from anything since the write that failed; a
	 * failed stream keeps its data, so flushing again says why now.
	 */
	errno = 0;
	if (fflush(out->f) || ferror(out->f))
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

/*
 * The fixed columns are formatted here rather than by printf, which took
 * half the time of reading a recording. Each gives printf's string: the
 * callers fall back to snprintf where these could differ.
 */
struct line {
	char buf[160]; /* the widest line: 120 bytes */
	size_t len;
};

static void put_chars(struct line *l, const char *s, size_t n, size_t width)
{
	memcpy(l->buf + l->len, s, n);
	l->len += n;
	for (; n < width; n++)
		l->buf[l->len++] = ' ';
}

/* %-Nu when left, else %Nu; at most 20 digits. */
static void put_uint(struct line *l, uint64_t v, size_t width, bool left)
{
	char digits[20], *p = digits + sizeof(digits);
	size_t n;

	do
		*--p = '0' + v % 10;
	while (v /= 10);
	n = digits + sizeof(digits) - p;
	if (left) {
		put_chars(l, p, n, width);
		return;
	}
	for (; n < width; width--)
		l->buf[l->len++] = ' ';
	put_chars(l, p, n, 0);
}

static void put_printf(struct line *l, const char *fmt, double v)
{
	l->len += snprintf(l->buf + l->len, sizeof(l->buf) - l->len, fmt, v);
}

/*
 * " %8.2f" of lat_ns / 1e6. The double is within 2^-53 of the exact
 * quotient, far closer than 1e-6 ms for lat_ns < 1e15, so it rounds as the
 * exact value does, except on a decimal tie (x.xx5 ms), which only printf
 * rounds like printf.
 */
static void put_lat(struct line *l, uint64_t lat_ns)
{
	uint64_t cs = lat_ns / 10000, rest = lat_ns % 10000;
	char frac[3];

	if (lat_ns >= 1000000000000000ULL || rest == 5000) {
		put_printf(l, " %8.2f", (double)lat_ns / 1e6);
		return;
	}
	cs += rest > 5000;
	l->buf[l->len++] = ' ';
	put_uint(l, cs / 100, 5, false);
	frac[0] = '.';
	frac[1] = '0' + cs % 100 / 10;
	frac[2] = '0' + cs % 10;
	put_chars(l, frac, 3, 0);
}

/*
 * "%-14.9f" of us / 1e6: whole microseconds, so the digits past them are
 * 000 while the double's error (2^-53 of it) stays under 0.5e-9 s.
 */
static void put_time(struct line *l, uint64_t us)
{
	size_t start = l->len;
	char frac[10];
	uint64_t f;
	int i;

	if (us >= 1000000000000ULL) {
		put_printf(l, "%-14.9f", (double)us / 1e6);
		return;
	}
	put_uint(l, us / 1000000, 0, true);
	frac[0] = '.';
	for (f = us % 1000000, i = 6; i > 0; f /= 10, i--)
		frac[i] = '0' + f % 10;
	memcpy(frac + 7, "000", 3);
	put_chars(l, frac, sizeof(frac), 14 - (l->len - start));
}

static void print_time(struct dr_output *out, const struct dr_event *e,
		       struct line *l)
{
	uint64_t end_us = dr_event_end_ns(e) / 1000;

	if (!out->started) {
		out->first_us = end_us;
		out->started = true;
	}
	put_time(l, end_us - out->first_us);
}

static void print_id(struct dr_output *out, const struct dr_event *e,
		     struct line *l)
{
	if (out->o->has_tid)
		put_uint(l, e->tid, 6, true);
	else if (dr_event_has(e, DR_HAS_PID))
		put_uint(l, e->pid, 6, true);
	else
		put_chars(l, "-", 1, 6);
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

/* The frames under a stall line, as bcc's stack tools print them. */
static void text_frames(struct dr_output *out)
{
	const struct dr_frames *f = out->frames;
	uint32_t i;

	if (!f)
		return;
	for (i = 0; i < f->nr_k; i++)
		fprintf(out->f, "    %s\n", f->k[i]);
	if (f->nr_k && f->nr_u)
		fputs("    --\n", out->f);
	for (i = 0; i < f->nr_u; i++)
		fprintf(out->f, "    %s\n", f->u[i]);
	fputc('\n', out->f);
}

static int text_event(struct dr_output *out, const struct dr_event *e)
{
	const struct dr_options *o = out->o;
	bool extra = o->memcg || o->gfp;
	struct line l = { .len = 0 };

	if (o->timestamp)
		print_time(out, e, &l);
	if (o->print_uid && dr_event_has(e, DR_HAS_UID))
		put_uint(&l, e->uid, 6, true);
	else if (o->print_uid)
		put_chars(&l, "-", 1, 6);
	if (dr_event_has(e, DR_HAS_COMM))
		put_chars(&l, e->comm, strnlen(e->comm, 14), 14);
	else
		put_chars(&l, "-", 1, 14);
	put_chars(&l, " ", 1, 0);
	print_id(out, e, &l);
	put_lat(&l, e->lat_ns);
	put_chars(&l, " ", 1, 0);
	put_uint(&l, e->nr_reclaimed, 5, false);
	if (o->free_mem && dr_event_has(e, DR_HAS_FREE))
		put_uint(&l, e->free_pages * out->page_kb, 10, false);
	else if (o->free_mem)
		put_chars(&l, "         -", 10, 0);
	if (!extra)
		put_chars(&l, "\n", 1, 0);
	fwrite(l.buf, 1, l.len, out->f);
	if (extra) {
		print_extra(out, e);
		fputc('\n', out->f);
	}
	text_frames(out);
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
	json_stacks(out, &first);
	fputs("}\n", out->f);
	return finish_line(out);
}

static int summary_event(struct dr_output *out, const struct dr_event *e)
{
	const struct dr_frames *f = out->frames;
	const char *k[DR_STACK_MAX], *u[DR_STACK_MAX];
	struct stack_key key;
	uint32_t i;
	int err = summary_add(&out->summary, e);

	if (err || !f)
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
	return finish_line(out);
}

/* --folded counts stacks by function: offsets would split them. */
static int folded_event(struct dr_output *out, const struct dr_event *e)
{
	const char *kp[DR_STACK_MAX], *up[DR_STACK_MAX];
	const struct dr_frames *f = out->frames;
	char comm[DR_COMM_LEN] = "-";
	struct dr_frames *fold;
	struct stack_key key;
	uint32_t i;

	if (!f)
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
	for (i = 0; i < f->nr_k; i++) {
		stacks_fold_frame(f->k[i], fold->k[i], sizeof(fold->k[i]));
		kp[i] = fold->k[i];
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
	return finish_line(out);
}

static int summary_interval(struct dr_output *out)
{
	int err = summary_finish(out);

	summary_reset(&out->summary);
	return err;
}

static const struct dr_output_mode output_modes[] = {
	{ .name = "text", .header = text_header, .event = text_event },
	{ .name = "json", .event = json_event },
	{ .name = "summary",
	  .event = summary_event,
	  .finish = summary_finish,
	  .interval = summary_interval },
	{ .name = "folded", .event = folded_event, .finish = folded_finish },
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
	if ((!o->summary && !o->folded && !o->metrics) || o->lines)
		out->modes[out->nr_modes++] =
			output_mode_find(o->json ? "json" : "text");
	if (o->summary)
		out->modes[out->nr_modes++] = output_mode_find("summary");
	if (o->folded)
		out->modes[out->nr_modes++] = output_mode_find("folded");
	stacks_init(&out->stacks, o->kernel_stack, o->user_stack);
	stack_table_init(&out->folded);
	if (options_want_cgroup(o))
		cgroup_names_init(&out->cgroups, &o->cgroup_tree);
	summary_init(&out->summary, o->has_tid,
		     o->kernel_stack || o->user_stack);
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
	unsigned int i;
	int err;

	for (i = 0; i < out->nr_modes; i++) {
		if (!out->modes[i]->interval)
			continue;
		err = out->modes[i]->interval(out);
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
	stacks_free(&out->stacks);
	stack_table_free(&out->folded);
	free(out->fold);
	out->fold = NULL;
}
