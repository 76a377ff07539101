// SPDX-License-Identifier: GPL-2.0
/*
 * The BPF backend's loading (see bpf_backend.c): picks an attach mode,
 * inflates its object, sets its configuration, its programs and maps,
 * loads and attaches it, and says why not when no mode works.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "src/sys/lockdown.h"
#include "src/sys/meminfo.h"
#include "src/lib/util.h"
#include "bpf_hooks.h"
#include "bpf_load.h"
#include "bpf_objects.h"

#define RINGBUF_PER_CPU (32 * 1024)
/* A stall with stacks takes a few hundred bytes instead of 96. */
#define RINGBUF_STACKS_SCALE 4

/* Where programs keep each begin, and each stall's stack record. */
enum begin_store {
	IN_HASHES, /* by tid */
	IN_TASKS, /* task storage */
	IN_SLOTS, /* array slots, and the hashes when a slot is taken */
};

struct attach_mode {
	const char *name; /* for DRSNOOP_BPF_ATTACH and --debug */
	const struct bpf_object_gz *object; /* the object it loads */
	const char *suffix; /* of the names of the programs it loads */
	enum begin_store store; /* where its programs keep begins, stacks */
	bool new_kernel; /* task storage (5.11) or BPF atomics (5.12) */
	bool core; /* its programs use CO-RE: -v's free memory, cgroups */
	bool needs_btf; /* tried only where the kernel has BTF */
};

/*
 * In order of preference. The first mode's object has no CO-RE
 * relocation, so libbpf never reads the kernel's 5 MB of BTF and drsnoop
 * is ready in half the time; its programs cannot walk to the zones for
 * -v, which the CO-RE ones do. The last is for kernels without BTF: no
 * CO-RE, and no task storage, whose task pointer the verifier types from
 * that BTF.
 */
static const struct attach_mode attach_modes[] = {
	/*
	 * raw_tp's programs would load without BTF too (on 5.12 and later);
	 * such kernels keep to raw_tp-nobtf, which loads on all of them.
	 */
	{ .name = "raw_tp",
	  .object = &drsnoop_fast_bpf_gz,
	  .suffix = "_fast",
	  .store = IN_SLOTS,
	  .new_kernel = true,
	  .needs_btf = true },
	{ .name = "tp_btf",
	  .object = &drsnoop_bpf_gz,
	  .suffix = "_btf",
	  .store = IN_TASKS,
	  .new_kernel = true,
	  .core = true,
	  .needs_btf = true },
	{ .name = "raw_tp-compat",
	  .object = &drsnoop_bpf_gz,
	  .suffix = "_raw",
	  .core = true,
	  .needs_btf = true },
	{ .name = "tracepoint",
	  .object = &drsnoop_bpf_gz,
	  .suffix = "_tp",
	  .core = true,
	  .needs_btf = true },
	{ .name = "raw_tp-nobtf",
	  .object = &drsnoop_nobtf_bpf_gz,
	  .suffix = "_nobtf" },
};

/*
 * Asked of the verifier (a program that calls bpf_ringbuf_reserve()), not
 * by making a ring and freeing it, which perf trace timed at up to 1.3 ms
 * of drsnoop's start.
 */
bool bpf_load_want_ringbuf(void)
{
	const char *force = getenv("DRSNOOP_BPF_BUFFER");

	if (force && !strcmp(force, "perf"))
		return false;
	return libbpf_probe_bpf_helper(BPF_PROG_TYPE_RAW_TRACEPOINT,
				       BPF_FUNC_ringbuf_reserve, NULL) > 0;
}

/*
 * Before 5.11 there are none: the modes that keep begins there are not
 * tried, which would cost their failed loads (tp_btf's: reading the
 * kernel's BTF, seconds under emulation) before raw_tp-compat's.
 */
bool bpf_load_have_task_storage(void)
{
	return libbpf_probe_bpf_map_type(BPF_MAP_TYPE_TASK_STORAGE, NULL) > 0;
}

/*
 * How many begin slots the default programs have: DRSNOOP_START_SLOTS,
 * or a power of two up to 65536 in DRSNOOP_BPF_SLOTS, for the tests (1
 * sends every begin but one at a time to the hash).
 */
