// SPDX-License-Identifier: GPL-2.0
/*
 * bpf-load - load a BPF object file, attach every program in it, and keep
 * them attached until SIGINT or SIGTERM.
 *
 * For scripts/bench, which loads the floor (empty programs on drsnoop's
 * tracepoints) with it, and for scratch variants of drsnoop.bpf.c when
 * looking for where the per-stall time goes: a ring buffer map named
 * "events" is drained, so a variant's wake-ups reach a waiting reader as
 * drsnoop's do.
 *
 * Prints "ready" on stdout once attached, and "records N" at exit. It
 * links libbpf, libelf and zlib as drsnoop does (statically, unless
 * DYNAMIC_LIBS=1), so that its exec-to-ready with bench-start.bpf.o is
 * the floor of drsnoop's.
 * With -f FUNC, the object's programs that name no target (SEC("fentry"),
 * SEC("kprobe") and the like) are attached to the kernel function FUNC.
 * An array named "stage" (bench-parts.bpf.c's staging area) is sized to
 * the possible CPUs, mapped and read every 100 ms, its records counted
 * with the ring's.
 * With -s it also holds a BPF_ENABLE_STATS file descriptor, which keeps
 * run_time_ns and run_cnt of every program counting even if someone
 * writes 0 to kernel.bpf_stats_enabled meanwhile; "bpf-load -s" with no
 * OBJECT does only that.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "bench-stage.h"

static volatile sig_atomic_t exiting;
static unsigned long long records;

static void on_signal(int sig)
{
	exiting = 1;
}

static int on_record(void *ctx, void *data, size_t size)
{
	records++;
	return 0;
}

/* Each CPU's staging area, if the object has one. */
static struct bench_stage *stages;
static size_t stages_size;
static int nr_cpus;

/* Before the load: one area a possible CPU. */
static int size_stage(struct bpf_object *obj)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, "stage");

	if (!map)
		return 0;
	nr_cpus = libbpf_num_possible_cpus();
	if (nr_cpus < 0)
		return nr_cpus;
	return bpf_map__set_max_entries(map, nr_cpus);
}

static int map_stage(struct bpf_object *obj)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, "stage");
	size_t page = sysconf(_SC_PAGESIZE);
	void *p;

	if (!map)
		return 0;
	stages_size = (nr_cpus * sizeof(*stages) + page - 1) & ~(page - 1);
	p = mmap(NULL, stages_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		 bpf_map__fd(map), 0);
	if (p == MAP_FAILED)
		return -errno;
	stages = p;
	return 0;
}

/* The records written since the last read, copied out as a reader would. */
static void read_stages(void)
{
	struct drsnoop_event rec;
	struct bench_stage *st;
	__u64 head, tail;
	int cpu;

	for (cpu = 0; stages && cpu < nr_cpus; cpu++) {
		st = &stages[cpu];
		head = __atomic_load_n(&st->head, __ATOMIC_ACQUIRE);
		for (tail = st->tail; tail != head; tail++) {
			memcpy(&rec, &st->rec[tail & (BENCH_STAGE_RECS - 1)],
			       sizeof(rec));
			records += rec.tid != 0;
		}
		__atomic_store_n(&st->tail, tail, __ATOMIC_RELEASE);
	}
}

static int silent(enum libbpf_print_level level, const char *fmt, va_list args)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, args) : 0;
}

static int hold(void)
{
	printf("ready\n");
	fflush(stdout);
	while (!exiting)
		usleep(100 * 1000);
	return 0;
}

/* The fentry and fexit programs' target, before the object loads. */
static int set_targets(struct bpf_object *obj, const char *func)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj) {
		if (bpf_program__type(prog) != BPF_PROG_TYPE_TRACING)
			continue;
		if (bpf_program__set_attach_target(prog, 0, func)) {
			fprintf(stderr, "bpf-load: cannot target '%s' at %s\n",
				bpf_program__name(prog), func);
			return -1;
		}
	}
	return 0;
}

/* A kprobe program on FUNC when given, else where its section says. */
static struct bpf_link *attach_one(struct bpf_program *prog, const char *func)
{
	if (func && bpf_program__type(prog) == BPF_PROG_TYPE_KPROBE)
		return bpf_program__attach_kprobe(
			prog,
			!strcmp(bpf_program__section_name(prog), "kretprobe"),
			func);
	return bpf_program__attach(prog);
}

static int attach_all(struct bpf_object *obj, const char *func)
{
	struct bpf_program *prog;
	struct bpf_link *link;

	bpf_object__for_each_program(prog, obj) {
		link = attach_one(prog, func);
		if (!link) {
			fprintf(stderr, "bpf-load: cannot attach '%s': %s\n",
				bpf_program__name(prog), strerror(errno));
			return -1;
		}
	}
	return 0;
}

static struct ring_buffer *open_events(struct bpf_object *obj)
{
	struct bpf_map *map;

	map = bpf_object__find_map_by_name(obj, "events");
	if (!map || bpf_map__type(map) != BPF_MAP_TYPE_RINGBUF)
		return NULL;
	return ring_buffer__new(bpf_map__fd(map), on_record, NULL, NULL);
}

int main(int argc, char **argv)
{
	struct ring_buffer *rb = NULL;
	struct bpf_object *obj;
	const char *func = NULL;
	bool stats = false;
	int opt, err = 1;

	while ((opt = getopt(argc, argv, "f:s")) != -1) {
		if (opt == 'f')
			func = optarg;
		else if (opt == 's')
			stats = true;
		else
			goto usage;
	}
	if (optind != argc - 1 && !(stats && optind == argc))
		goto usage;
	libbpf_set_print(silent);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (stats && bpf_enable_stats(BPF_STATS_RUN_TIME) < 0) {
		fprintf(stderr, "bpf-load: cannot enable bpf stats: %s\n",
			strerror(errno));
		return 1;
	}
	if (optind == argc)
		return hold();
	obj = bpf_object__open_file(argv[optind], NULL);
	if (!obj) {
		fprintf(stderr, "bpf-load: cannot open '%s': %s\n",
			argv[optind], strerror(errno));
		return 1;
	}
	if (func && set_targets(obj, func))
		goto out_close;
	if (size_stage(obj)) {
		fprintf(stderr, "bpf-load: cannot size 'stage' to the CPUs\n");
		goto out_close;
	}
	if (bpf_object__load(obj)) {
		fprintf(stderr, "bpf-load: cannot load '%s': %s\n",
			argv[optind], strerror(errno));
		goto out_close;
	}
	if (attach_all(obj, func))
		goto out_close;
	if (map_stage(obj)) {
		fprintf(stderr, "bpf-load: cannot map 'stage': %s\n",
			strerror(errno));
		goto out_close;
	}
	rb = open_events(obj);
	printf("ready\n");
	fflush(stdout);
	while (!exiting) {
		/* As drsnoop: records sent without a wake-up are read too. */
		if (rb) {
			ring_buffer__poll(rb, 100);
			ring_buffer__consume(rb);
		} else
			usleep(100 * 1000);
		read_stages();
	}
	read_stages();
	printf("records %llu\n", records);
	err = 0;
	ring_buffer__free(rb);
	if (stages)
		munmap(stages, stages_size);
out_close:
	/* Links are destroyed with the object. */
	bpf_object__close(obj);
	return err;
usage:
	fprintf(stderr,
		"usage: bpf-load [-s] [-f FUNC] OBJECT | bpf-load -s\n");
	return 2;
}
