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
 * Prints "ready" on stdout once attached, and "records N" at exit.
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
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

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

static int attach_all(struct bpf_object *obj)
{
	struct bpf_program *prog;
	struct bpf_link *link;

	bpf_object__for_each_program(prog, obj) {
		link = bpf_program__attach(prog);
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
	bool stats = false;
	int opt, err = 1;

	while ((opt = getopt(argc, argv, "s")) != -1) {
		if (opt != 's')
			goto usage;
		stats = true;
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
	if (bpf_object__load(obj)) {
		fprintf(stderr, "bpf-load: cannot load '%s': %s\n",
			argv[optind], strerror(errno));
		goto out_close;
	}
	if (attach_all(obj))
		goto out_close;
	rb = open_events(obj);
	printf("ready\n");
	fflush(stdout);
	while (!exiting) {
		if (rb)
			ring_buffer__poll(rb, 100);
		else
			usleep(100 * 1000);
	}
	printf("records %llu\n", records);
	err = 0;
	ring_buffer__free(rb);
out_close:
	/* Links are destroyed with the object. */
	bpf_object__close(obj);
	return err;
usage:
	fprintf(stderr, "usage: bpf-load [-s] OBJECT | bpf-load -s\n");
	return 2;
}
