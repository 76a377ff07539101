// SPDX-License-Identifier: GPL-2.0
/*
 * Text output, byte for byte bcc's tools/drsnoop.py: the same columns, the
 * same printf formats, TIME(s) counted in microseconds from the first
 * stall's end. Fields an event does not know print as "-".
 */
#include <errno.h>
#include "output.h"

void output_init(struct dr_output *out, FILE *f, const struct dr_options *o,
		 unsigned int page_kb)
{
	*out = (struct dr_output){ .f = f, .o = o, .page_kb = page_kb };
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

int output_header(struct dr_output *out)
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

int output_event(struct dr_output *out, const struct dr_event *e)
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
	fputc('\n', out->f);
	return finish_line(out);
}
