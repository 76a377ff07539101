// SPDX-License-Identifier: GPL-2.0
/*
 * The BPF backend: loads drsnoop.bpf.c through its skeleton, attached as
 * tp_btf, else raw_tp, else a classic tracepoint, and reads stalls from a
 * ring buffer, else a perf buffer.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "backend.h"
#include "meminfo.h"
#include "util.h"
#include "drsnoop.h"
#include "drsnoop.skel.h"

#define PERF_BUFFER_PAGES 64

struct attach_mode {
	const char *name;
	const char *section; /* prefix of the programs it keeps */
	bool task_storage; /* its programs keep begins in the task */
};

/* In order of preference: cheapest first. */
static const struct attach_mode attach_modes[] = {
	{ "tp_btf", "tp_btf/", true },
	{ "raw_tp", "raw_tp/", false },
	{ "tracepoint", "tracepoint/", false },
};

struct bpf_backend_state {
	struct dr_backend backend;
	const struct dr_options *o;
	struct drsnoop_bpf *skel;
	struct ring_buffer *rb;
	struct perf_buffer *pb;
	uint64_t lost_reported;
	int nr_cpus;
};

static int print_libbpf(enum libbpf_print_level level, const char *fmt,
			va_list args)
{
	(void)level;
	return vfprintf(stderr, fmt, args);
}

static void to_dr_event(const struct drsnoop_event *in, struct dr_event *e)
{
	*e = (struct dr_event){
		.begin_ns = in->begin_ns,
		.lat_ns = in->lat_ns,
		.nr_reclaimed = in->nr_reclaimed,
		.pid = in->pid,
		.tid = in->tid,
		.uid = in->uid,
		.kind = in->kind,
		.fields = DR_HAS_PID | DR_HAS_UID | DR_HAS_COMM,
	};
	memcpy(e->comm, in->comm, sizeof(e->comm));
	if (in->flags & DRSNOOP_F_FREE) {
		e->free_pages = in->free_pages;
		e->fields |= DR_HAS_FREE;
	}
	if (in->flags & DRSNOOP_F_GFP) {
		e->order = in->order;
		e->gfp_flags = in->gfp_flags;
		e->fields |= DR_HAS_ORDER | DR_HAS_GFP;
	}
}

static int deliver(struct bpf_backend_state *st, const void *data, size_t size)
{
	struct drsnoop_event in;
	struct dr_event e;

	if (size < sizeof(in))
		return 0;
	/* perf buffer records are not 8-byte aligned */
	memcpy(&in, data, sizeof(in));
	to_dr_event(&in, &e);
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
	(void)cpu;
	deliver(ctx, data, size);
}

static void on_perf_lost(void *ctx, int cpu, __u64 count)
{
	struct bpf_backend_state *st = ctx;

	(void)cpu;
	st->backend.sink->lost(st->backend.sink, count);
}

/* Report what the BPF side counted as lost since the last look. */
static void report_lost(struct bpf_backend_state *st)
{
	__u64 counts[st->nr_cpus], total = 0;
	__u32 key = 0;
	int i;

	if (bpf_map__lookup_elem(st->skel->maps.lost, &key, sizeof(key), counts,
				 sizeof(counts), 0))
		return;
	for (i = 0; i < st->nr_cpus; i++)
		total += counts[i];
	if (total > st->lost_reported) {
		st->backend.sink->lost(st->backend.sink,
				       total - st->lost_reported);
		st->lost_reported = total;
	}
}

static bool want_ringbuf(void)
{
	const char *force = getenv("DRSNOOP_BPF_BUFFER");

	if (force && !strcmp(force, "perf"))
		return false;
	return libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL) > 0;
}

static void set_filters(struct drsnoop_bpf *skel, const struct dr_options *o)
{
	struct drsnoop_bpf__rodata *ro = skel->rodata;

	ro->targ_tgid = o->has_pid ? o->pid : 0;
	ro->targ_tid = o->has_tid ? o->tid : 0;
	ro->targ_uid = o->uid;
	ro->filter_uid = o->has_uid;
	ro->targ_name_len = strlen(o->name);
	memcpy((char *)ro->targ_name, o->name, sizeof(ro->targ_name));
	ro->want_free = o->free_mem;
	ro->nr_nodes = meminfo_nr_nodes();
}

static void keep_programs(struct drsnoop_bpf *skel,
			  const struct attach_mode *mode)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, skel->obj) {
		const char *sec = bpf_program__section_name(prog);

		bpf_program__set_autoload(
			prog,
			!strncmp(sec, mode->section, strlen(mode->section)));
	}
	/* Create only the begin store this mode's programs use. */
	bpf_map__set_autocreate(skel->maps.task_starts, mode->task_storage);
	bpf_map__set_autocreate(skel->maps.starts, !mode->task_storage);
}

