// SPDX-License-Identifier: GPL-2.0
/*
 * The ftrace backend's tracefs instance, from birth to removal: finding
 * tracefs, reading the vmscan event formats, removing instances that a
 * killed drsnoop left (in any PID namespace: ftrace_owner.h), creating
 * and configuring our own (its trace clock, the stack trigger and option,
 * the enabled events), and destroying it, which removes the trigger and
 * option with it. It never touches the
 * top-level buffer or the function tracer.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ftrace_backend.h"
#include "ftrace_owner.h"
#include "src/sys/tracelibs.h"
#include "src/lib/util.h"

#define TRACEFS_DIR "/sys/kernel/tracing"
/* CPUs' local clocks further apart than this skew latencies: use mono. */
#define MAX_CLOCK_SKEW_NS 20000ULL

/* Where tracefs is mounted; mounted at TRACEFS_DIR when it is nowhere. */
int ftrace_find_tracefs(struct ftrace_state *st, char *why, size_t len)
{
	st->tracing_dir = sym_tracefs_tracing_dir();
	if (st->tracing_dir)
		return 0;
	/* libtracefs tried to mount it and failed: find out why. */
	if (mount("nodev", TRACEFS_DIR, "tracefs", 0, NULL)) {
		snprintf(why, len, "cannot mount tracefs on '%s': %s",
			 TRACEFS_DIR, strerror(errno));
		return -1;
	}
	st->tracing_dir = sym_tracefs_tracing_dir();
	return st->tracing_dir ? 0 : -1;
}

static char *read_top(struct ftrace_state *st, const char *file, int *size,
		      char *why, size_t len)
{
	char *buf = sym_tracefs_instance_file_read(NULL, file, size);

	if (!buf)
		snprintf(why, len, "cannot read '%s/%s': %s", st->tracing_dir,
			 file, strerror(errno ? errno : ENOENT));
	return buf;
}

static char *read_sys_format(struct ftrace_state *st, const char *sys,
			     const char *event, int *size, char *why,
			     size_t len)
{
	char file[128];

	snprintf(file, sizeof(file), "events/%s/%s/format", sys, event);
	return read_top(st, file, size, why, len);
}

static char *read_format(struct ftrace_state *st, const char *event, int *size,
			 char *why, size_t len)
{
	return read_sys_format(st, "vmscan", event, size, why, len);
}

/*
 * With -K, ftrace's kernel_stack format, which the stacktrace trigger
 * needs; with --user-stack, user_stack's, unless the kernel has none
 * (user stacks are then left out, see enable_stacks()).
 */
static int read_stack_formats(struct ftrace_state *st, struct ftrace_formats *f,
			      char *why, size_t len)
{
	const char *ustack = "events/ftrace/user_stack/format";

	if (st->o->kernel_stack) {
		f->stacks[PAIR_KSTACK] =
			read_top(st, "events/ftrace/kernel_stack/format",
				 &f->stacks_len[PAIR_KSTACK], why, len);
		if (!f->stacks[PAIR_KSTACK])
			return -1;
	}
	if (st->o->user_stack)
		f->stacks[PAIR_USTACK] = sym_tracefs_instance_file_read(
			NULL, ustack, &f->stacks_len[PAIR_USTACK]);
	return 0;
}

/*
 * With --memcg, the formats of the memcg events too; with our memory.high
 * probes as well, for the reclaims inside the handler (their own lines
 * only show with --memcg: the filter drops the kinds not asked for).
 */
static int read_memcg_formats(struct ftrace_state *st, struct ftrace_formats *f,
			      char *why, size_t len)
{
	int kind, i;

	if (!st->o->memcg && !st->probe_group[0])
		return 0;
	for (kind = 1; kind < VMSCAN_NR_KINDS; kind++) {
		i = 2 * kind - 2;
		f->memcg[i] = read_format(st, vmscan_begin_events[kind],
					  &f->memcg_len[i], why, len);
		f->memcg[i + 1] = read_format(st, vmscan_end_events[kind],
					      &f->memcg_len[i + 1], why, len);
		if (!f->memcg[i] || !f->memcg[i + 1])
			return -1;
	}
	return 0;
}

/*
 * A kind asked for that this kernel cannot show: with --all a note (the
 * sink's untraced()) and the rest is traced; else an error, why.
 */
