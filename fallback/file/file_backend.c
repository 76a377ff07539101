// SPDX-License-Identifier: GPL-2.0
/*
 * The file backend (-i FILE): a trace.dat or perf.data recording, told
 * apart by its magic bytes, replayed through the same pairing, filter and
 * output as live tracing. -d is a window from the file's first event, not
 * wall-clock time. Recordings carry no uids and no free-memory counts, so
 * UID and FREE(KB) print "-", which is said once on stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "file_reader.h"
#include "src/lib/util.h"

struct file_state {
	struct dr_backend backend;
	const struct file_reader_ops *ops;
	struct file_reader *reader;
	struct file_replay replay;
	const char *path;
	bool ended;
};

static const struct {
	const char *magic;
	size_t len;
	const struct file_reader_ops *ops;
} formats[] = {
	{ "\027\010\104tracing", 10, &tracedat_reader },
	{ "PERFILE2", 8, &perfdata_reader },
};

static const struct file_reader_ops *detect(const char *path, char *why,
					    size_t len)
{
	char magic[16];
	ssize_t n;
	size_t i;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, len, "%s", strerror(errno));
		return NULL;
	}
	n = read(fd, magic, sizeof(magic));
	close(fd);
	if (n < 0) {
		snprintf(why, len, "%s", strerror(errno));
		return NULL;
	}
	for (i = 0; i < ARRAY_SIZE(formats); i++)
		if ((size_t)n >= formats[i].len &&
		    !memcmp(magic, formats[i].magic, formats[i].len))
			return formats[i].ops;
	snprintf(why, len,
		 n ? "neither a trace.dat nor a perf.data file" : "empty file");
	return NULL;
}

static int check_options(const struct dr_options *o,
			 const struct file_reader_ops *ops, char *why,
			 size_t len)
{
	if (o->has_pid && !ops->knows_pid) {
		snprintf(why, len,
			 "a %s file records thread ids, not process "
			 "ids: filter with -t or -n instead of -p",
			 ops->format);
		return -1;
	}
	if (o->print_uid)
		fprintf(stderr, "drsnoop: recordings carry no uids: UID "
				"shows '-'\n");
	if (o->free_mem)
		fprintf(stderr, "drsnoop: recordings carry no free-memory "
				"counts: FREE(KB) shows '-'\n");
	return 0;
}

static struct dr_backend *file_open(const struct dr_options *o,
				    struct dr_sink *sink, char *why, size_t len)
{
	const struct file_reader_ops *ops = detect(o->input, why, len);
	struct file_state *st;

	if (!ops || check_options(o, ops, why, len))
		return NULL;
	st = calloc(1, sizeof(*st));
	if (!st || replay_init(&st->replay, sink, o->duration)) {
		free(st);
		snprintf(why, len, "%s", strerror(ENOMEM));
		return NULL;
	}
	st->ops = ops;
	st->path = o->input;
	st->replay.want_stack[PAIR_KSTACK] = o->kernel_stack;
	st->replay.want_stack[PAIR_USTACK] = o->user_stack;
	st->replay.sandbox = o->sandbox;
	st->replay.trackers.compaction = o->compaction;
	st->replay.trackers.want_high = o->high;
	st->reader = ops->open(o->input, &st->replay, o->debug, why, len);
	if (!st->reader) {
		replay_free(&st->replay);
		free(st);
		return NULL;
	}
	return &st->backend;
}

/* The whole file in one go: reading it takes well under a second. */
static int file_poll(struct dr_backend *b, int timeout_ms)
{
	struct file_state *st = container_of(b, struct file_state, backend);
	char why[256];
	int err;

	if (st->ended)
		return DR_POLL_END;
	st->ended = true;
	err = st->ops->read(st->reader, why, sizeof(why));
	if (!err)
		replay_end(&st->replay);
	replay_finish(&st->replay);
	if (st->replay.err)
		return st->replay.err;
	if (err) {
		fprintf(stderr, "drsnoop: cannot read '%s': %s\n", st->path,
			why);
		return DR_POLL_FAILED;
	}
	return DR_POLL_END;
}

static void file_close(struct dr_backend *b)
{
	struct file_state *st = container_of(b, struct file_state, backend);

	st->ops->close(st->reader);
	replay_free(&st->replay);
	free(st);
}

const struct dr_backend_ops file_backend = {
	.name = "file",
	.replay = true,
	.open = file_open,
	.poll = file_poll,
	.close = file_close,
};