static void use_perf_buffer(struct drsnoop_bpf *skel)
{
	bpf_map__set_type(skel->maps.events, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	bpf_map__set_key_size(skel->maps.events, sizeof(int));
	bpf_map__set_value_size(skel->maps.events, sizeof(int));
	bpf_map__set_max_entries(skel->maps.events, 0);
	skel->rodata->use_ringbuf = false;
}

static int load_mode(struct bpf_backend_state *st,
		     const struct attach_mode *mode, bool ringbuf)
{
	int err;

	st->skel = drsnoop_bpf__open();
	if (!st->skel)
		return -errno;
	set_filters(st->skel, st->o);
	keep_programs(st->skel, mode);
	if (!ringbuf)
		use_perf_buffer(st->skel);
	err = drsnoop_bpf__load(st->skel);
	if (!err)
		err = drsnoop_bpf__attach(st->skel);
	if (err) {
		drsnoop_bpf__destroy(st->skel);
		st->skel = NULL;
	}
	return err;
}

static const char *hint(int err)
{
	switch (err) {
	case -EPERM:
	case -EACCES:
		return " (run as root, or with CAP_BPF and CAP_PERFMON)";
	case -ENOSYS:
		return " (this kernel has no bpf(2))";
	case -ENOENT:
		return " (is the vmscan:mm_vmscan_direct_reclaim tracepoint "
		       "in this kernel?)";
	}
	return "";
}

/* Try each attach mode, or the one DRSNOOP_BPF_ATTACH names. */
static int load_any(struct bpf_backend_state *st, char *why, size_t len)
{
	const char *force = getenv("DRSNOOP_BPF_ATTACH");
	bool ringbuf = want_ringbuf();
	const struct attach_mode *mode;
	int err = -ENOENT;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(attach_modes); i++) {
		mode = &attach_modes[i];
		if (force && strcmp(force, mode->name))
			continue;
		err = load_mode(st, mode, ringbuf);
		if (!err) {
			if (st->o->debug)
				fprintf(stderr, "drsnoop: attached as %s, %s\n",
					mode->name,
					ringbuf ? "ring buffer" :
						  "perf buffer");
			return 0;
		}
		snprintf(why, len, "cannot load and attach %s programs: %s%s",
			 mode->name, strerror(-err), hint(err));
		if (st->o->debug)
			fprintf(stderr, "drsnoop: %s\n", why);
	}
	if (force && err == -ENOENT && !st->skel)
		snprintf(why, len, "unknown DRSNOOP_BPF_ATTACH '%s'", force);
	return err;
}

static int open_buffer(struct bpf_backend_state *st)
{
	int fd = bpf_map__fd(st->skel->maps.events);

	if (st->skel->rodata->use_ringbuf)
		st->rb = ring_buffer__new(fd, on_ringbuf, st, NULL);
	else
		st->pb = perf_buffer__new(fd, PERF_BUFFER_PAGES, on_perf_event,
					  on_perf_lost, st, NULL);
	if (!st->rb && !st->pb)
		return -errno;
	return 0;
}

static void bpf_close(struct dr_backend *b)
{
	struct bpf_backend_state *st =
		container_of(b, struct bpf_backend_state, backend);

	ring_buffer__free(st->rb);
	perf_buffer__free(st->pb);
	drsnoop_bpf__destroy(st->skel);
	free(st);
}

static struct dr_backend *bpf_open(const struct dr_options *o,
				   struct dr_sink *sink, char *why,
				   size_t why_len)
{
	struct bpf_backend_state *st;
	int err;

	(void)sink;
	libbpf_set_print(o->debug ? print_libbpf : NULL);
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		snprintf(why, why_len,
			 "the kernel has no BTF "
			 "(/sys/kernel/btf/vmlinux: %s)",
			 strerror(errno));
		return NULL;
	}
	st = calloc(1, sizeof(*st));
	if (!st) {
		snprintf(why, why_len, "%s", strerror(errno));
		return NULL;
	}
	st->o = o;
	st->nr_cpus = libbpf_num_possible_cpus();
	if (st->nr_cpus < 0) {
		snprintf(why, why_len, "cannot count CPUs: %s",
			 strerror(-st->nr_cpus));
		free(st);
		return NULL;
	}
	if (load_any(st, why, why_len)) {
		free(st);
		return NULL;
	}
	err = open_buffer(st);
	if (err) {
		snprintf(why, why_len, "cannot open the event buffer: %s",
			 strerror(-err));
		bpf_close(&st->backend);
		return NULL;
	}
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
	}
	report_lost(st);
	return ret < 0 ? ret : 0;
}

const struct dr_backend_ops bpf_backend = {
	.name = "bpf",
	.open = bpf_open,
	.poll = bpf_poll,
	.close = bpf_close,
};