static int untraced_with_all(struct ftrace_state *st, uint32_t kind,
			     const char *why)
{
	struct dr_sink *sink = st->backend.sink;

	if (!st->o->all || !sink || !sink->untraced)
		return -1;
	sink->untraced(sink, kind, why);
	return 0;
}

/*
 * With --throttle, the throttle event's format: a kernel before 5.16 has
 * none, and says so.
 */
static int read_throttle_format(struct ftrace_state *st,
				struct ftrace_formats *f, char *why, size_t len)
{
	if (!st->o->throttle)
		return 0;
	f->throttle = read_format(st, VMSCAN_THROTTLE_EVENT, &f->throttle_len,
				  why, len);
	if (f->throttle)
		return 0;
	snprintf(why, len,
		 "this kernel has no event 'vmscan:%s' (Linux 5.16 and later "
		 "have it)",
		 VMSCAN_THROTTLE_EVENT);
	return untraced_with_all(st, DR_KIND_THROTTLE, why);
}

/*
 * With --compaction, the formats of the compaction events: a kernel built
 * without CONFIG_COMPACTION has none.
 */
static int read_compact_formats(struct ftrace_state *st,
				struct ftrace_formats *f, char *why, size_t len)
{
	int i;

	if (!st->o->compaction)
		return 0;
	for (i = 0; i < COMPACT_NR_EVENTS; i++) {
		f->compact[i] =
			read_sys_format(st, COMPACT_SYSTEM, compact_events[i],
					&f->compact_len[i], why, len);
		if (f->compact[i])
			continue;
		snprintf(why, len, "this kernel has no event '%s:%s'",
			 COMPACT_SYSTEM, compact_events[i]);
		for (i--; i >= 0; i--) {
			free(f->compact[i]);
			f->compact[i] = NULL;
		}
		return untraced_with_all(st, DR_KIND_COMPACT, why);
	}
	return 0;
}

/* Our memory.high probes' formats, when ftrace_create_probes() made them. */
static int read_high_formats(struct ftrace_state *st, struct ftrace_formats *f,
			     char *why, size_t len)
{
	int i;

	if (!st->probe_group[0])
		return 0;
	f->high_system = st->probe_group;
	for (i = 0; i < HIGH_NR_EVENTS; i++) {
		f->high[i] =
			read_sys_format(st, st->probe_group, high_events[i],
					&f->high_len[i], why, len);
		if (!f->high[i])
			return -1;
	}
	return 0;
}

int ftrace_load_decoder(struct ftrace_state *st, char *why, size_t len)
{
	struct ftrace_formats f = { 0 };
	int err = -1;
	size_t i;

	f.header_page =
		read_top(st, "events/header_page", &f.header_len, why, len);
	if (f.header_page)
		f.begin = read_format(st, vmscan_begin_events[0], &f.begin_len,
				      why, len);
	if (f.begin)
		f.end = read_format(st, vmscan_end_events[0], &f.end_len, why,
				    len);
	if (f.end && !read_memcg_formats(st, &f, why, len) &&
	    !read_throttle_format(st, &f, why, len) &&
	    !read_compact_formats(st, &f, why, len) &&
	    !read_high_formats(st, &f, why, len) &&
	    !read_stack_formats(st, &f, why, len))
		err = ftrace_decoder_init(&st->dec, &f, why, len);
	free(f.header_page);
	free(f.begin);
	free(f.end);
	free(f.throttle);
	for (i = 0; i < ARRAY_SIZE(f.compact); i++)
		free(f.compact[i]);
	for (i = 0; i < ARRAY_SIZE(f.high); i++)
		free(f.high[i]);
	for (i = 0; i < ARRAY_SIZE(f.memcg); i++)
		free(f.memcg[i]);
	for (i = 0; i < ARRAY_SIZE(f.stacks); i++)
		free(f.stacks[i]);
	return err;
}

/*
 * Instances left by a drsnoop that was SIGKILLed, in any PID namespace:
 * those whose owner's lock we can take (ftrace_owner.h). A live owner is
 * safe twice over: it holds its lock, and once it has opened its
 * trace_pipe_raw files the kernel refuses the rmdir (EBUSY).
 */
