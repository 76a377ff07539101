// SPDX-License-Identifier: GPL-2.0
/*
 * The BPF backend's ops: one of the two BPF objects built into drsnoop
 * (drsnoop_fast.bpf.c, else drsnoop.bpf.c with tp_btf, raw_tp or classic
 * tracepoint programs) loaded by bpf_load.c, and the stalls it sends read
 * from a ring buffer, else a perf buffer.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/btf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "src/core/backend.h"
#include "src/sys/meminfo.h"
#include "src/lib/util.h"
#include "bpf_hooks.h"
#include "bpf_load.h"

#define PERF_BUFFER_PAGES 64
#define VMLINUX_BTF	  "/sys/kernel/btf/vmlinux"

_Static_assert(DRSNOOP_COMPACT_QUIET_NS == COMPACT_QUIET_NS,
	       "the BPF side ends a quiet attempt as the tracker does");

static int print_libbpf(enum libbpf_print_level level, const char *fmt,
			va_list args)
{
	(void)level;
	return vfprintf(stderr, fmt, args);
}

/* What every record of the BPF side says of its task; the uid if asked. */
static uint32_t task_fields(const struct bpf_backend_state *st)
{
	return DR_HAS_PID | DR_HAS_COMM |
	       (options_want_uid(st->o) ? DR_HAS_UID : 0);
}

static void to_dr_event(const struct bpf_backend_state *st,
			const struct drsnoop_event *in, struct dr_event *e)
{
	*e = (struct dr_event){
		.begin_ns = in->begin_ns,
		.lat_ns = in->lat_ns,
		.nr_reclaimed = in->nr_reclaimed,
		.pid = in->pid,
		.tid = in->tid,
		.uid = in->uid,
		.kind = in->kind,
		.reason = in->reason,
		.fields = task_fields(st),
	};
	memcpy(e->comm, in->comm, sizeof(e->comm));
	if (in->flags & DRSNOOP_F_FREE) {
		e->free_pages = in->free_pages;
		e->fields |= DR_HAS_FREE;
	}
	if (in->flags & DRSNOOP_F_CGROUP) {
		e->cgroup_id = in->cgroup_id;
		e->fields |= DR_HAS_CGROUP;
	}
	if (in->flags & DRSNOOP_F_CGROUP_CHECKED)
		e->fields |= DR_CGROUP_CHECKED;
	if (in->flags & DRSNOOP_F_NESTED) {
		e->outer_kind = in->outer_kind;
		e->fields |= DR_NESTED;
	}
	if (in->flags & DRSNOOP_F_OUTCOME)
		e->fields |= DR_HAS_OUTCOME;
	if (in->flags & DRSNOOP_F_GOT_PAGE)
		e->fields |= DR_GOT_PAGE;
	if (in->flags & DRSNOOP_F_GFP) {
		e->order = in->order;
		e->gfp_flags = in->gfp_flags;
		e->fields |= DR_HAS_ORDER | DR_HAS_GFP;
	}
}

/*
 * A drsnoop_stack_event's frames: kernel_bytes then user_bytes of
 * addresses after its header, as many as the record holds.
 */
static void to_stacks(struct bpf_backend_state *st, const void *data,
		      size_t size, uint32_t flags, struct dr_event *e)
{
	const size_t head = offsetof(struct drsnoop_stack_event, ips);
	__u32 bytes[2];
	size_t k, u;

	if (size < head)
		return;
	memcpy(bytes, (const char *)data + sizeof(struct drsnoop_event),
	       sizeof(bytes));
	k = bytes[0] / sizeof(__u64);
	u = bytes[1] / sizeof(__u64);
	if (k > DRSNOOP_STACK_MAX || u > DRSNOOP_STACK_MAX ||
	    size < head + (k + u) * sizeof(__u64))
		return;
	memcpy(st->ips, (const char *)data + head, (k + u) * sizeof(*st->ips));
	if (flags & DRSNOOP_F_KSTACK) {
		e->kstack = st->ips;
		e->kstack_nr = k;
		e->fields |= DR_HAS_KSTACK;
	}
	if (flags & DRSNOOP_F_USTACK) {
		e->ustack = st->ips + k;
		e->ustack_nr = u;
		e->fields |= DR_HAS_USTACK;
	}
}

/*
 * A tracepoint-built attempt, finished by the tracker: the task it was
 * opened in, as its DRSNOOP_REC_COMPACT_TRY said.
 */
