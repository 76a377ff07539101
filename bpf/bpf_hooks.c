// SPDX-License-Identifier: GPL-2.0
/*
 * Which hooks the kernel offers for the stalls that have no tracepoint
 * of their own: direct compaction's end (__alloc_pages_direct_compact())
 * and the memory.high handler. fentry/fexit are preferred; kprobes where
 * fentry is missing; for compaction, its tracepoints where both are (the
 * attempt is then built in user space, by src/lib/compact.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "src/lib/util.h"
#include "bpf_hooks.h"

#define COMPACT_FUNC "__alloc_pages_direct_compact"

/* Since 6.10 the handler is __mem_cgroup_handle_over_high(gfp_mask). */
static const char *const high_funcs[] = {
	"__mem_cgroup_handle_over_high",
	"mem_cgroup_handle_over_high",
};

const char *bpf_hook_name(int hook)
{
	switch (hook) {
	case DRSNOOP_HOOK_FENTRY:
		return "fentry";
	case DRSNOOP_HOOK_KPROBE:
		return "kprobe";
	case DRSNOOP_HOOK_TRACEPOINTS:
		return "tracepoints";
	}
	return "none";
}

/* An fentry program of two instructions on func, loaded and attached. */
static bool fentry_works(const struct btf *btf, const char *func)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int id = btf__find_by_name_kind(btf, func, BTF_KIND_FUNC);
	LIBBPF_OPTS(bpf_prog_load_opts, opts,
		    .expected_attach_type = BPF_TRACE_FENTRY,
		    .attach_btf_id = id);
	int prog, link;

	if (id < 0)
		return false;
	prog = bpf_prog_load(BPF_PROG_TYPE_TRACING, "drsnoop_probe", "GPL",
			     insns, 2, &opts);
	if (prog < 0)
		return false;
	link = bpf_raw_tracepoint_open(NULL, prog);
	if (link >= 0)
		close(link);
	close(prog);
	return link >= 0;
}

