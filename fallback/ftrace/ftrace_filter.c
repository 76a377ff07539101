// SPDX-License-Identifier: GPL-2.0
/*
 * The ftrace backend's kernel-side filters: -t and -n as event filters,
 * -p as set_event_pid with event-fork, each checked to have been kept.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ftrace_backend.h"
#include "src/sys/tracelibs.h"

/* The first line of the kernel's error_log entry, without its timestamp. */
static void kernel_reason(struct ftrace_state *st, char *buf, size_t len)
{
	char *log = sym_tracefs_error_last(st->inst), *p;

	if (!log) {
		snprintf(buf, len, "%s", strerror(errno));
		return;
	}
	p = log;
	if (*p == '[' && strchr(p, ']'))
		p = strchr(p, ']') + 1;
	p += strspn(p, " ");
	snprintf(buf, len, "%.*s", (int)strcspn(p, "\n"), p);
	free(log);
}

/* A rejected filter leaves the event unfiltered: check that it was kept. */
static int apply_filter(struct ftrace_state *st, struct tep_event *ev,
			const char *filter, char *why, size_t len)
{
	size_t n = strlen(filter);
	char reason[256], *now;
	bool kept;

	if (sym_tracefs_event_filter_apply(st->inst, ev, filter) < 0) {
		kernel_reason(st, reason, sizeof(reason));
		snprintf(why, len,
			 "the kernel rejected the filter '%s' on "
			 "'%s:%s': %s",
			 filter, ev->system, ev->name, reason);
		return -1;
	}
	now = sym_tracefs_event_file_read(st->inst, ev->system, ev->name,
					  "filter", NULL);
	kept = now && !strncmp(now, filter, n) &&
	       (now[n] == '\n' || now[n] == '\0');
	free(now);
	if (!kept)
		snprintf(why, len,
			 "the kernel did not keep the filter '%s' on "
			 "'%s:%s'",
			 filter, ev->system, ev->name);
	return kept ? 0 : -1;
}

/* A name with glob characters would mean something else to the kernel. */
static bool name_is_literal(const char *name)
{
	return name[0] && !strpbrk(name, "*?[]\\\"");
}

/*
 * The compaction try and our memory.high probes take the filter; the
 * compaction zone events do not. They come after their try in the same
 * task (which the try's filter already selects), and those of other
 * tasks, kcompactd's and proactive compaction's, make the count of
 * background compactions, which stays right under -t and -n that way.
 * The tracker drops a zone event of a task with no attempt open.
 */
static int filter_extra(struct ftrace_state *st, const char *filter, char *why,
			size_t len)
{
	struct tep_event *try = st->dec.compact[COMPACT_EV_TRY];
	int i;

	if (try && apply_filter(st, try, filter, why, len))
		return -1;
	for (i = 0; i < HIGH_NR_EVENTS; i++)
		if (st->dec.high[i] &&
		    apply_filter(st, st->dec.high[i], filter, why, len))
			return -1;
	return 0;
}

/*
 * -t and -n become a filter on every event but the compaction zone
 * events (filter_extra()), evaluated in the task that
 * fires them. Raw events carry no tgid or uid, so -p goes through
 * set_event_pid (below) and -u stays in user space, in src/filter.c, which
 * sees every event anyway.
 */
int ftrace_filter_events(struct ftrace_state *st, char *why, size_t len)
{
	const struct dr_options *o = st->o;
	const struct ftrace_kind *k;
	char *filter = st->filter;
	int n = 0, kind;

	if (o->has_tid)
		n = snprintf(filter, sizeof(st->filter), "common_pid == %u",
			     o->tid);
	if (name_is_literal(o->name))
		snprintf(filter + n, sizeof(st->filter) - n,
			 "%scomm ~ \"*%s*\"", n ? " && " : "", o->name);
	if (!filter[0])
		return 0;
	if (o->debug)
		fprintf(stderr, "drsnoop: kernel event filter '%s'\n", filter);
	for (kind = 0; kind < VMSCAN_NR_KINDS; kind++) {
		k = &st->dec.kinds[kind];
		if (!k->begin)
			continue;
		if (apply_filter(st, k->begin, filter, why, len) ||
		    apply_filter(st, k->end, filter, why, len))
			return -1;
	}
	if (st->dec.throttle &&
	    apply_filter(st, st->dec.throttle, filter, why, len))
		return -1;
	return filter_extra(st, filter, why, len);
}

static bool pid_listed(const char *list, unsigned long tid)
{
	const char *p = list;
	char *end;

	while (p && *p) {
		if (strtoul(p, &end, 10) == tid && end != p)
			return true;
		if (end == p)
			break;
		p = end;
	}
	return false;
}

/* Append the threads of tgid that set_event_pid lacks; count them. */
static int add_threads(struct ftrace_state *st, uint32_t tgid, int *added)
{
	char path[32], num[24], *list;
	struct dirent *de;
	unsigned long tid;
	int err = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%u/task", tgid);
	dir = opendir(path);
	if (!dir)
		return -errno;
	list = sym_tracefs_instance_file_read(st->inst, "set_event_pid", NULL);
	*added = 0;
	while (!err && (de = readdir(dir))) {
		tid = strtoul(de->d_name, NULL, 10);
		if (!tid || pid_listed(list, tid))
			continue;
		snprintf(num, sizeof(num), "%lu ", tid);
		if (sym_tracefs_instance_file_append(st->inst, "set_event_pid",
						     num) < 0)
			err = -errno;
		else
			(*added)++;
	}
	free(list);
	closedir(dir);
	return err;
}

/*
 * -p TGID: the kernel cannot filter events on a tgid, but set_event_pid
 * with event-fork traces listed threads and every task they create from
 * then on. Threads created while we list them are caught by listing again
 * until nothing is missing. Children (other processes) pass too; the tgid
 * check in user space drops them.
 */
int ftrace_filter_process(struct ftrace_state *st, char *why, size_t len)
{
	char num[16];
	int err, added;

	if (!st->o->has_pid)
		return 0;
	if (sym_tracefs_option_enable(st->inst, TRACEFS_OPTION_EVENT_FORK)) {
		snprintf(why, len,
			 "cannot write '1' to '%s/options/event-fork': %s",
			 st->dir, strerror(errno));
		return -1;
	}
	do
		err = add_threads(st, st->o->pid, &added);
	while (!err && added);
	if (err == -ENOENT) {
		/* No such process (yet): an empty list would trace all. */
		snprintf(num, sizeof(num), "%u", st->o->pid);
		return ftrace_write_file(st, "set_event_pid", num, why, len);
	}
	if (err)
		snprintf(why, len,
			 "cannot write the threads of %u to "
			 "'%s/set_event_pid': %s",
			 st->o->pid, st->dir, strerror(-err));
	return err ? -1 : 0;
}
