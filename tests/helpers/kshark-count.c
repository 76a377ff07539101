// SPDX-License-Identifier: GPL-2.0
/*
 * kshark-count FILE: load a trace.dat as KernelShark does, through its
 * library (libkshark: the file, then each of its buffer instances, a
 * data stream each), and print each event's name and how many entries
 * of it were loaded, "system/name COUNT", sorted by name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libkshark.h>
#include <libkshark-tepdata.h>

struct name_count {
	char *name;
	long count;
};

static struct name_count *counts;
static size_t nr_counts;

static int add(char *name)
{
	struct name_count *c;
	size_t i;

	for (i = 0; i < nr_counts; i++) {
		if (!strcmp(counts[i].name, name)) {
			counts[i].count++;
			free(name);
			return 0;
		}
	}
	c = realloc(counts, (nr_counts + 1) * sizeof(*counts));
	if (!c)
		return -1;
	counts = c;
	counts[nr_counts++] = (struct name_count){ .name = name, .count = 1 };
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct name_count *)a)->name,
		      ((const struct name_count *)b)->name);
}

/* Every entry of stream sd; its rows are the caller's to free. */
static int count_stream(struct kshark_context *ctx, int sd)
{
	struct kshark_entry **rows = NULL;
	ssize_t n = kshark_load_entries(ctx, sd, &rows), i;
	int err = n < 0;
	char *name;

	for (i = 0; i < n; i++) {
		name = kshark_get_event_name(rows[i]);
		if (!err && (!name || add(name)))
			err = 1;
		free(rows[i]);
	}
	free(rows);
	return err ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct kshark_context *ctx = NULL;
	int *streams, sd, i, err = 0;
	size_t j;

	if (argc != 2) {
		fprintf(stderr, "usage: kshark-count FILE\n");
		return 2;
	}
	if (!kshark_instance(&ctx))
		return 1;
	sd = kshark_open(ctx, argv[1]);
	if (sd < 0 || kshark_tep_init_all_buffers(ctx, sd) < 0) {
		fprintf(stderr, "kshark-count: libkshark cannot open '%s'\n",
			argv[1]);
		return 1;
	}
	streams = kshark_all_streams(ctx);
	for (i = 0; streams && i < ctx->n_streams; i++)
		err |= count_stream(ctx, streams[i]);
	if (!streams || err) {
		fprintf(stderr, "kshark-count: cannot load '%s'\n", argv[1]);
		return 1;
	}
	qsort(counts, nr_counts, sizeof(*counts), by_name);
	for (j = 0; j < nr_counts; j++)
		printf("%s %ld\n", counts[j].name, counts[j].count);
	free(streams);
	kshark_free(ctx);
	return 0;
}
