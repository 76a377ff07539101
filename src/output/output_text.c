// SPDX-License-Identifier: GPL-2.0
/*
 * The text output mode, byte for byte bcc's tools/drsnoop.py: the same
 * columns, the same printf formats, TIME(s) counted in microseconds from
 * the first stall's end, with drsnoop's own columns (KIND, REASON, ORDER,
 * GFP, CGROUP) only when asked for, and -K/--user-stack's frames under each
 * line. Fields an event does not know print as "-".
 */
#include <inttypes.h>
#include <string.h>
#include "output_modes.h"
#include "output_shared.h"

#define GFP_WIDTH    32 /* GFP's width when CGROUP follows it */
#define REASON_WIDTH 10 /* "noprogress"; wider reasons push on */

/* REASON's width: none when it ends the line. */
static int reason_width(const struct dr_options *o)
{
	return o->gfp || o->memcg ? REASON_WIDTH : 0;
}

/* KIND with any kind besides direct reclaim, as bcc's tools add a column. */
static bool show_kind(const struct dr_options *o)
{
	return options_kinds(o) != DR_KIND_BIT(DR_KIND_DIRECT);
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
	if (show_kind(o))
		fprintf(out->f, " %-9s", "KIND");
	if (output_shows_reason(o))
		fprintf(out->f, " %-*s", reason_width(o), "REASON");
	if (o->gfp)
		fprintf(out->f, " %5s %-*s", "ORDER", o->memcg ? GFP_WIDTH : 0,
			"GFP");
	if (o->memcg)
		fprintf(out->f, " %s", "CGROUP");
	fputc('\n', out->f);
	return output_finish_line(out);
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

/* drsnoop's own columns: KIND, REASON, ORDER and GFP, CGROUP. */
static void print_extra(struct dr_output *out, const struct dr_event *e)
{
	const struct dr_options *o = out->o;
	char gfp[256], buf[OUTPUT_REASON_LEN];
	const char *cgroup, *reason;

	if (show_kind(o))
		fprintf(out->f, " %-9s", dr_kind_name(e->kind));
	if (output_shows_reason(o)) {
		reason = output_reason(e, buf, sizeof(buf));
		fprintf(out->f, " %-*s", reason_width(o),
			reason ? reason : "-");
	}
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
		cgroup = output_cgroup_of(out, e);
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
	bool extra = show_kind(o) || o->gfp;
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
	/* A throttle or compaction reclaims nothing: PAGES is "-". */
	if (!output_has_pages(e))
		put_chars(&l, "     -", 6, 0);
	else {
		put_chars(&l, " ", 1, 0);
		put_uint(&l, e->nr_reclaimed, 5, false);
	}
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
	return output_finish_line(out);
}

const struct dr_output_mode output_mode_text = {
	.name = "text",
	.header = text_header,
	.event = text_event,
};
