// SPDX-License-Identifier: GPL-2.0
/*
 * The ftrace backend, for where BPF cannot run: a private tracefs instance
 * with only the two direct-reclaim events enabled (and with --memcg the
 * four memcg ones), its per-CPU raw buffers
 * polled, merged in timestamp order and paired per thread by src/pair.c.
 * It never touches the top-level buffer or the function tracer.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>
#include "backend.h"
#include "ftrace_decode.h"
#include "meminfo.h"
#include "pair.h"
#include "trace_clock.h"
#include "tracelibs.h"
#include "util.h"

#define TRACEFS_DIR	"/sys/kernel/tracing"
#define INSTANCE_PREFIX "drsnoop-"
/* CPUs' local clocks further apart than this skew latencies: use mono. */
#define MAX_CLOCK_SKEW_NS 20000ULL

/*
 * A record stamped before we start draining the buffers may still be
 * committing on another CPU; records younger than this are held for the
 * next round, which comes after HOLD_MS at the latest.
 */
#define COMMIT_SLACK_NS 1000000ULL
#define HOLD_MS		2

/* Who a thread was when last seen: for its last stall, if it exits at once. */
struct task_id {
	uint64_t cgroup_id;
	uint32_t tid;
	uint32_t pid;
	uint32_t uid;
	uint32_t fields;
	char comm[DR_COMM_LEN];
};

#define NR_TASK_IDS 256 /* direct-mapped by tid */

struct ftrace_cpu {
	struct tracefs_cpu *tcpu;
	int fd;
	int cpu;
	uint64_t lost_reported;
};

struct ftrace_state {
	struct dr_backend backend;
	const struct dr_options *o;
	const char *tracing_dir; /* libtracefs's, not to be freed */
	struct tracefs_instance *inst;
	char *dir; /* the instance's directory, for messages */
	bool owns_instance;
	struct ftrace_decoder dec;
	struct time_queue queue;
	struct dr_pairer pairer;
	struct ftrace_cpu *cpus;
	struct pollfd *pfds;
	int nr_cpus;
	void *subbuf;
	struct task_id *task_ids;
	struct trace_clock clock;
};

/* Where tracefs is mounted; mounted at TRACEFS_DIR when it is nowhere. */
static int find_tracefs(struct ftrace_state *st, char *why, size_t len)
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

static char *read_format(struct ftrace_state *st, const char *event, int *size,
			 char *why, size_t len)
{
	char file[128];

	snprintf(file, sizeof(file), "events/vmscan/%s/format", event);
	return read_top(st, file, size, why, len);
}

/* With --memcg, the formats of the memcg events too. */
static int read_memcg_formats(struct ftrace_state *st, struct ftrace_formats *f,
			      char *why, size_t len)
{
	int kind, i;

	if (!st->o->memcg)
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

static int load_decoder(struct ftrace_state *st, char *why, size_t len)
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
	if (f.end && !read_memcg_formats(st, &f, why, len))
		err = ftrace_decoder_init(&st->dec, &f, why, len);
	free(f.header_page);
	free(f.begin);
	free(f.end);
	for (i = 0; i < ARRAY_SIZE(f.memcg); i++)
		free(f.memcg[i]);
	return err;
}

/* drsnoop-<pid> whose pid is gone; our own pid's is a previous life's. */
static bool owner_is_dead(const char *name)
{
	const char *num = name + strlen(INSTANCE_PREFIX);
	char *end;
	long pid;

	if (strncmp(name, INSTANCE_PREFIX, strlen(INSTANCE_PREFIX)))
		return false;
	pid = strtol(num, &end, 10);
	if (end == num || *end || pid <= 0)
		return false;
	if (pid == getpid())
		return true;
	return kill(pid, 0) && errno == ESRCH;
}

