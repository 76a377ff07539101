// SPDX-License-Identifier: GPL-2.0
/*
 * The memory.high handler's entry and return as dynamic events (--high):
 * a kprobe and a kretprobe named HIGH_ENTER_EVENT and HIGH_EXIT_EVENT in
 * the group drsnoop_<pidns>_<pid> (ftrace_owner.h), made with libtracefs's
 * dynamic event API and enabled in our instance only. Dynamic events are
 * global: they are destroyed on every exit path (ftrace_close(), which every
 * failure of ftrace_open() goes through), and a drsnoop that was SIGKILLed
 * leaves its group to the next one's ftrace_remove_stale_probes().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "ftrace_backend.h"
#include "ftrace_owner.h"
#include "src/sys/tracelibs.h"
#include "src/lib/util.h"

#define PROBE_TYPES (TRACEFS_DYNEVENT_KPROBE | TRACEFS_DYNEVENT_KRETPROBE)

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
	if (ftrace_owner_name(st->probe_group, sizeof(st->probe_group),
			      FTRACE_PROBE_PREFIX)) {
		snprintf(why, len, "cannot read our PID namespace: %s",
			 strerror(errno));
		st->probe_group[0] = '\0';
		return -1;
	}
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

/* A group whose owner has no instance left (ftrace_owner.h). */
static bool group_is_stale(int dir_fd, const char *group)
{
	char inst[64];
	struct stat sb;

	return ftrace_owner_rename(group, FTRACE_PROBE_PREFIX,
				   FTRACE_INSTANCE_PREFIX, inst,
				   sizeof(inst)) &&
	       fstatat(dir_fd, inst, &sb, 0) && errno == ENOENT;
}

void ftrace_remove_stale_probes(int dir_fd)
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
		if (group && group_is_stale(dir_fd, group) &&
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