static int attempt_done(struct bpf_backend_state *st, struct dr_event *e)
{
	const struct compact_who *w = &st->who[e->tid % COMPACT_WHO_SLOTS];

	if (w->tid == e->tid) {
		e->pid = w->pid;
		e->uid = w->uid;
		memcpy(e->comm, w->comm, sizeof(e->comm));
		e->fields |= task_fields(st);
		if (w->flags & DRSNOOP_F_CGROUP) {
			e->cgroup_id = w->cgroup_id;
			e->fields |= DR_HAS_CGROUP;
		}
		if (w->flags & DRSNOOP_F_CGROUP_CHECKED)
			e->fields |= DR_CGROUP_CHECKED;
	}
	return st->backend.sink->event(st->backend.sink, e);
}

static const enum compact_zone_event zone_events[] = {
	[DRSNOOP_ZONE_SUITABLE] = COMPACT_ZONE_SUITABLE,
	[DRSNOOP_ZONE_DEFERRED] = COMPACT_ZONE_DEFERRED,
	[DRSNOOP_ZONE_BEGIN] = COMPACT_ZONE_BEGIN,
	[DRSNOOP_ZONE_END] = COMPACT_ZONE_END,
	[DRSNOOP_ZONE_DEFER_RESET] = COMPACT_ZONE_DEFER_RESET,
};

/* A record of DRSNOOP_HOOK_TRACEPOINTS as the tracker takes it, if one. */
static bool to_compact_rec(const struct drsnoop_event *in,
			   struct compact_rec *r)
{
	*r = (struct compact_rec){ .ts_ns = in->begin_ns, .tid = in->tid };
	switch (in->kind) {
	case DRSNOOP_REC_COMPACT_TRY:
		r->type = COMPACT_REC_TRY;
		r->order = in->order;
		r->gfp_flags = in->gfp_flags;
		return true;
	case DRSNOOP_REC_COMPACT_ZONE:
		if (in->order < 0 ||
		    (size_t)in->order >= ARRAY_SIZE(zone_events))
			return false;
		r->type = COMPACT_REC_ZONE;
		r->zone_event = zone_events[in->order];
		r->result = in->reason;
		return true;
	case DRSNOOP_REC_COMPACT_CLOSE:
		r->type = COMPACT_REC_CLOSE;
		return true;
	}
	return false;
}

/*
 * The records of DRSNOOP_HOOK_TRACEPOINTS, fed to the tracker; a try
 * also says who opened the attempt, after the tracker has finished the
 * task's previous one.
 */
static int compact_record(struct bpf_backend_state *st,
			  const struct drsnoop_event *in)
{
	struct compact_who *w = &st->who[in->tid % COMPACT_WHO_SLOTS];
	struct compact_rec r;
	struct dr_event done;
	int err = 0;

	if (!to_compact_rec(in, &r))
		return 0;
	if (compact_feed(&st->compact, &r, &done))
		err = attempt_done(st, &done);
	if (r.type != COMPACT_REC_TRY)
		return err;
	*w = (struct compact_who){
		.cgroup_id = in->cgroup_id,
		.tid = in->tid,
		.pid = in->pid,
		.uid = in->uid,
		.flags = in->flags,
	};
	memcpy(w->comm, in->comm, sizeof(w->comm));
	return err;
}

static int deliver(struct bpf_backend_state *st, const void *data, size_t size)
{
	struct drsnoop_event in;
	struct dr_event e;

	if (size < sizeof(in))
		return 0;
	/* perf buffer records are not 8-byte aligned */
	memcpy(&in, data, sizeof(in));
	if (in.kind >= DRSNOOP_REC_COMPACT_TRY)
		return st->who ? compact_record(st, &in) : 0;
	to_dr_event(st, &in, &e);
	if (in.flags & (DRSNOOP_F_KSTACK | DRSNOOP_F_USTACK))
		to_stacks(st, data, size, in.flags, &e);
	if (st->o->free_mem && !dr_event_has(&e, DR_HAS_FREE))
		meminfo_fill_free(&e);
	return st->backend.sink->event(st->backend.sink, &e);
}

static int on_ringbuf(void *ctx, void *data, size_t size)
{
	return deliver(ctx, data, size);
}

static void on_perf_event(void *ctx, int cpu, void *data, __u32 size)
{
	struct bpf_backend_state *st = ctx;

	(void)cpu;
	if (!st->sink_err)
		st->sink_err = deliver(st, data, size);
}

static void on_perf_lost(void *ctx, int cpu, __u64 count)
{
	struct bpf_backend_state *st = ctx;

	(void)cpu;
	st->backend.sink->lost(st->backend.sink, count);
	if (st->who)
		compact_lost(&st->compact);
}