static void remove_instance(const char *name)
{
	struct tracefs_instance *inst = sym_tracefs_instance_alloc(NULL, name);

	if (inst && sym_tracefs_instance_destroy(inst))
		fprintf(stderr,
			"drsnoop: cannot remove stale instance '%s': %s\n",
			name, strerror(errno));
	sym_tracefs_instance_free(inst);
}

/*
 * Instances left by a drsnoop that was SIGKILLed. A live owner is safe
 * twice over: its pid answers kill(0), and its open trace_pipe_raw files
 * make the kernel refuse the rmdir (EBUSY). The directory is read here
 * because tracefs_instances() of libtracefs 1.6 leaks its regex.
 */
static void remove_stale_instances(void)
{
	char *path = sym_tracefs_get_tracing_file("instances");
	DIR *dir = path ? opendir(path) : NULL;
	struct dirent *de;

	while (dir && (de = readdir(dir)))
		if (owner_is_dead(de->d_name))
			remove_instance(de->d_name);
	if (dir)
		closedir(dir);
	sym_tracefs_put_tracing_file(path);
}

static int create_instance(struct ftrace_state *st, char *why, size_t len)
{
	char name[32];

	snprintf(name, sizeof(name), INSTANCE_PREFIX "%d", getpid());
	st->inst = sym_tracefs_instance_create(name);
	if (!st->inst) {
		snprintf(why, len, "cannot create tracefs instance '%s': %s",
			 name, strerror(errno));
		return -1;
	}
	st->owns_instance = sym_tracefs_instance_is_new(st->inst);
	st->dir = sym_tracefs_instance_get_dir(st->inst);
	if (!st->owns_instance || !st->dir) {
		snprintf(why, len, "tracefs instance '%s' is in use", name);
		return -1;
	}
	return 0;
}

static int write_file(struct ftrace_state *st, const char *file,
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
 * done before.
 */
static int configure_instance(struct ftrace_state *st, char *why, size_t len)
{
	return write_file(st, "buffer_percent", "0", why, len);
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
static int set_clock(struct ftrace_state *st, char *why, size_t len)
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
	return write_file(st, "trace_clock", "mono", why, len);
}

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
			 "'vmscan:%s': %s",
			 filter, ev->name, reason);
		return -1;
	}
	now = sym_tracefs_event_file_read(st->inst, "vmscan", ev->name,
					  "filter", NULL);
	kept = now && !strncmp(now, filter, n) &&
	       (now[n] == '\n' || now[n] == '\0');
	free(now);
	if (!kept)
		snprintf(why, len,
			 "the kernel did not keep the filter '%s' on "
			 "'vmscan:%s'",
			 filter, ev->name);
	return kept ? 0 : -1;
}

/* A name with glob characters would mean something else to the kernel. */
static bool name_is_literal(const char *name)
{
	return name[0] && !strpbrk(name, "*?[]\\\"");
}

/*
 * -t and -n become a filter on both events, evaluated in the task that
 * fires them. Raw events carry no tgid or uid, so -p goes through
 * set_event_pid (below) and -u stays in user space, in src/filter.c, which
 * sees every event anyway.
 */
static int filter_events(struct ftrace_state *st, char *why, size_t len)
{
	const struct dr_options *o = st->o;
	const struct ftrace_kind *k;
	char filter[128] = "";
	int n = 0, kind;

	if (o->has_tid)
		n = snprintf(filter, sizeof(filter), "common_pid == %u",
			     o->tid);
	if (name_is_literal(o->name))
		snprintf(filter + n, sizeof(filter) - n, "%scomm ~ \"*%s*\"",
			 n ? " && " : "", o->name);
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
	return 0;
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
static int filter_process(struct ftrace_state *st, char *why, size_t len)
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
		return write_file(st, "set_event_pid", num, why, len);
	}
	if (err)
		snprintf(why, len,
			 "cannot write the threads of %u to "
			 "'%s/set_event_pid': %s",
			 st->o->pid, st->dir, strerror(-err));
	return err ? -1 : 0;
}