static void remove_stale_instances(int dir_fd)
{
	DIR *dir = fdopendir(dup(dir_fd));
	struct dirent *de;
	int fd;

	while (dir && (de = readdir(dir))) {
		if (!ftrace_owner_named(de->d_name, FTRACE_INSTANCE_PREFIX))
			continue;
		fd = ftrace_owner_hold(dir_fd, de->d_name);
		if (fd < 0)
			continue;
		close(fd);
		if (unlinkat(dir_fd, de->d_name, AT_REMOVEDIR))
			fprintf(stderr,
				"drsnoop: cannot remove stale instance '%s': "
				"%s\n",
				de->d_name, strerror(errno));
	}
	if (dir)
		closedir(dir);
}

/* Ours, new, held; st->owner_fd, or -1 with why. */
static int create_instance(struct ftrace_state *st, int dir_fd, char *why,
			   size_t len)
{
	char name[48];

	if (ftrace_owner_name(name, sizeof(name), FTRACE_INSTANCE_PREFIX)) {
		snprintf(why, len, "cannot read our PID namespace: %s",
			 strerror(errno));
		return -1;
	}
	st->inst = sym_tracefs_instance_create(name);
	if (!st->inst) {
		snprintf(why, len, "cannot create tracefs instance '%s': %s",
			 name, strerror(errno));
		return -1;
	}
	st->owns_instance = sym_tracefs_instance_is_new(st->inst);
	st->dir = sym_tracefs_instance_get_dir(st->inst);
	if (st->owns_instance && st->dir)
		st->owner_fd = ftrace_owner_hold(dir_fd, name);
	if (st->owner_fd < 0) {
		snprintf(why, len, "tracefs instance '%s' is in use", name);
		return -1;
	}
	return 0;
}

/*
 * Under the instances directory's lock, which every drsnoop takes here:
 * the stale instances and probe groups go, and ours is made and held. The
 * directory is read here because tracefs_instances() of libtracefs 1.6
 * leaks its regex.
 */
int ftrace_claim_instance(struct ftrace_state *st, char *why, size_t len)
{
	char *path = sym_tracefs_get_tracing_file("instances");
	int dir_fd = -1, err = -1;

	if (path)
		dir_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir_fd < 0 || flock(dir_fd, LOCK_EX)) {
		snprintf(why, len, "cannot lock '%s': %s",
			 path ? path : "instances", strerror(errno));
	} else {
		remove_stale_instances(dir_fd);
		ftrace_remove_stale_probes(dir_fd);
		err = create_instance(st, dir_fd, why, len);
	}
	if (dir_fd >= 0)
		close(dir_fd);
	sym_tracefs_put_tracing_file(path);
	return err;
}

int ftrace_write_file(struct ftrace_state *st, const char *file,
		      const char *value, char *why, size_t len)
{
	if (sym_tracefs_instance_file_write(st->inst, file, value) >= 0)
		return 0;
	snprintf(why, len, "cannot write '%s' to '%s/%s': %s", value, st->dir,
		 file, strerror(errno));
	return -1;
}

/*
 * The buffer is read as soon as anything is in it. It keeps the size mkdir
 * gave it, the kernel's default (trace-cmd's too): the kernel stops
 * tracing in the instance while it resizes the buffer, ~15 ms here, which
 * would lose stalls silently once tracing, and would delay the start if
 * done before. It overwrites when full, whatever the top level's option
 * (which a new instance inherits): only then is each loss flagged in the
 * buffer, where the reader meets it in order, rather than only counted.
 * Kernels before 5.16 make buffer_percent 0444, which root without
 * CAP_DAC_OVERRIDE (drsnoop.service) cannot write: the reader then wakes
 * at its poll's timeout, not at the first record.
 */
int ftrace_configure_instance(struct ftrace_state *st, char *why, size_t len)
{
	char path[PATH_MAX];
	struct stat sb;

	if (ftrace_write_file(st, "options/overwrite", "1", why, len))
		return -1;
	if (!ftrace_write_file(st, "buffer_percent", "0", why, len))
		return 0;
	/* libtracefs's errno says EINVAL then: the mode says why. */
	snprintf(path, sizeof(path), "%s/buffer_percent", st->dir);
	if (stat(path, &sb) || sb.st_mode & 0222)
		return -1;
	if (st->o->debug)
		fprintf(stderr,
			"drsnoop: '%s' is read-only (mode 0%o): the "
			"buffers are read at each poll's timeout\n",
			path, sb.st_mode & 07777);
	why[0] = '\0';
	return 0;
}