/* A kprobe on func through the kprobe PMU, as libbpf makes it. */
static bool kprobe_works(const char *func)
{
	struct perf_event_attr attr = { .size = sizeof(attr) };
	char buf[32] = "";
	int fd, n;

	fd = open("/sys/bus/event_source/devices/kprobe/type", O_RDONLY);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	attr.type = strtoul(buf, NULL, 10);
	attr.config1 = (unsigned long)func;
	fd = syscall(__NR_perf_event_open, &attr, -1, 0, -1,
		     PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* DRSNOOP_BPF_HOOK=fentry|kprobe|tracepoints: tests and make bench. */
static bool hook_allowed(int hook)
{
	const char *force = getenv("DRSNOOP_BPF_HOOK");

	return !force || !strcmp(force, bpf_hook_name(hook));
}

static int function_hook(const struct btf *btf, const char *func)
{
	if (hook_allowed(DRSNOOP_HOOK_FENTRY) && fentry_works(btf, func))
		return DRSNOOP_HOOK_FENTRY;
	if (hook_allowed(DRSNOOP_HOOK_KPROBE) &&
	    btf__find_by_name_kind(btf, func, BTF_KIND_FUNC) >= 0 &&
	    kprobe_works(func))
		return DRSNOOP_HOOK_KPROBE;
	return DRSNOOP_HOOK_NONE;
}

static bool has_tracepoint(const struct btf *btf, const char *event)
{
	char name[128];

	snprintf(name, sizeof(name), "btf_trace_%s", event);
	return btf__find_by_name_kind(btf, name, BTF_KIND_TYPEDEF) >= 0;
}

static int choose_compact(struct bpf_backend_state *st, const struct btf *btf,
			  struct dr_sink *sink, char *why, size_t len)
{
	st->compact_hook = function_hook(btf, COMPACT_FUNC);
	if (st->compact_hook)
		return 0;
	if (hook_allowed(DRSNOOP_HOOK_TRACEPOINTS) &&
	    has_tracepoint(btf, "mm_compaction_try_to_compact_pages")) {
		st->compact_hook = DRSNOOP_HOOK_TRACEPOINTS;
		return 0;
	}
	snprintf(why, len,
		 "this kernel has no compaction tracepoints "
		 "(CONFIG_COMPACTION) and no fentry or kprobe on %s",
		 COMPACT_FUNC);
	if (!st->o->all)
		return -ENOENT;
	sink->untraced(sink, DR_KIND_COMPACT, why);
	why[0] = '\0';
	return 0;
}

static void choose_high(struct bpf_backend_state *st, const struct btf *btf,
			struct dr_sink *sink)
{
	char why[160];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(high_funcs); i++) {
		if (btf__find_by_name_kind(btf, high_funcs[i], BTF_KIND_FUNC) <
		    0)
			continue;
		st->high_func = high_funcs[i];
		st->high_hook = function_hook(btf, st->high_func);
		if (st->high_hook)
			return;
		snprintf(why, sizeof(why),
			 "neither fentry nor a kprobe can attach to %s here",
			 st->high_func);
		sink->untraced(sink, DR_KIND_HIGH, why);
		return;
	}
	sink->untraced(sink, DR_KIND_HIGH,
		       "this kernel has no memory.high handler to attach to "
		       "(mem_cgroup_handle_over_high)");
}

static const char *const hook_how[] = {
	[DRSNOOP_HOOK_FENTRY] = "exactly, by fentry/fexit on",
	[DRSNOOP_HOOK_KPROBE] = "exactly, by kprobe/kretprobe on",
	[DRSNOOP_HOOK_TRACEPOINTS] = "from its tracepoints (attempts built in "
				     "user space), no hook on",
};

/* --debug: how each kind is traced. */
static void print_hooks(const struct bpf_backend_state *st)
{
	if (st->compact_hook)
		fprintf(stderr, "drsnoop: compaction traced %s %s\n",
			hook_how[st->compact_hook], COMPACT_FUNC);
	if (st->high_hook)
		fprintf(stderr, "drsnoop: memory.high traced %s %s\n",
			hook_how[st->high_hook], st->high_func);
}

/*
 * fentry programs that did not load, where the probe's did (a verifier
 * that refuses what the probe does not do): each kind on fentry moves to
 * a kprobe, else compaction to its tracepoints and memory.high to
 * untraced. True when a kind moved, to load again.
 */
/* The hook after fentry: a kprobe, else the tracepoints where they do. */
static int next_hook(const char *func, bool tracepoints)
{
	if (hook_allowed(DRSNOOP_HOOK_KPROBE) && kprobe_works(func))
		return DRSNOOP_HOOK_KPROBE;
	if (tracepoints && hook_allowed(DRSNOOP_HOOK_TRACEPOINTS))
		return DRSNOOP_HOOK_TRACEPOINTS;
	return DRSNOOP_HOOK_NONE;
}

bool bpf_hooks_fall_back(struct bpf_backend_state *st)
{
	struct dr_sink *sink = st->backend.sink;
	bool moved = false;
	int hook;

	if (st->compact_hook == DRSNOOP_HOOK_FENTRY) {
		hook = next_hook(COMPACT_FUNC, true);
		if (hook) {
			st->compact_hook = hook;
			moved = true;
		}
	}
	if (st->high_hook == DRSNOOP_HOOK_FENTRY) {
		st->high_hook = next_hook(st->high_func, false);
		if (!st->high_hook)
			sink->untraced(sink, DR_KIND_HIGH,
				       "its fentry programs did not load, and "
				       "no kprobe attaches");
		moved = true;
	}
	if (moved && st->o->debug)
		print_hooks(st);
	return moved;
}

int bpf_hooks_choose(struct bpf_backend_state *st, struct dr_sink *sink,
		     char *why, size_t len)
{
	const struct dr_options *o = st->o;
	struct btf *btf;
	int err = 0;

	if (!o->compaction && !o->high && !o->all)
		return 0;
	/* Every hook's programs are CO-RE, and fentry's typed by the BTF. */
	if (!st->btf) {
		snprintf(why, len,
			 "BPF traces compaction and memory.high "
			 "only with it");
		return -ENOENT;
	}
	btf = btf__load_vmlinux_btf();
	if (!btf) {
		err = -errno;
		snprintf(why, len, "cannot read the kernel's BTF: %s",
			 strerror(-err));
		return err;
	}
	if (o->all && !has_tracepoint(btf, "mm_vmscan_throttled")) {
		st->no_throttle = true;
		sink->untraced(sink, DR_KIND_THROTTLE,
			       "no vmscan:mm_vmscan_throttled tracepoint "
			       "(Linux 5.16 and later have it)");
	}
	if (o->compaction)
		err = choose_compact(st, btf, sink, why, len);
	if (!err && o->high)
		choose_high(st, btf, sink);
	btf__free(btf);
	if (!err && o->debug)
		print_hooks(st);
	return err;
}