/*
 * How much c rose since the last call: 0 if it cannot be read, which
 * is said once. Read from its mapping, else by lookups, which kernels
 * before 6.5 refuse once drsnoop has dropped its capabilities.
 */
static uint64_t counter_rise(struct bpf_backend_state *st,
			     struct cpu_counter *c, const char *what)
{
	uint64_t total = 0, n, rise;
	__u32 cpu;

	if (!c->map)
		return 0;
	for (cpu = 0; cpu < (__u32)st->nr_cpus; cpu++) {
		if (c->mapped) {
			n = c->mapped[cpu];
		} else if (bpf_map__lookup_elem(c->map, &cpu, sizeof(cpu), &n,
						sizeof(n), 0)) {
			if (!c->warned)
				fprintf(stderr,
					"drsnoop: cannot read the count of %s: "
					"%s\n",
					what, strerror(errno));
			c->warned = true;
			return 0;
		}
		total += n;
	}
	rise = total - c->reported;
	c->reported = total;
	return rise;
}

/* Report what the BPF side counted as lost since the last look. */
static void report_lost(struct bpf_backend_state *st)
{
	uint64_t n = counter_rise(st, &st->lost, "lost stalls");

	if (!n)
		return;
	st->backend.sink->lost(st->backend.sink, n);
	/* An open attempt may have lost its events. */
	if (st->who)
		compact_lost(&st->compact);
}

/* Zone compactions outside any attempt, since the last look. */
static void report_background(struct bpf_backend_state *st)
{
	uint64_t n = counter_rise(st, &st->background, "zone compactions");

	if (n)
		st->backend.sink->background(st->backend.sink, n);
}

/* The attempts over at now, as compact_expire() says (all: UINT64_MAX). */
static int expire_attempts(struct bpf_backend_state *st, uint64_t now)
{
	struct dr_event done;
	int err = 0;

	while (!err && compact_expire(&st->compact, now, &done))
		err = attempt_done(st, &done);
	return err;
}

/* bpf_ktime_get_ns()'s clock, CLOCK_MONOTONIC: the records' stamps. */
static uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int open_buffer(struct bpf_backend_state *st)
{
	int fd = bpf_map__fd(bpf_object__find_map_by_name(st->obj, "events"));

	if (st->ringbuf)
		st->rb = ring_buffer__new(fd, on_ringbuf, st, NULL);
	else
		st->pb = perf_buffer__new(fd, PERF_BUFFER_PAGES, on_perf_event,
					  on_perf_lost, st, NULL);
	if (!st->rb && !st->pb)
		return -errno;
	return 0;
}

/* A counter map of the BPF side, mapped if it can be (see size_counter()). */
static int open_counter(struct bpf_backend_state *st, struct cpu_counter *c,
			const char *name)
{
	struct bpf_map *map = bpf_object__find_map_by_name(st->obj, name);
	size_t page = sysconf(_SC_PAGESIZE);
	void *p;

	if (!map || bpf_map__fd(map) < 0)
		return 0;
	c->map = map;
	if (!(bpf_map__map_flags(map) & BPF_F_MMAPABLE))
		return 0;
	c->mapped_size =
		(st->nr_cpus * sizeof(uint64_t) + page - 1) & ~(page - 1);
	p = mmap(NULL, c->mapped_size, PROT_READ, MAP_SHARED, bpf_map__fd(map),
		 0);
	if (p == MAP_FAILED)
		return -errno;
	c->mapped = p;
	return 0;
}

static void close_counter(struct cpu_counter *c)
{
	if (c->mapped)
		munmap((void *)c->mapped, c->mapped_size);
	c->mapped = NULL;
}

static void bpf_close(struct dr_backend *b)
{
	struct bpf_backend_state *st =
		container_of(b, struct bpf_backend_state, backend);

	if (st->obj && st->compact_hook)
		report_background(st);
	if (st->who) {
		/* Their events are all in: the open attempts are over. */
		if (st->obj)
			expire_attempts(st, UINT64_MAX);
		compact_free(&st->compact);
		free(st->who);
	}
	ring_buffer__free(st->rb);
	perf_buffer__free(st->pb);
	close_counter(&st->lost);
	close_counter(&st->background);
	bpf_load_unload(st);
	free(st);
}

/* The attempts of DRSNOOP_HOOK_TRACEPOINTS are built here. */
static int open_tracker(struct bpf_backend_state *st)
{
	if (st->compact_hook != DRSNOOP_HOOK_TRACEPOINTS)
		return 0;
	st->who = calloc(COMPACT_WHO_SLOTS, sizeof(*st->who));
	if (!st->who)
		return -ENOMEM;
	if (compact_init(&st->compact)) {
		free(st->who);
		st->who = NULL;
		return -ENOMEM;
	}
	return 0;
}

