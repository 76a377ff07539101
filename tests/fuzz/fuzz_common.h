/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_FUZZ_COMMON_H
#define DRSNOOP_FUZZ_COMMON_H

#define _GNU_SOURCE /* memfd_create */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>
#include "fallback/file/file_reader.h"
#include "src/symbols/ksyms.h"

/*
 * Replay one input through a reader, as drsnoop -i -K --user-stack --all
 * would (the compaction attempts and memory.high calls tracked, throttles
 * replayed as they always are, the open attempts finished at the end):
 * the readers take a path, so the input goes into a memfd first. Stalls
 * are only counted, but every frame of their stacks is read and named
 * with the kernel symbols the file handed over, as the output would.
 */
static struct ksyms *fuzz_ksyms_table;

static void fuzz_ksyms(struct dr_sink *sink, struct ksyms *k)
{
	ksyms_free(fuzz_ksyms_table);
	fuzz_ksyms_table = k;
}

static int fuzz_event(struct dr_sink *sink, const struct dr_event *e)
{
	volatile uint64_t sum = 0;
	char name[256];
	uint32_t i;

	for (i = 0; i < e->kstack_nr; i++)
		ksyms_format(fuzz_ksyms_table, e->kstack[i], name,
			     sizeof(name));
	for (i = 0; i < e->ustack_nr; i++)
		sum += e->ustack[i];
	return 0;
}

static void fuzz_lost(struct dr_sink *sink, uint64_t count)
{
}

static void fuzz_background(struct dr_sink *sink, uint64_t n)
{
}

/* Asked for, so that the readers parse the gfp names (perfdata_gfp.c). */
static void fuzz_gfp_names(struct dr_sink *sink, const struct gfp_names *g)
{
}

/* The input in a memfd, named by path: the readers take a path. */
static int fuzz_file(const uint8_t *data, size_t size, char *path, size_t len)
{
	int fd = memfd_create("fuzz", MFD_CLOEXEC);

	if (fd >= 0 && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		fd = -1;
	}
	snprintf(path, len, "/proc/self/fd/%d", fd);
	return fd;
}

static int fuzz_one(const struct file_reader_ops *ops, const uint8_t *data,
		    size_t size)
{
	struct dr_sink sink = { .event = fuzz_event,
				.lost = fuzz_lost,
				.ksyms = fuzz_ksyms,
				.background = fuzz_background,
				.gfp_names = fuzz_gfp_names };
	struct file_replay rp;
	struct file_reader *r;
	char path[64], why[256];
	int fd = fuzz_file(data, size, path, sizeof(path));

	if (fd < 0 || replay_init(&rp, &sink, 0))
		goto out_close;
	rp.want_stack[PAIR_KSTACK] = rp.want_stack[PAIR_USTACK] = true;
	rp.trackers.compaction = rp.trackers.want_high = true;
	r = ops->open(path, &rp, false, why, sizeof(why));
	if (r) {
		if (!ops->read(r, why, sizeof(why)))
			replay_end(&rp);
		replay_finish(&rp);
		ops->close(r);
	}
	replay_free(&rp);
	fuzz_ksyms(&sink, NULL);
out_close:
	if (fd >= 0)
		close(fd);
	return 0;
}

#endif /* DRSNOOP_FUZZ_COMMON_H */