static int open_cpu(struct ftrace_state *st, int cpu, char *why, size_t len)
{
	struct ftrace_cpu *c = &st->cpus[st->nr_cpus];
	int size = ftrace_decoder_subbuf_size(&st->dec);
	char path[64];

	snprintf(path, sizeof(path), "per_cpu/cpu%d/trace_pipe_raw", cpu);
	/* An fd inherited by a child would make the rmdir fail (EBUSY). */
	c->fd = sym_tracefs_instance_file_open(
		st->inst, path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (c->fd < 0) {
		snprintf(why, len, "cannot open '%s/%s': %s", st->dir, path,
			 strerror(errno));
		return -1;
	}
	c->tcpu = sym_tracefs_cpu_alloc_fd(c->fd, size, true);
	if (!c->tcpu) {
		close(c->fd);
		snprintf(why, len, "%s", strerror(errno));
		return -1;
	}
	c->cpu = cpu;
	st->pfds[st->nr_cpus] =
		(struct pollfd){ .fd = c->fd, .events = POLLIN };
	st->nr_cpus++;
	return 0;
}

static int grow_cpus(struct ftrace_state *st)
{
	size_t n = st->nr_cpus + 1;
	struct ftrace_cpu *cpus = realloc(st->cpus, n * sizeof(*cpus));
	struct pollfd *pfds;

	if (!cpus)
		return -1;
	st->cpus = cpus;
	pfds = realloc(st->pfds, n * sizeof(*pfds));
	if (!pfds)
		return -1;
	st->pfds = pfds;
	return 0;
}

/* One reader per per_cpu/cpuN directory: exactly the kernel's buffers. */
static int open_cpus(struct ftrace_state *st, char *why, size_t len)
{
	char *path = sym_tracefs_instance_get_file(st->inst, "per_cpu");
	struct dirent *de;
	int cpu, err = 0;
	DIR *dir;

	dir = path ? opendir(path) : NULL;
	if (!dir) {
		snprintf(why, len, "cannot open '%s/per_cpu': %s", st->dir,
			 strerror(errno));
		sym_tracefs_put_tracing_file(path);
		return -1;
	}
	while (!err && (de = readdir(dir))) {
		if (sscanf(de->d_name, "cpu%d", &cpu) != 1)
			continue;
		err = grow_cpus(st);
		if (err)
			snprintf(why, len, "%s", strerror(ENOMEM));
		else
			err = open_cpu(st, cpu, why, len);
	}
	closedir(dir);
	sym_tracefs_put_tracing_file(path);
	st->subbuf = malloc(ftrace_decoder_subbuf_size(&st->dec));
	if (!err && !st->subbuf) {
		snprintf(why, len, "%s", strerror(ENOMEM));
		err = -1;
	}
	return err;
}

/* Its enable file, not tracefs_event_enable(), which stats every event. */
static int enable_event(struct ftrace_state *st, const char *event, char *why,
			size_t len)
{
	char file[128];

	snprintf(file, sizeof(file), "events/vmscan/%s/enable", event);
	if (sym_tracefs_instance_file_write(st->inst, file, "1") >= 0)
		return 0;
	snprintf(why, len, "cannot enable 'vmscan:%s' in '%s': %s", event,
		 st->dir, strerror(errno ? errno : ENOENT));
	return -1;
}

/* Direct reclaim's two events, and with --memcg the memcg kinds'. */
static int enable_events(struct ftrace_state *st, char *why, size_t len)
{
	int kind;

	for (kind = 0; kind < VMSCAN_NR_KINDS; kind++) {
		if (!st->dec.kinds[kind].begin)
			continue;
		if (enable_event(st, vmscan_begin_events[kind], why, len) ||
		    enable_event(st, vmscan_end_events[kind], why, len))
			return -1;
	}
	return 0;
}

static int setup(struct ftrace_state *st, char *why, size_t len)
{
	if (find_tracefs(st, why, len) || load_decoder(st, why, len))
		return -1;
	st->task_ids = calloc(NR_TASK_IDS, sizeof(*st->task_ids));
	if (!st->task_ids || pairer_init(&st->pairer)) {
		snprintf(why, len, "%s", strerror(ENOMEM));
		return -1;
	}
	remove_stale_instances();
	if (create_instance(st, why, len) || configure_instance(st, why, len))
		return -1;
	if (filter_events(st, why, len) || filter_process(st, why, len))
		return -1;
	/* Readers first: every event from enabling on is seen. */
	if (open_cpus(st, why, len) || set_clock(st, why, len))
		return -1;
	return enable_events(st, why, len);
}

static void close_cpus(struct ftrace_state *st)
{
	int i;

	for (i = 0; i < st->nr_cpus; i++) {
		sym_tracefs_cpu_free_fd(st->cpus[i].tcpu);
		close(st->cpus[i].fd);
	}
	st->nr_cpus = 0;
}

static void ftrace_close(struct dr_backend *b)
{
	struct ftrace_state *st = container_of(b, struct ftrace_state, backend);

	/* Open files of the instance would make its rmdir fail (EBUSY). */
	close_cpus(st);
	trace_clock_free(&st->clock);
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
	ftrace_decoder_free(&st->dec);
	time_queue_free(&st->queue);
	pairer_free(&st->pairer);
	free(st->task_ids);
	free(st->subbuf);
	free(st->pfds);
	free(st->cpus);
	free(st);
}

static struct dr_backend *ftrace_open(const struct dr_options *o,
				      struct dr_sink *sink, char *why,
				      size_t why_len)
{
	struct ftrace_state *st;

	(void)sink;
	if (tracelibs_load_tracefs(why, why_len))
		return NULL;
	sym_tracefs_set_loglevel(o->debug ? TEP_LOG_INFO : TEP_LOG_NONE);
	sym_tep_set_loglevel(o->debug ? TEP_LOG_INFO : TEP_LOG_NONE);
	st = calloc(1, sizeof(*st));
	if (!st) {
		snprintf(why, why_len, "%s", strerror(errno));
		return NULL;
	}
	st->o = o;
	trace_clock_init_mono(&st->clock);
	time_queue_init(&st->queue, sizeof(struct ftrace_rec));
	if (setup(st, why, why_len)) {
		ftrace_close(&st->backend);
		return NULL;
	}
	if (o->debug)
		fprintf(stderr, "drsnoop: tracing in '%s', %d CPU buffers\n",
			st->dir, st->nr_cpus);
	return &st->backend;
}

static bool read_text(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return true;
}

static void set_comm(struct dr_event *e, const char *comm)
{
	size_t n = strcspn(comm, "\n");

	if (n >= DR_COMM_LEN)
		n = DR_COMM_LEN - 1;
	memset(e->comm, 0, sizeof(e->comm));
	memcpy(e->comm, comm, n);
	e->fields |= DR_HAS_COMM;
}

/* The kernel's pid -> comm cache, for a task that has already exited. */
static void saved_comm(struct dr_event *e)
{
	char *list =
		sym_tracefs_instance_file_read(NULL, "saved_cmdlines", NULL);
	char *line, *next, *end;

	for (line = list; line && *line; line = next) {
		next = strchr(line, '\n');
		next = next ? next + 1 : line + strlen(line);
		if (strtoul(line, &end, 10) == e->tid && *end == ' ') {
			set_comm(e, end + 1);
			break;
		}
	}
	free(list);
}

/*
 * The task's cgroup (with --memcg or --cgroup), like its comm, from /proc
 * when the stall is read: a task that has moved since is in its new one.
 */
static void read_cgroup(struct ftrace_state *st, struct dr_event *e)
{
	char rel[DR_CGROUP_PATH_MAX];

	if (options_want_cgroup(st->o) &&
	    !cgroup_of_task(&st->o->cgroup_tree, e->tid, &e->cgroup_id, rel,
			    sizeof(rel)))
		e->fields |= DR_HAS_CGROUP;
}

static bool read_status(struct dr_event *e)
{
	char path[32], buf[2048], *p;

	snprintf(path, sizeof(path), "/proc/%u/comm", e->tid);
	if (!read_text(path, buf, sizeof(buf)))
		return false;
	set_comm(e, buf);
	snprintf(path, sizeof(path), "/proc/%u/status", e->tid);
	if (!read_text(path, buf, sizeof(buf)))
		return false;
	p = strstr(buf, "\nTgid:");
	if (p && sscanf(p, "\nTgid: %u", &e->pid) == 1)
		e->fields |= DR_HAS_PID;
	p = strstr(buf, "\nUid:");
	if (p && sscanf(p, "\nUid: %u", &e->uid) == 1)
		e->fields |= DR_HAS_UID;
	return true;
}

#define PF_EXITING 0x00000004 /* include/linux/sched.h */

/*
 * The task has begun to exit: the kernel sets PF_EXITING (in /proc's stat,
 * the ninth field, after the comm in parentheses) before it moves the task
 * to the root cgroup, and it stays set, zombie included.
 */
static bool task_exiting(uint32_t tid)
{
	char path[32], buf[512], *p;
	unsigned int flags;

	snprintf(path, sizeof(path), "/proc/%u/stat", tid);
	if (!read_text(path, buf, sizeof(buf)))
		return true;
	p = strrchr(buf, ')');
	if (!p || sscanf(p, ") %*c %*d %*d %*d %*d %*d %u", &flags) != 1)
		return true;
	return flags & PF_EXITING;
}

/*
 * Raw events carry only the thread id: comm, tgid, uid (and cgroup) come
 * from /proc when the stall is read, a few milliseconds after it ended, so
 * they are right for tasks that started after drsnoop did. A thread that has
 * exited by then is known from its earlier stalls, or else by its comm alone,
 * from the kernel's saved_cmdlines. An exiting one has been moved to the
 * root cgroup: its cgroup is that of its earlier stalls, or unknown.
 */
static void identify_task(struct ftrace_state *st, struct dr_event *e)
{
	const uint32_t known =
		DR_HAS_PID | DR_HAS_UID | DR_HAS_COMM | DR_HAS_CGROUP;
	struct task_id *t = &st->task_ids[e->tid % NR_TASK_IDS];

	if (read_status(e)) {
		read_cgroup(st, e);
		/* Checked after: a cgroup read before the exit began is its. */
		if (options_want_cgroup(st->o) && task_exiting(e->tid)) {
			e->fields &= ~DR_HAS_CGROUP;
			if (t->tid == e->tid && (t->fields & DR_HAS_CGROUP)) {
				e->cgroup_id = t->cgroup_id;
				e->fields |= DR_HAS_CGROUP;
			}
		}
		*t = (struct task_id){ .tid = e->tid,
				       .pid = e->pid,
				       .uid = e->uid,
				       .cgroup_id = e->cgroup_id,
				       .fields = e->fields & known };
		memcpy(t->comm, e->comm, sizeof(t->comm));
	} else if (t->tid == e->tid && t->fields) {
		e->pid = t->pid;
		e->uid = t->uid;
		e->cgroup_id = t->cgroup_id;
		e->fields |= t->fields;
		memcpy(e->comm, t->comm, sizeof(e->comm));
	} else {
		saved_comm(e);
	}
}

static int on_begin(struct ftrace_state *st, const struct ftrace_rec *r)
{
	struct dr_begin b = {
		.ts_ns = r->stamp.ts,
		.tid = r->tid,
		.order = r->order,
		.gfp_flags = r->value,
		.kind = r->kind,
		.has_gfp = true,
	};

	return pairer_begin(&st->pairer, &b);
}

static int on_end(struct ftrace_state *st, const struct ftrace_rec *r)
{
	struct dr_sink *sink = st->backend.sink;
	struct dr_event e;

	if (!pairer_end(&st->pairer, r->stamp.ts, r->tid, r->value, &e))
		return 0;
	e.begin_ns = trace_clock_to_mono(&st->clock, e.begin_ns);
	identify_task(st, &e);
	if (st->o->free_mem)
		meminfo_fill_free(&e);
	return sink->event(sink, &e);
}

/* Events overwritten on one CPU (or dropped), from its stats file. */
static uint64_t overrun(struct ftrace_state *st, const struct ftrace_cpu *c)
{
	unsigned long long over = 0, dropped = 0;
	char file[64], *stats, *p;

	snprintf(file, sizeof(file), "per_cpu/cpu%d/stats", c->cpu);
	stats = sym_tracefs_instance_file_read(st->inst, file, NULL);
	p = stats ? strstr(stats, "overrun:") : NULL;
	if (p)
		sscanf(p, "overrun: %llu", &over);
	p = stats ? strstr(stats, "dropped events:") : NULL;
	if (p)
		sscanf(p, "dropped events: %llu", &dropped);
	free(stats);
	return over + dropped;
}

/*
 * A pending begin may have lost its end: forget them all rather than pair
 * one with a later end. The page says how many events were lost, or only
 * that some were; then the CPU's stats file gives the count.
 */
static void on_lost(struct ftrace_state *st, const struct ftrace_rec *r)
{
	struct dr_sink *sink = st->backend.sink;
	struct ftrace_cpu *c = &st->cpus[r->cpu];
	uint64_t n = r->value, total;

	if (!n) {
		total = overrun(st, c);
		n = total > c->lost_reported ? total - c->lost_reported : 1;
	}
	c->lost_reported += n;
	sink->lost(sink, n);
	pairer_reset(&st->pairer);
}

static int deliver(const void *rec, void *ctx)
{
	const struct ftrace_rec *r = rec;
	struct ftrace_state *st = ctx;

	switch (r->type) {
	case FTRACE_REC_BEGIN:
		return on_begin(st, r);
	case FTRACE_REC_END:
		return on_end(st, r);
	}
	on_lost(st, r);
	return 0;
}

static int drain_cpu(struct ftrace_state *st, int i)
{
	struct tracefs_cpu *tcpu = st->cpus[i].tcpu;
	int n, err;

	while ((n = sym_tracefs_cpu_read(tcpu, st->subbuf, true)) > 0) {
		err = ftrace_decode_subbuf(&st->dec, st->subbuf, i, &st->queue);
		if (err)
			return err;
	}
	return n < 0 ? -errno : 0;
}

/*
 * Wait for any CPU buffer to have data, then read them all. Everything
 * stamped before the reading started is then in hand and is delivered in
 * timestamp order; younger records wait for the next round. A zero
 * timeout is the final drain: deliver everything.
 */
static int ftrace_poll(struct dr_backend *b, int timeout_ms)
{
	struct ftrace_state *st = container_of(b, struct ftrace_state, backend);
	uint64_t upto = UINT64_MAX, now;
	int i, err;

	if (timeout_ms) {
		if (st->queue.nr && timeout_ms > HOLD_MS)
			timeout_ms = HOLD_MS;
		if (poll(st->pfds, st->nr_cpus, timeout_ms) < 0)
			return -errno;
		now = mono_ns();
		err = trace_clock_renew(&st->clock, now);
		if (err)
			return err;
		upto = trace_clock_from_mono(&st->clock, now) - COMMIT_SLACK_NS;
	}
	for (i = 0; i < st->nr_cpus; i++) {
		err = drain_cpu(st, i);
		if (err)
			return err;
	}
	return time_queue_flush(&st->queue, upto, deliver, st);
}

const struct dr_backend_ops ftrace_backend = {
	.name = "ftrace",
	.open = ftrace_open,
	.poll = ftrace_poll,
	.close = ftrace_close,
};
