// SPDX-License-Identifier: GPL-2.0
/*
 * The memory.high handler's entry and return as dynamic events (--high):
 * a kprobe and a kretprobe named HIGH_ENTER_EVENT and HIGH_EXIT_EVENT in
 * the group drsnoop_<pid>, made with libtracefs's dynamic event API and
 * enabled in our instance only. Dynamic events are global: they are
 * destroyed on every exit path (ftrace_close(), which every failure of
 * ftrace_open() goes through), and a drsnoop that was SIGKILLed leaves
 * its group to the next one's ftrace_remove_stale_probes().
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ftrace_backend.h"
#include "src/sys/tracelibs.h"
#include "src/lib/util.h"

#define PROBE_PREFIX "drsnoop_"
#define PROBE_TYPES  (TRACEFS_DYNEVENT_KPROBE | TRACEFS_DYNEVENT_KRETPROBE)

/*
 * The handler: __mem_cgroup_handle_over_high() in newer kernels (where
 * mem_cgroup_handle_over_high() is an inline that calls it), and
 * mem_cgroup_handle_over_high() itself in older ones. The first that the
 * kernel lets us probe is the one.
 */
static const char *const handlers[] = {
	"__mem_cgroup_handle_over_high",
	"mem_cgroup_handle_over_high",
};

static bool has_kprobe_events(void)
{
	char *path = sym_tracefs_get_tracing_file("kprobe_events");
	bool ok = path && !access(path, W_OK);

	sym_tracefs_put_tracing_file(path);
	return ok;
}

static void free_probes(struct ftrace_state *st)
{
	int i;

	for (i = 0; i < HIGH_NR_EVENTS; i++) {
		if (st->probes[i])
			sym_tracefs_dynevent_free(st->probes[i]);
		st->probes[i] = NULL;
	}
}

/* Both probes on fn; false (none left) when the kernel refuses one. */
static bool probe_function(struct ftrace_state *st, const char *fn)
{
	st->probes[0] = sym_tracefs_kprobe_alloc(st->probe_group,
						 HIGH_ENTER_EVENT, fn, NULL);
	st->probes[1] = sym_tracefs_kretprobe_alloc(
		st->probe_group, HIGH_EXIT_EVENT, fn, NULL, 0);
	if (!st->probes[0] || !st->probes[1])
		goto out_free;
	if (sym_tracefs_dynevent_create(st->probes[0]))
		goto out_free;
	if (!sym_tracefs_dynevent_create(st->probes[1]))
		return true;
	sym_tracefs_dynevent_destroy(st->probes[0], true);
out_free:
	free_probes(st);
	return false;
}

int ftrace_create_probes(struct ftrace_state *st, char *why, size_t len)
{
	struct dr_sink *sink = st->backend.sink;
	char reason[160];
	size_t i;
	int err = 0;

	if (!st->o->high)
		return 0;
	if (!has_kprobe_events()) {
		if (sink && sink->untraced)
			sink->untraced(sink, DR_KIND_HIGH,
				       "this kernel has no kprobe events");
		return 0;
	}
	snprintf(st->probe_group, sizeof(st->probe_group), PROBE_PREFIX "%d",
		 getpid());
	for (i = 0; i < ARRAY_SIZE(handlers); i++) {
		errno = 0;
		if (probe_function(st, handlers[i]))
			return 0;
		if (!err)
			err = errno ? errno : ENOENT;
	}
	st->probe_group[0] = '\0';
	snprintf(reason, sizeof(reason),
		 "cannot probe '%s' or '%s' with kprobe events: %s",
		 handlers[0], handlers[1], strerror(err));
	if (sink && sink->untraced)
		sink->untraced(sink, DR_KIND_HIGH, reason);
	(void)why;
	(void)len;
	return 0;
}

void ftrace_destroy_probes(struct ftrace_state *st)
{
	int i;

	for (i = HIGH_NR_EVENTS - 1; i >= 0; i--)
		if (st->probes[i] &&
		    sym_tracefs_dynevent_destroy(st->probes[i], true))
			fprintf(stderr,
				"drsnoop: cannot remove kprobe event '%s/%s': "
				"%s\n",
				st->probe_group, high_events[i],
				strerror(errno));
	free_probes(st);
}

/* drsnoop_<pid> whose pid is gone (or is ours: a previous life's). */
static bool group_is_stale(const char *group)
{
	const char *num = group + strlen(PROBE_PREFIX);
	char *end;
	long pid;

	if (strncmp(group, PROBE_PREFIX, strlen(PROBE_PREFIX)))
		return false;
	pid = strtol(num, &end, 10);
	if (end == num || *end || pid <= 0)
		return false;
	return pid == getpid() || (kill(pid, 0) && errno == ESRCH);
}

void ftrace_remove_stale_probes(void)
{
	struct tracefs_dynevent **all, **ev;
	char *group, *event;

	if (!has_kprobe_events())
		return;
	all = sym_tracefs_dynevent_get_all(PROBE_TYPES, NULL);
	for (ev = all; ev && *ev; ev++) {
		group = event = NULL;
		sym_tracefs_dynevent_info(*ev, &group, &event, NULL, NULL,
					  NULL);
		if (group && group_is_stale(group) &&
		    sym_tracefs_dynevent_destroy(*ev, true))
			fprintf(stderr,
				"drsnoop: cannot remove stale kprobe event "
				"'%s/%s': %s\n",
				group, event ? event : "?", strerror(errno));
		free(group);
		free(event);
	}
	if (all)
		sym_tracefs_dynevent_list_free(all);
}