/*
 * Whether the kernel's BTF is there to read, else why not in why: a
 * kernel built without CONFIG_DEBUG_INFO_BTF, or the file hidden.
 */
static bool kernel_btf(char *why, size_t len)
{
	uint16_t magic = 0;
	ssize_t n;
	int fd;

	fd = open(VMLINUX_BTF, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, len, "the kernel has no BTF (%s: %s)",
			 VMLINUX_BTF, strerror(errno));
		return false;
	}
	n = read(fd, &magic, sizeof(magic));
	close(fd);
	if (n == sizeof(magic) && magic == BTF_MAGIC)
		return true;
	snprintf(why, len, "the kernel has no BTF (%s is not BTF)",
		 VMLINUX_BTF);
	return false;
}

/* why, after the line that says the kernel has no BTF. */
static void blame_no_btf(const char *no_btf, char *why, size_t len)
{
	char was[256];

	snprintf(was, sizeof(was), "%s", why);
	snprintf(why, len, "%s, and %s", no_btf, was);
}

static struct dr_backend *bpf_open(const struct dr_options *o,
				   struct dr_sink *sink, char *why,
				   size_t why_len)
{
	struct bpf_backend_state *st;
	char no_btf[128];
	int err;

	libbpf_set_print(o->debug ? print_libbpf : NULL);
	st = calloc(1, sizeof(*st));
	if (!st) {
		snprintf(why, why_len, "%s", strerror(errno));
		return NULL;
	}
	st->btf = kernel_btf(no_btf, sizeof(no_btf));
	st->o = o;
	st->ringbuf = bpf_load_want_ringbuf();
	st->task_storage = bpf_load_have_task_storage();
	st->nr_cpus = libbpf_num_possible_cpus();
	if (st->nr_cpus < 0) {
		snprintf(why, why_len, "cannot count CPUs: %s",
			 strerror(-st->nr_cpus));
		free(st);
		return NULL;
	}
	st->ringbuf_size = bpf_load_ringbuf_size(st->nr_cpus, o);
	st->backend.sink = sink;
	if (bpf_hooks_choose(st, sink, why, why_len) ||
	    bpf_load_any(st, why, why_len)) {
		if (!st->btf)
			blame_no_btf(no_btf, why, why_len);
		free(st);
		return NULL;
	}
	if (!st->btf)
		fprintf(stderr,
			"drsnoop: %s: using the BPF programs that need none\n",
			no_btf);
	err = open_tracker(st);
	if (err) {
		snprintf(why, why_len, "%s", strerror(-err));
		bpf_close(&st->backend);
		return NULL;
	}
	err = open_buffer(st);
	if (err) {
		snprintf(why, why_len, "cannot open the event buffer: %s",
			 strerror(-err));
		bpf_close(&st->backend);
		return NULL;
	}
	err = open_counter(st, &st->lost, "lost");
	if (!err)
		err = open_counter(st, &st->background, "compact_background");
	if (err) {
		snprintf(why, why_len, "cannot map the BPF side's counters: %s",
			 strerror(-err));
		bpf_close(&st->backend);
		return NULL;
	}
	/* With a ring and mapped counters, no bpf() call is left to make. */
	st->backend.bpf_maps = st->pb || (st->lost.map && !st->lost.mapped) ||
			       (st->background.map && !st->background.mapped);
	return &st->backend;
}

static int bpf_poll(struct dr_backend *b, int timeout_ms)
{
	struct bpf_backend_state *st =
		container_of(b, struct bpf_backend_state, backend);
	int ret;

	if (st->rb) {
		/* The BPF side rarely wakes us: read what is there anyway. */
		ret = ring_buffer__poll(st->rb, timeout_ms);
		if (ret >= 0 || ret == -EINTR)
			ret = ring_buffer__consume(st->rb);
	} else {
		ret = perf_buffer__poll(st->pb, timeout_ms);
		if (st->sink_err)
			ret = st->sink_err;
	}
	report_lost(st);
	if (ret >= 0 && st->who)
		ret = expire_attempts(st, monotonic_ns());
	/* Every hook counts them: the exact ones as the tracepoints do. */
	if (st->compact_hook)
		report_background(st);
	return ret < 0 ? ret : 0;
}

const struct dr_backend_ops bpf_backend = {
	.name = "bpf",
	.open = bpf_open,
	.poll = bpf_poll,
	.close = bpf_close,
};
