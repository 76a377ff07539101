// SPDX-License-Identifier: GPL-2.0
/* gfp flag names from a tracepoint's print fmt; see gfp.h. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gfp.h"
#include "tracelibs.h"

#define BEGIN_EVENT "mm_vmscan_direct_reclaim_begin"

int gfp_names_add(struct gfp_names *g, uint64_t mask, const char *name)
{
	struct gfp_flag *flags;
	char *copy = strdup(name);

	flags = copy ? realloc(g->flags, (g->nr + 1) * sizeof(*flags)) : NULL;
	if (!flags) {
		free(copy);
		return -ENOMEM;
	}
	g->flags = flags;
	g->flags[g->nr++] = (struct gfp_flag){ .mask = mask, .name = copy };
	return 0;
}

static bool is_gfp_field(const struct tep_print_arg *arg)
{
	while (arg && arg->type == TEP_PRINT_TYPE)
		arg = arg->typecast.item;
	return arg && arg->type == TEP_PRINT_FIELD &&
	       !strcmp(arg->field.name, "gfp_flags");
}

/* The __print_flags() on gfp_flags, wherever the expression nests it. */
static const struct tep_print_arg *find_flags(const struct tep_print_arg *arg)
{
	const struct tep_print_arg *found;

	for (; arg; arg = arg->next) {
		switch (arg->type) {
		case TEP_PRINT_FLAGS:
			if (is_gfp_field(arg->flags.field))
				return arg;
			break;
		case TEP_PRINT_OP:
			found = find_flags(arg->op.left);
			if (!found)
				found = find_flags(arg->op.right);
			if (found)
				return found;
			break;
		case TEP_PRINT_TYPE:
			found = find_flags(arg->typecast.item);
			if (found)
				return found;
			break;
		default:
			break;
		}
	}
	return NULL;
}

int gfp_names_from_event(struct gfp_names *g, struct tep_event *ev)
{
	const struct tep_print_arg *arg = find_flags(ev->print_fmt.args);
	const struct tep_print_flag_sym *sym;
	int err;

	if (!arg)
		return -ENOENT;
	g->delim = strdup(arg->flags.delim ? arg->flags.delim : "");
	if (!g->delim)
		return -ENOMEM;
	for (sym = arg->flags.flags; sym; sym = sym->next) {
		/* libtraceevent evaluated each mask to a number */
		err = gfp_names_add(g, strtoull(sym->value, NULL, 0), sym->str);
		if (err)
			return err;
	}
	return 0;
}

/* The begin event, from its format parsed into tep; NULL with why. */
static struct tep_event *parse_begin(struct tep_handle *tep, char *why,
				     size_t why_len)
{
	struct tep_event *ev = NULL;
	char *fmt;
	int size;

	fmt = sym_tracefs_event_file_read(NULL, "vmscan", BEGIN_EVENT, "format",
					  &size);
	if (!fmt) {
		snprintf(why, why_len, "cannot read its format: %s",
			 strerror(errno ? errno : ENOENT));
		return NULL;
	}
	if (!sym_tep_parse_event(tep, fmt, size, "vmscan"))
		ev = sym_tep_find_event_by_name(tep, "vmscan", BEGIN_EVENT);
	free(fmt);
	if (!ev)
		snprintf(why, why_len, "cannot parse its format");
	return ev;
}

int gfp_names_from_tracefs(struct gfp_names *g, char *why, size_t why_len)
{
	struct tep_handle *tep;
	struct tep_event *ev;
	int err = -1;

	if (tracelibs_load_tracefs(why, why_len))
		return -1;
	tep = sym_tep_alloc();
	if (!tep) {
		snprintf(why, why_len, "%s", strerror(ENOMEM));
		return -1;
	}
	ev = parse_begin(tep, why, why_len);
	if (ev)
		err = gfp_names_from_event(g, ev);
	if (ev && err)
		snprintf(why, why_len, "%s",
			 err == -ENOENT ?
				 "its print fmt has no gfp flag table" :
				 strerror(-err));
	sym_tep_free(tep);
	return err ? -1 : 0;
}

int gfp_names_copy(struct gfp_names *dst, const struct gfp_names *src)
{
	size_t i;

	if (src->delim) {
		dst->delim = strdup(src->delim);
		if (!dst->delim)
			return -ENOMEM;
	}
	for (i = 0; i < src->nr; i++)
		if (gfp_names_add(dst, src->flags[i].mask, src->flags[i].name))
			return -ENOMEM;
	return 0;
}

void gfp_names_free(struct gfp_names *g)
{
	size_t i;

	for (i = 0; i < g->nr; i++)
		free(g->flags[i].name);
	free(g->flags);
	free(g->delim);
	*g = (struct gfp_names){ 0 };
}

/* Append s at *pos, truncating at len (buf stays terminated). */
static void put(char *buf, size_t len, size_t *pos, const char *s)
{
	size_t n = strlen(s);

	if (*pos + 1 >= len)
		return;
	if (n > len - 1 - *pos)
		n = len - 1 - *pos;
	memcpy(buf + *pos, s, n);
	*pos += n;
	buf[*pos] = '\0';
}

const char *gfp_format(const struct gfp_names *g, uint64_t flags, char *buf,
		       size_t len)
{
	const char *delim = g->delim ? g->delim : "|";
	bool printed = false;
	size_t pos = 0, i;
	char hex[24];

	buf[0] = '\0';
	if (!g->nr) {
		snprintf(buf, len, "0x%" PRIx64, flags);
		return buf;
	}
	/* show_gfp_flags(): (flags) ? __print_flags(...) : "none" */
	if (!flags) {
		put(buf, len, &pos, "none");
		return buf;
	}
	for (i = 0; i < g->nr; i++) {
		uint64_t m = g->flags[i].mask;

		if (!m || (flags & m) != m)
			continue;
		if (printed)
			put(buf, len, &pos, delim);
		put(buf, len, &pos, g->flags[i].name);
		printed = true;
		flags &= ~m;
	}
	if (flags) {
		if (printed)
			put(buf, len, &pos, delim);
		snprintf(hex, sizeof(hex), "0x%" PRIx64, flags);
		put(buf, len, &pos, hex);
	}
	return buf;
}