static uint32_t start_slots(void)
{
	const char *force = getenv("DRSNOOP_BPF_SLOTS");
	unsigned long n;
	char *end;

	if (!force)
		return DRSNOOP_START_SLOTS;
	n = strtoul(force, &end, 10);
	if (*end || !n || n > 65536 || (n & (n - 1)))
		return DRSNOOP_START_SLOTS;
	return n;
}

/* Stack records take 2 KiB a slot: no more than DRSNOOP_STACK_SLOTS. */
static uint32_t stack_slots(void)
{
	uint32_t n = start_slots();

	return n < DRSNOOP_STACK_SLOTS ? n : DRSNOOP_STACK_SLOTS;
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
		.compact_mode = st->compact_hook,
		.high_mode = st->high_hook,
		.want_memcg = o->memcg,
		.want_uid = options_want_uid(o),
		.slot_mask = start_slots() - 1,
		.stack_slot_mask = stack_slots() - 1,
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

/* Whether a compact_* or high_* program is of the hook chosen. */
static bool of_hook(const char *name, int hook)
{
	switch (hook) {
	case DRSNOOP_HOOK_FENTRY:
		return ends_with(name, "_fentry") ||
		       ends_with(name, "_fexit") || ends_with(name, "_exact");
	case DRSNOOP_HOOK_KPROBE:
		return ends_with(name, "_kprobe") ||
		       ends_with(name, "_kretprobe") ||
		       ends_with(name, "_exact");
	case DRSNOOP_HOOK_TRACEPOINTS:
		return ends_with(name, "_tpc");
	}
	return false;
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/*
 * The memcg programs (memcg_*) load only with --memcg or --high (whose
 * calls hold memcg reclaims), the softlimit ones only with --memcg, the
 * throttle programs (throttle_*) only with --throttle, the compact_* and
 * high_* ones, in every attach mode, by the hook bpf_hooks.c chose.
 */
static bool wanted(const char *name, const struct attach_mode *mode,
		   const struct bpf_backend_state *st)
{
	const struct dr_options *o = st->o;

	if (starts_with(name, "compact_"))
		return of_hook(name, st->compact_hook);
	if (starts_with(name, "high_"))
		return of_hook(name, st->high_hook);
	if (!ends_with(name, mode->suffix))
		return false;
	if (starts_with(name, "throttle_"))
		return o->throttle && !st->no_throttle;
	if (starts_with(name, "memcg_"))
		return o->memcg || st->high_hook;
	return o->memcg || !starts_with(name, "softlimit_");
}

/*
 * The memory.high handler's name differs across kernels: fentry programs
 * take the one found; kprobes are attached by name (attach_all()).
 */
static int set_targets(struct bpf_object *obj,
		       const struct bpf_backend_state *st)
{
	struct bpf_program *prog;
	const char *name;
	int err;

	bpf_object__for_each_program(prog, obj) {
		name = bpf_program__name(prog);
		if (!bpf_program__autoload(prog) ||
		    !starts_with(name, "high_") ||
		    st->high_hook != DRSNOOP_HOOK_FENTRY)
			continue;
		err = bpf_program__set_attach_target(prog, 0, st->high_func);
		if (err)
			return err;
	}
	return 0;
}

/* Only a map the programs chosen use takes kernel memory. */
static void size_map(struct bpf_object *obj, const char *name, bool used)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, name);

	if (map && !used)
		bpf_map__set_max_entries(map, 64);
}

/* Map name created only when used, with entries (0: as declared). */
static void create_map(struct bpf_object *obj, const char *name, bool used,
		       uint32_t entries)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, name);

	bpf_map__set_autocreate(map, used);
	if (used && entries)
		bpf_map__set_max_entries(map, entries);
}

/*
 * A counter map of the BPF side (lost, compact_background): an entry a
 * possible CPU, which user space maps where the kernel can
 * (BPF_F_MMAPABLE, Linux 5.5: asked where it has ring buffers, 5.8).
 */
static void size_counter(struct bpf_object *obj, const char *name,
			 const struct bpf_backend_state *st)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, name);

	if (!map)
		return;
	bpf_map__set_max_entries(map, st->nr_cpus);
	if (st->ringbuf)
		bpf_map__set_map_flags(map, BPF_F_MMAPABLE);
}