/* The local clock's offset to CLOCK_MONOTONIC, if the CPUs agree on it. */
static int sync_local_clock(struct ftrace_state *st, uint64_t *skew)
{
	char file[64];
	int *cpus, i, fd, err;

	if (!st->nr_cpus)
		return -ENODEV;
	cpus = calloc(st->nr_cpus, sizeof(*cpus));
	if (!cpus)
		return -ENOMEM;
	for (i = 0; i < st->nr_cpus; i++)
		cpus[i] = st->cpus[i].cpu;
	snprintf(file, sizeof(file), "per_cpu/cpu%d/stats", cpus[0]);
	fd = sym_tracefs_instance_file_open(st->inst, file,
					    O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		err = -errno;
	else
		err = trace_clock_sync(&st->clock, fd, cpus, st->nr_cpus,
				       MAX_CLOCK_SKEW_NS, skew);
	free(cpus);
	return err;
}

/*
 * Events are reported in CLOCK_MONOTONIC time, that of bpf_ktime_get_ns().
 * The default local clock serves when the CPUs' clocks agree (see
 * trace_clock.c); otherwise the instance is set to mono, which resets its
 * buffer (before any event is enabled) and costs 20-40 ms.
 */
int ftrace_set_clock(struct ftrace_state *st, char *why, size_t len)
{
	const char *forced = getenv("DRSNOOP_FTRACE_CLOCK");
	uint64_t skew = 0;
	int err;

	if (forced && !strcmp(forced, "mono"))
		err = -EPERM;
	else
		err = sync_local_clock(st, &skew);

	if (!err) {
		if (st->o->debug)
			fprintf(stderr,
				"drsnoop: trace clock local, CPUs within "
				"%" PRIu64 " ns, %+" PRId64 " ns to mono\n",
				skew, st->clock.offset);
		return 0;
	}
	if (st->o->debug)
		fprintf(stderr, "drsnoop: trace clock mono: local clock %s\n",
			err == -EXDEV ? "differs across CPUs" :
			err == -EPERM ? "not wanted (DRSNOOP_FTRACE_CLOCK)" :
					strerror(-err));
	trace_clock_free(&st->clock);
	trace_clock_init_mono(&st->clock);
	return ftrace_write_file(st, "trace_clock", "mono", why, len);
}

/* Its enable file, not tracefs_event_enable(), which stats every event. */
static int enable_sys_event(struct ftrace_state *st, const char *sys,
			    const char *event, char *why, size_t len)
{
	char file[128];

	snprintf(file, sizeof(file), "events/%s/%s/enable", sys, event);
	if (sym_tracefs_instance_file_write(st->inst, file, "1") >= 0)
		return 0;
	snprintf(why, len, "cannot enable '%s:%s' in '%s': %s", sys, event,
		 st->dir, strerror(errno ? errno : ENOENT));
	return -1;
}

static int enable_event(struct ftrace_state *st, const char *event, char *why,
			size_t len)
{
	return enable_sys_event(st, "vmscan", event, why, len);
}

/*
 * -K: a stacktrace trigger on the begin of each traced kind, which writes
 * a kernel_stack event right after the begin (ftrace_stack.h). Its
 * condition is the events' filter: without one it would fire for the
 * begins the filter drops too.
 */
static int set_sys_trigger(struct ftrace_state *st, const char *sys,
			   const char *event, char *why, size_t len)
{
	char file[128], trigger[sizeof(st->filter) + 16];

	snprintf(file, sizeof(file), "events/%s/%s/trigger", sys, event);
	snprintf(trigger, sizeof(trigger), "stacktrace%s%s",
		 st->filter[0] ? " if " : "", st->filter);
	return ftrace_write_file(st, file, trigger, why, len);
}

static int set_trigger(struct ftrace_state *st, int kind, char *why, size_t len)
{
	return set_sys_trigger(st, "vmscan", vmscan_begin_events[kind], why,
			       len);
}

/*
 * With --compaction, its events (with -K, the try's stack first); with
 * --high, our probes.
 */
static int enable_extra(struct ftrace_state *st, char *why, size_t len)
{
	int i;

	if (st->o->kernel_stack && st->dec.compact[COMPACT_EV_TRY] &&
	    set_sys_trigger(st, COMPACT_SYSTEM, compact_events[COMPACT_EV_TRY],
			    why, len))
		return -1;
	for (i = 0; i < COMPACT_NR_EVENTS; i++)
		if (st->dec.compact[i] &&
		    enable_sys_event(st, COMPACT_SYSTEM, compact_events[i], why,
				     len))
			return -1;
	for (i = 0; i < HIGH_NR_EVENTS; i++)
		if (st->dec.high[i] &&
		    enable_sys_event(st, st->probe_group, high_events[i], why,
				     len))
			return -1;
	return 0;
}

/*
 * --user-stack: the instance's userstacktrace option writes a user_stack
 * event after every event (the ends' are dropped). Kernels have no
 * userstacktrace trigger (only stacktrace), and some no user stacks at
 * all: then stalls come without them, as stderr says once.
 */
static void set_user_stacks(struct ftrace_state *st)
{
	const char *reason = NULL;

	if (!st->dec.events.stack_fields.caller[PAIR_USTACK])
		reason = "it has no ftrace:user_stack event";
	else if (sym_tracefs_option_enable(st->inst,
					   TRACEFS_OPTION_USERSTACKTRACE))
		reason = strerror(errno ? errno : ENOENT);
	if (reason)
		fprintf(stderr,
			"drsnoop: this kernel's ftrace gives no user stacks "
			"(%s): stalls have none on the ftrace backend\n",
			reason);
}

/*
 * Direct reclaim's two events, with --memcg (or --high) the memcg kinds',
 * with --throttle the throttle event, and the extra kinds' events.
 */
int ftrace_enable_events(struct ftrace_state *st, char *why, size_t len)
{
	int kind;

	if (st->o->user_stack)
		set_user_stacks(st);
	for (kind = 0; kind < VMSCAN_NR_KINDS; kind++) {
		if (st->o->kernel_stack && st->dec.kinds[kind].begin &&
		    set_trigger(st, kind, why, len))
			return -1;
	}
	for (kind = 0; kind < VMSCAN_NR_KINDS; kind++) {
		if (!st->dec.kinds[kind].begin)
			continue;
		if (enable_event(st, vmscan_begin_events[kind], why, len) ||
		    enable_event(st, vmscan_end_events[kind], why, len))
			return -1;
	}
	if (st->dec.throttle &&
	    enable_event(st, VMSCAN_THROTTLE_EVENT, why, len))
		return -1;
	return enable_extra(st, why, len);
}

void ftrace_destroy_instance(struct ftrace_state *st)
{
	size_t i;

	if (st->owns_instance) {
		sym_tracefs_trace_off(st->inst);
		if (sym_tracefs_instance_destroy(st->inst))
			fprintf(stderr,
				"drsnoop: cannot remove tracefs instance "
				"'%s': %s\n",
				st->dir, strerror(errno));
	}
	sym_tracefs_instance_free(st->inst);
	sym_tracefs_put_tracing_file(st->dir);
	for (i = 0; i < ARRAY_SIZE(st->close_writes); i++)
		sym_tracefs_put_tracing_file(st->close_writes[i]);
	/* Not before: an instance that enables a probe keeps it busy. */
	ftrace_destroy_probes(st);
	/* Our probes' owner until they are gone too. */
	if (st->owner_fd >= 0)
		close(st->owner_fd);
}

/*
 * The instances directory, where ours is removed; with probes, the files
 * that remove them (whichever of the two libtracefs finds).
 */
static const char *const close_files[] = { "instances", "dynamic_events",
					   "kprobe_events" };

int ftrace_list_writes(struct ftrace_state *st)
{
	struct confine_path *w = st->backend.writes;
	size_t i, n = 0;
	struct stat sb;
	char *path;

	w[n++] = (struct confine_path){ st->dir, CONFINE_WRITE };
	for (i = 0; i < ARRAY_SIZE(close_files); i++) {
		if (i && !st->probe_group[0])
			break;
		path = sym_tracefs_get_tracing_file(close_files[i]);
		if (!path)
			return -1;
		st->close_writes[i] = path;
		/* Not access(): as nobody, it drops CAP_DAC_OVERRIDE. */
		if (!stat(path, &sb))
			w[n++] = (struct confine_path){ path,
							i ? CONFINE_WRITE :
							    CONFINE_RMDIRS };
	}
	return 0;
}
