/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_FILE_READER_H
#define DRSNOOP_FILE_READER_H

#include <stdbool.h>
#include <stddef.h>
#include "file_replay.h"

struct file_reader;

/*
 * A reader of one recording format. open() checks the file's headers and
 * finds the two vmscan events; read() replays every record into rp, oldest
 * first, until the end of the file or rp->done. Both return NULL or -1
 * with a one-line reason in why, which names what is wrong with the file.
 */
struct file_reader_ops {
	const char *format;
	bool knows_pid; /* whether the file records process ids (tgids) */
	struct file_reader *(*open)(const char *path, struct file_replay *rp,
				    bool debug, char *why, size_t why_len);
	int (*read)(struct file_reader *r, char *why, size_t why_len);
	void (*close)(struct file_reader *r);
};

extern const struct file_reader_ops tracedat_reader;
extern const struct file_reader_ops perfdata_reader;

#endif /* DRSNOOP_FILE_READER_H */
