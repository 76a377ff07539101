// SPDX-License-Identifier: GPL-2.0
/*
 * The BPF backend: loads one of the two BPF objects built into drsnoop
 * (drsnoop_fast.bpf.c, else drsnoop.bpf.c with tp_btf, raw_tp or classic
 * tracepoint programs), and reads stalls from a ring buffer, else a perf
 * buffer.
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
#include "lockdown.h"
#include "meminfo.h"
#include "util.h"
#include "bpf_objects.h"
#include "drsnoop.h"

#define PERF_BUFFER_PAGES 64
#define MAX_PROGRAMS	  16
#define RINGBUF_PER_CPU	  (32 * 1024)
/* A stall with stacks takes a few hundred bytes instead of 88. */
#define RINGBUF_STACKS_SCALE 4

struct attach_mode {
	const char *name; /* for DRSNOOP_BPF_ATTACH and --debug */
	const struct bpf_object_gz *object; /* the object it loads */
	const char *suffix; /* of the names of the programs it loads */
	bool task_storage; /* its programs keep begins in the task */
	bool free_mem; /* its programs can read FREE(KB) at begin */
};

/*
 * In order of preference. The first mode's object has no CO-RE
 * relocation, so libbpf never reads the kernel's 5 MB of BTF and drsnoop
 * is ready in half the time; its programs cannot walk to the zones for
 * -v, which the others do through CO-RE.
 */
static const struct attach_mode attach_modes[] = {
	{ "raw_tp", &drsnoop_fast_bpf_gz, "_fast", true, false },
	{ "tp_btf", &drsnoop_bpf_gz, "_btf", true, true },
	{ "raw_tp-compat", &drsnoop_bpf_gz, "_raw", false, true },
	{ "tracepoint", &drsnoop_bpf_gz, "_tp", false, true },
};

