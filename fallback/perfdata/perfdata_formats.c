// SPDX-License-Identifier: GPL-2.0
/*
 * perf.data's tracing data (the HEADER_TRACING_DATA feature), laid out as
 * the first part of a version 6 trace.dat: header_page and the vmscan
 * event formats (and compaction's, and our memory.high probes') are
 * parsed with libtraceevent, and the saved cmdlines.
 */
#define _GNU_SOURCE /* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "perfdata_reader.h"
#include "src/sys/tracelibs.h"

/* The trace.dat-like tracing data, parsed in place within [p, end). */
struct td_cursor {
	const char *p;
	const char *end;
	bool bad;
};

static const char *td_take(struct td_cursor *c, uint64_t n)
{
	const char *p = c->p;

	if (c->bad || n > (uint64_t)(c->end - c->p)) {
		c->bad = true;
		return NULL;
	}
	c->p += n;
	return p;
}

static uint64_t td_num(struct td_cursor *c, int size)
{
	const char *p = td_take(c, size);

	if (!p)
		return 0;
	return size == 4 ? get_u32(p) : get_u64(p);
}

static const char *td_string(struct td_cursor *c)
{
	const char *p = c->p;
	size_t n = c->bad ? 0 : strnlen(p, c->end - p);

	if (c->bad || n == (size_t)(c->end - p)) {
		c->bad = true;
		return NULL;
	}
	c->p += n + 1;
	return p;
}

/* Sections of u64 size + text. */
static const char *td_blob(struct td_cursor *c, uint64_t *size)
{
	*size = td_num(c, 8);
	return td_take(c, *size);
}

static void td_skip_blobs(struct td_cursor *c, int count_size)
{
	uint64_t n = td_num(c, count_size), size;

	while (n-- && !c->bad)
		td_blob(c, &size);
}

/*
 * Only the formats drsnoop reads are handed to libtraceevent, without their
 * "print fmt:" line: libtraceevent 1.7's parser of it does not survive a
 * hostile file. The gfp flag names, which it holds, are read in a child
 * (perfdata_gfp.c).
 */
static void parse_format(struct file_reader *r, const char *sys,
			 const char *fmt, uint64_t size)
{
	static const char print[] = "\nprint fmt:";
	const char *end = memmem(fmt, size, print, sizeof(print) - 1);
	size_t len = end ? (size_t)(end - fmt) : size;
	char *text = malloc(len + sizeof(print) + 4);

	if (!text)
		return;
	memcpy(text, fmt, len);
	memcpy(text + len, print, sizeof(print) - 1);
	memcpy(text + len + sizeof(print) - 1, " \"\"\n", 4);
	sym_tep_parse_event(r->tep, text, len + sizeof(print) + 3, sys);
	free(text);
}

/* A format file's text, within the tracing data. */
struct td_text {
	const char *p;
	uint64_t size;
};

static bool is_begin(const char *fmt, uint64_t size)
{
	char name[64];
	int n = snprintf(name, sizeof(name), "name: %s\n",
			 vmscan_begin_events[0]);

	return size >= (uint64_t)n && !memcmp(fmt, name, n);
}

/*
 * The systems drsnoop reads: vmscan's, compaction's, and the memory.high
 * probes' groups that the ftrace backend creates (drsnoop_<pid>).
 */
static bool wanted_system(const char *sys)
{
	return !strcmp(sys, "vmscan") || !strcmp(sys, COMPACT_SYSTEM) ||
	       !strncmp(sys, "drsnoop_", 8);
}

/* Parse the formats read; *begin: the direct-reclaim begin's, whole. */
static void td_events(struct file_reader *r, struct td_cursor *c,
		      struct td_text *begin)
{
	uint32_t systems = td_num(c, 4), n;
	const char *sys, *fmt;
	uint64_t size;

	while (systems-- && !c->bad) {
		sys = td_string(c);
		n = td_num(c, 4);
		while (n-- && !c->bad) {
			fmt = td_blob(c, &size);
			if (!fmt || !wanted_system(sys))
				continue;
			parse_format(r, sys, fmt, size);
			if (!strcmp(sys, "vmscan") && is_begin(fmt, size))
				*begin = (struct td_text){ fmt, size };
		}
	}
}

static void td_cmdlines(struct file_reader *r, struct td_cursor *c)
{
	uint64_t size;
	const char *p = td_blob(c, &size);
	char *text;

	if (!p || !size)
		return;
	text = strndup(p, size);
	if (text)
		sym_tep_parse_saved_cmdlines(r->tep, text);
	free(text);
}

static int td_header(struct file_reader *r, struct td_cursor *c)
{
	static const char magic[] = "\027\010\104tracing";
	const char *p = td_take(c, sizeof(magic) - 1);
	const char *version = p ? td_string(c) : NULL;
	uint8_t endian, long_size;
	uint32_t page_size;

	if (!version || memcmp(p, magic, sizeof(magic) - 1))
		return perfdata_fail(r, "its tracing data has no magic", 0);
	p = td_take(c, 2);
	page_size = td_num(c, 4);
	if (!p || c->bad)
		return perfdata_fail(r, "its tracing data is truncated", 0);
	endian = p[0];
	long_size = p[1];
	if (endian != (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__))
		return perfdata_fail(
			r, "its tracing data is in the other byte order", 0);
	if (long_size != 4 && long_size != 8)
		return perfdata_fail(r,
				     "its tracing data has longs of %llu bytes",
				     long_size);
	sym_tep_set_file_bigendian(r->tep,
				   endian ? TEP_BIG_ENDIAN : TEP_LITTLE_ENDIAN);
	sym_tep_set_long_size(r->tep, long_size);
	sym_tep_set_page_size(r->tep, page_size);
	return strcmp(version, "0.5") ? 6 : 5;
}

int perfdata_parse_tracing_data(struct file_reader *r, const char *buf,
				uint64_t size)
{
	struct td_cursor c = { .p = buf, .end = buf + size };
	struct td_text begin = { 0 };
	uint64_t len;
	const char *p;
	int version = td_header(r, &c);

	if (version < 0)
		return -1;
	if (!td_string(&c) || !(p = td_blob(&c, &len)) ||
	    sym_tep_parse_header_page(r->tep, (char *)p, len,
				      sym_tep_get_long_size(r->tep)))
		return perfdata_fail(r, "its tracing data has no header page",
				     0);
	if (!td_string(&c) || !td_blob(&c, &len))
		return perfdata_fail(r, "its tracing data has no event header",
				     0);
	td_skip_blobs(&c, 4);
	td_events(r, &c, &begin);
	if (c.bad)
		return perfdata_fail(r, "its event formats are truncated", 0);
	len = td_num(&c, 4);
	p = td_take(&c, len);
	/* perf before 5.x kept kallsyms here, now empty: for -K frames. */
	if (p && len && r->rp->want_stack[PAIR_KSTACK])
		r->file_ksyms = ksyms_parse(p, len);
	len = td_num(&c, 4); /* printk formats */
	td_take(&c, len);
	if (version >= 6 && !c.bad)
		td_cmdlines(r, &c);
	if (vmscan_fields_init(&r->vf, r->tep, r->why, r->why_len))
		return -1;
	if (begin.p)
		perfdata_gfp_names(r, begin.p, begin.size);
	return 0;
}
