/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_FUZZ_COMMON_H
#define DRSNOOP_FUZZ_COMMON_H

#define _GNU_SOURCE /* memfd_create */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>
#include "file_reader.h"

/*
 * Replay one input through a reader, as drsnoop -i would: the readers take
 * a path, so the input goes into a memfd first. Stalls are only counted.
 */
static int fuzz_event(struct dr_sink *sink, const struct dr_event *e)
{
	return 0;
}

static void fuzz_lost(struct dr_sink *sink, uint64_t count)
{
}

static int fuzz_one(const struct file_reader_ops *ops, const uint8_t *data,
		    size_t size)
{
	struct dr_sink sink = { .event = fuzz_event, .lost = fuzz_lost };
	struct file_replay rp;
	struct file_reader *r;
	char path[64], why[256];
	int fd = memfd_create("fuzz", MFD_CLOEXEC);

	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		goto out_close;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (replay_init(&rp, &sink, 0))
		goto out_close;
	r = ops->open(path, &rp, false, why, sizeof(why));
	if (r) {
		ops->read(r, why, sizeof(why));
		ops->close(r);
	}
	replay_free(&rp);
out_close:
	if (fd >= 0)
		close(fd);
	return 0;
}

#endif /* DRSNOOP_FUZZ_COMMON_H */