struct bpf_backend_state {
	struct dr_backend backend;
	const struct dr_options *o;
	struct bpf_object *obj;
	void *elf; /* obj's ELF bytes, which libbpf reads until the close */
	struct bpf_link *links[MAX_PROGRAMS];
	int nr_links;
	struct ring_buffer *rb;
	struct perf_buffer *pb;
	uint64_t lost_reported;
	int nr_cpus;
	bool ringbuf;
	uint32_t ringbuf_size;
	int sink_err; /* the sink's refusal, which perf callbacks cannot return
		       */
	uint64_t ips[2 * DRSNOOP_STACK_MAX]; /* the event's stacks, aligned */
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
	if (in->flags & DRSNOOP_F_CGROUP) {
		e->cgroup_id = in->cgroup_id;
		e->fields |= DR_HAS_CGROUP;
	}
	if (in->flags & DRSNOOP_F_CGROUP_CHECKED)
		e->fields |= DR_CGROUP_CHECKED;
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

static int deliver(struct bpf_backend_state *st, const void *data, size_t size)
{
	struct drsnoop_event in;
	struct dr_event e;

	if (size < sizeof(in))
		return 0;
	/* perf buffer records are not 8-byte aligned */
	memcpy(&in, data, sizeof(in));
	to_dr_event(&in, &e);
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
}

/* Report what the BPF side counted as lost since the last look. */
static void report_lost(struct bpf_backend_state *st)
{
	__u64 counts[st->nr_cpus], total = 0;
	__u32 key = 0;
	int i;

	if (bpf_map__lookup_elem(bpf_object__find_map_by_name(st->obj, "lost"),
				 &key, sizeof(key), counts, sizeof(counts), 0))
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

static void make_config(struct drsnoop_config *cfg,
			const struct bpf_backend_state *st)
{
	const struct dr_options *o = st->o;

	*cfg = (struct drsnoop_config){
		.targ_tgid = o->has_pid ? o->pid : 0,
		.targ_tid = o->has_tid ? o->tid : 0,
		.targ_uid = o->uid,
		.filter_uid = o->has_uid,
		.targ_name_len = strlen(o->name),
		.want_free = o->free_mem,
		.nr_nodes = meminfo_nr_nodes(),
		.use_ringbuf = st->ringbuf,
		.wakeup_bytes = st->ringbuf_size / 2,
		.want_cgroup = options_want_cgroup(o),
		.cgroup_v1 = o->cgroup_tree.v1,
		.filter_cgroup = o->has_cgroup,
		.targ_cgroup = o->cgroup_id,
		.want_kstack = o->kernel_stack,
		.want_ustack = o->user_stack,
	};
	memcpy(cfg->targ_name, o->name, sizeof(cfg->targ_name));
}

/* The object's .rodata is its struct drsnoop_config and nothing else. */
static int set_config(struct bpf_object *obj, const struct drsnoop_config *cfg)
{
	struct bpf_map *rodata = bpf_object__find_map_by_name(obj, ".rodata");

	if (!rodata)
		return -EINVAL;
	return bpf_map__set_initial_value(rodata, cfg, sizeof(*cfg));
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !strcmp(s + n - k, suffix);
}

static bool want_stacks(const struct dr_options *o)
{
	return o->kernel_stack || o->user_stack;
}

/* The memcg programs (memcg_*, softlimit_*) load only with --memcg. */
static bool wanted(const char *name, const struct dr_options *o)
{
	return o->memcg ||
	       (strncmp(name, "memcg_", 6) && strncmp(name, "softlimit_", 10));
}

static void keep_programs(struct bpf_object *obj,
			  const struct attach_mode *mode,
			  const struct dr_options *o)
{
	struct bpf_program *prog;
	const char *name;

	bpf_object__for_each_program(prog, obj) {
		name = bpf_program__name(prog);
		bpf_program__set_autoload(prog, ends_with(name, mode->suffix) &&
							wanted(name, o));
	}
	/*
	 * Create only the begin store this mode's programs use, and the
	 * stack records only for stacks.
	 */
	bpf_map__set_autocreate(
		bpf_object__find_map_by_name(obj, "task_starts"),
		mode->task_storage);
	bpf_map__set_autocreate(bpf_object__find_map_by_name(obj, "starts"),
				!mode->task_storage);
	bpf_map__set_autocreate(
		bpf_object__find_map_by_name(obj, "task_stacks"),
		want_stacks(o) && mode->task_storage);
	bpf_map__set_autocreate(bpf_object__find_map_by_name(obj, "stacks"),
				want_stacks(o) && !mode->task_storage);
	bpf_map__set_autocreate(bpf_object__find_map_by_name(obj, "stack_heap"),
				want_stacks(o) && !mode->task_storage);
}

/*
 * Like a perf buffer, the ring grows with the CPUs that can fill it:
 * RINGBUF_PER_CPU per possible CPU, rounded up to the power of two the
 * kernel needs. The kernel maps its pages twice into drsnoop, all of them
 * resident from the start (a fixed 256 KiB cost 520 KiB on 2 CPUs), so it
 * is no larger than that.
 */
static uint32_t ringbuf_size(int nr_cpus, const struct dr_options *o)
{
	uint64_t want = (uint64_t)nr_cpus * RINGBUF_PER_CPU *
			(want_stacks(o) ? RINGBUF_STACKS_SCALE : 1);
	uint64_t size = DRSNOOP_RINGBUF_MIN_SIZE;

	while (size < want)
		size <<= 1;
	return size;
}

/* A ring of ringbuf_size bytes, else a perf buffer. */
static int set_events_map(struct bpf_backend_state *st)
{
	struct bpf_map *events =
		bpf_object__find_map_by_name(st->obj, "events");

	if (st->ringbuf)
		return bpf_map__set_max_entries(events, st->ringbuf_size);
	bpf_map__set_type(events, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	bpf_map__set_key_size(events, sizeof(int));
	bpf_map__set_value_size(events, sizeof(int));
	return bpf_map__set_max_entries(events, 0);
}

static int attach_all(struct bpf_backend_state *st)
{
	struct bpf_program *prog;
	struct bpf_link *link;

	bpf_object__for_each_program(prog, st->obj) {
		if (!bpf_program__autoload(prog))
			continue;
		if (st->nr_links == MAX_PROGRAMS)
			return -E2BIG;
		link = bpf_program__attach(prog);
		if (!link)
			return -errno;
		st->links[st->nr_links++] = link;
	}
	return 0;
}

static void unload(struct bpf_backend_state *st)
{
	while (st->nr_links)
		bpf_link__destroy(st->links[--st->nr_links]);
	bpf_object__close(st->obj);
	st->obj = NULL;
	free(st->elf);
	st->elf = NULL;
}

static int load_mode(struct bpf_backend_state *st,
		     const struct attach_mode *mode)
{
	struct drsnoop_config cfg;
	size_t size;
	int err;

	st->elf = bpf_object_gz_inflate(mode->object, &size);
	if (!st->elf)
		return -errno;
	st->obj = bpf_object__open_mem(st->elf, size, NULL);
	if (!st->obj) {
		err = -errno;
		unload(st);
		return err;
	}
	make_config(&cfg, st);
	err = set_config(st->obj, &cfg);
	if (err) {
		unload(st);
		return err;
	}
	keep_programs(st->obj, mode, st->o);
	err = set_events_map(st);
	if (!err)
		err = bpf_object__load(st->obj);
	if (!err)
		err = attach_all(st);
	if (err)
		unload(st);
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

static void print_attached(const struct bpf_backend_state *st,
			   const struct attach_mode *mode)
{
	if (st->ringbuf)
		fprintf(stderr,
			"drsnoop: attached as %s, ring buffer of %u KiB\n",
			mode->name, st->ringbuf_size / 1024);
	else
		fprintf(stderr, "drsnoop: attached as %s, perf buffer\n",
			mode->name);
}

/*
 * At lockdown=confidentiality the kernel refuses BPF programs that read
 * its memory (bpf_probe_read_kernel()), as the CO-RE walks of -v and of
 * the cgroup options do; the default programs read none and still load.
 */
static void blame_lockdown(const struct dr_options *o, char *why, size_t len)
{
	if (!o->free_mem && !options_want_cgroup(o))
		return;
	if (lockdown_level() == LOCKDOWN_CONFIDENTIALITY)
		snprintf(why, len,
			 "kernel lockdown ('%s/lockdown' is "
			 "'confidentiality') forbids BPF programs to read "
			 "kernel memory, which %s needs",
			 LOCKDOWN_DIR,
			 o->free_mem ? "-v" : "tracing by cgroup");
}

/* Try each attach mode, or the one DRSNOOP_BPF_ATTACH names. */
static int load_any(struct bpf_backend_state *st, char *why, size_t len)
{
	const char *force = getenv("DRSNOOP_BPF_ATTACH");
	const struct attach_mode *mode;
	int err = -ENOENT;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(attach_modes); i++) {
		mode = &attach_modes[i];
		if (force && strcmp(force, mode->name))
			continue;
		if (st->o->free_mem && !mode->free_mem) {
			snprintf(why, len,
				 "%s programs cannot read free memory",
				 mode->name);
			continue;
		}
		/* The CO-RE walk to the task's cgroup needs the same modes. */
		if (options_want_cgroup(st->o) && !mode->free_mem) {
			snprintf(why, len, "%s programs cannot read cgroups",
				 mode->name);
			continue;
		}
		err = load_mode(st, mode);
		if (!err) {
			if (st->o->debug)
				print_attached(st, mode);
			return 0;
		}
		snprintf(why, len, "cannot load and attach %s programs: %s%s",
			 mode->name, strerror(-err), hint(err));
		if (st->o->debug)
			fprintf(stderr, "drsnoop: %s\n", why);
	}
	if (force && err == -ENOENT && !why[0])
		snprintf(why, len, "unknown DRSNOOP_BPF_ATTACH '%s'", force);
	if (err && err != -ENOENT)
		blame_lockdown(st->o, why, len);
	return err;
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

static void bpf_close(struct dr_backend *b)
{
	struct bpf_backend_state *st =
		container_of(b, struct bpf_backend_state, backend);

	ring_buffer__free(st->rb);
	perf_buffer__free(st->pb);
	unload(st);
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
	st->ringbuf = want_ringbuf();
	st->nr_cpus = libbpf_num_possible_cpus();
	if (st->nr_cpus < 0) {
		snprintf(why, why_len, "cannot count CPUs: %s",
			 strerror(-st->nr_cpus));
		free(st);
		return NULL;
	}
	st->ringbuf_size = ringbuf_size(st->nr_cpus, o);
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
		if (st->sink_err)
			ret = st->sink_err;
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