static void keep_programs(struct bpf_object *obj,
			  const struct attach_mode *mode,
			  const struct bpf_backend_state *st)
{
	const struct dr_options *o = st->o;
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj)
		bpf_program__set_autoload(
			prog, wanted(bpf_program__name(prog), mode, st));
	size_map(obj, "compact_starts", st->compact_hook);
	size_map(obj, "high_starts", st->high_hook);
	size_counter(obj, "lost", st);
	size_counter(obj, "compact_background", st);
	/*
	 * Create only the begin store this mode's programs use, and the
	 * stack records only for stacks.
	 */
	create_map(obj, "start_slots", mode->store == IN_SLOTS, start_slots());
	create_map(obj, "task_starts", mode->store == IN_TASKS, 0);
	/* Only collisions go past the slots; a larger hash starts slower. */
	create_map(obj, "starts", mode->store != IN_TASKS,
		   mode->store == IN_SLOTS ? 1024 : 0);
	create_map(obj, "stack_slots",
		   want_stacks(o) && mode->store == IN_SLOTS, stack_slots());
	create_map(obj, "task_stacks",
		   want_stacks(o) && mode->store == IN_TASKS, 0);
	create_map(obj, "stacks", want_stacks(o) && mode->store != IN_TASKS,
		   mode->store == IN_SLOTS ? DRSNOOP_STACK_SLOTS : 0);
	/*
	 * Behind the slots it is preallocated: an element allocated in
	 * reclaim can fail (seen on arm64 under emulation, stalls sent
	 * without their stacks), and this one is small.
	 */
	if (mode->store == IN_SLOTS)
		bpf_map__set_map_flags(
			bpf_object__find_map_by_name(obj, "stacks"), 0);
	create_map(obj, "stack_heap", want_stacks(o) && mode->store != IN_TASKS,
		   0);
}

/*
 * Like a perf buffer, the ring grows with the CPUs that can fill it:
 * RINGBUF_PER_CPU per possible CPU, rounded up to the power of two the
 * kernel needs. The kernel maps its pages twice into drsnoop, all of them
 * resident from the start (a fixed 256 KiB cost 520 KiB on 2 CPUs), so it
 * is no larger than that.
 */
uint32_t bpf_load_ringbuf_size(int nr_cpus, const struct dr_options *o)
{
	uint64_t want = (uint64_t)nr_cpus * RINGBUF_PER_CPU *
			(want_stacks(o) ? RINGBUF_STACKS_SCALE : 1);
	uint64_t size = DRSNOOP_RINGBUF_MIN_SIZE;

	while (size < want)
		size <<= 1;
	return size;
}

/* A ring of bpf_load_ringbuf_size() bytes, else a perf buffer. */
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

/* high_*_kprobe and _kretprobe: on the handler this kernel has. */
static struct bpf_link *attach_one(struct bpf_backend_state *st,
				   struct bpf_program *prog)
{
	const char *name = bpf_program__name(prog);

	if (starts_with(name, "high_") && st->high_hook == DRSNOOP_HOOK_KPROBE)
		return bpf_program__attach_kprobe(
			prog, ends_with(name, "_kretprobe"), st->high_func);
	return bpf_program__attach(prog);
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
		link = attach_one(st, prog);
		if (!link)
			return -errno;
		st->links[st->nr_links++] = link;
	}
	return 0;
}

void bpf_load_unload(struct bpf_backend_state *st)
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
		bpf_load_unload(st);
		return err;
	}
	make_config(&cfg, st);
	err = set_config(st->obj, &cfg);
	if (err) {
		bpf_load_unload(st);
		return err;
	}
	keep_programs(st->obj, mode, st);
	err = set_targets(st->obj, st);
	if (!err)
		err = set_events_map(st);
	if (!err)
		err = bpf_object__load(st->obj);
	if (!err)
		err = attach_all(st);
	if (err)
		bpf_load_unload(st);
	return err;
}

static const char *hint(int err, const struct bpf_backend_state *st)
{
	const struct dr_options *o = st->o;

	switch (err) {
	case -EPERM:
	case -EACCES:
		/* Before 5.11 (and its task storage), maps count as locked. */
		if (!st->task_storage)
			return " (run as root, or with CAP_BPF, CAP_PERFMON "
			       "and an unlimited RLIMIT_MEMLOCK)";
		return " (run as root, or with CAP_BPF and CAP_PERFMON)";
	case -ENOSYS:
		return " (this kernel has no bpf(2))";
	case -ENOENT:
		if (st->compact_hook == DRSNOOP_HOOK_TRACEPOINTS)
			return " (--compaction attaches classic tracepoints: "
			       "is tracefs mounted at /sys/kernel/tracing?)";
		if (o->throttle)
			return " (are the vmscan:mm_vmscan_direct_reclaim and "
			       "mm_vmscan_throttled tracepoints in this "
			       "kernel? the latter came in Linux 5.16)";
		return " (is the vmscan:mm_vmscan_direct_reclaim tracepoint "
		       "in this kernel?)";
	}
	return "";
}

static void say_attached(struct bpf_backend_state *st,
			 const struct attach_mode *mode)
{
	char *attach = st->backend.attach;
	size_t len = sizeof(st->backend.attach);

	if (st->ringbuf)
		snprintf(attach, len, "attached as %s, ring buffer of %u KiB",
			 mode->name, st->ringbuf_size / 1024);
	else
		snprintf(attach, len, "attached as %s, perf buffer",
			 mode->name);
	if (st->o->debug)
		fprintf(stderr, "drsnoop: %s\n", attach);
}

/*
 * At lockdown=confidentiality the kernel refuses BPF programs that read
 * its memory (bpf_probe_read_kernel()), as the CO-RE walks of -v and of
 * the cgroup options do; the default programs read none and still load.
 */
static void blame_lockdown(const struct dr_options *o, char *why, size_t len)
{
	if (o->free_mem || options_want_cgroup(o))
		lockdown_blame(LOCKDOWN_LOSES_KERNEL_READS,
			       o->free_mem ? "-v" : "tracing by cgroup", why,
			       len);
}

/*
 * What keeps mode from tracing what st asks for here, to follow its name
 * ("tp_btf programs ..."); NULL when nothing does. Without the kernel's
 * BTF, -v's FREE(KB) is /proc/vmstat's when the stall is reported
 * (deliver()), as on the ftrace backend.
 */
static const char *refusal(const struct attach_mode *mode,
			   const struct bpf_backend_state *st)
{
	const struct dr_options *o = st->o;

	if (mode->needs_btf && !st->btf)
		return "need the kernel's BTF";
	/*
	 * Task storage came in 5.11, BPF atomics in 5.12: one probe for
	 * both, but on 5.11 itself, where raw_tp fails to load and tp_btf
	 * is next.
	 */
	if (mode->new_kernel && !st->task_storage)
		return mode->store == IN_SLOTS ?
			       "need BPF atomics (Linux 5.12)" :
			       "need task storage (Linux 5.11)";
	if (o->free_mem && !mode->core && st->btf)
		return "cannot read free memory";
	/* The fast object has no compaction or memory.high programs. */
	if ((st->compact_hook || st->high_hook) && !mode->core)
		return "cannot trace compaction or memory.high";
	/* The walk to the task's cgroup is CO-RE's. */
	if (options_want_cgroup(o) && !mode->core)
		return "cannot read cgroups";
	return NULL;
}

const char *bpf_load_first_mode(const struct bpf_backend_state *st)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(attach_modes); i++)
		if (!refusal(&attach_modes[i], st))
			return attach_modes[i].name;
	return NULL;
}

/* Try each attach mode, or the one DRSNOOP_BPF_ATTACH names. */
int bpf_load_any(struct bpf_backend_state *st, char *why, size_t len)
{
	const char *force = getenv("DRSNOOP_BPF_ATTACH");
	const struct attach_mode *mode;
	const char *cannot;
	bool failed = false;
	int err = -ENOENT;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(attach_modes); i++) {
		mode = &attach_modes[i];
		if (force && strcmp(force, mode->name))
			continue;
		cannot = refusal(mode, st);
		if (cannot) {
			/* A failed load says more than a refusal after it. */
			if (!failed)
				snprintf(why, len, "%s programs %s", mode->name,
					 cannot);
			continue;
		}
		err = load_mode(st, mode);
		if (!err) {
			say_attached(st, mode);
			return 0;
		}
		failed = true;
		snprintf(why, len, "cannot load and attach %s programs: %s%s",
			 mode->name, strerror(-err), hint(err, st));
		if (st->o->debug)
			fprintf(stderr, "drsnoop: %s\n", why);
		/* The same mode again, without the fentry programs. */
		if (bpf_hooks_fall_back(st))
			i--;
	}
	if (force && err == -ENOENT && !why[0])
		snprintf(why, len, "unknown DRSNOOP_BPF_ATTACH '%s'", force);
	if (err && err != -ENOENT)
		blame_lockdown(st->o, why, len);
	return err;
}
