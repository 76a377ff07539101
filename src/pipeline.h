/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_PIPELINE_H
#define DRSNOOP_PIPELINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "backend.h"
#include "output.h"

/* Every backend's sink: filter, then output. */
struct dr_pipeline {
	struct dr_sink sink;
	const struct dr_options *o;
	struct dr_output out;
	uint64_t shown; /* stalls printed */
	uint64_t lost; /* stalls dropped before delivery */
	bool stopped; /* pipeline_stop() was called */
};

void pipeline_init(struct dr_pipeline *p, const struct dr_options *o, FILE *f,
		   unsigned int page_kb);

/*
 * The backend is attached: b tells live tracing from a recording. Reads
 * what the capture line starts from, and the gfp names of this kernel
 * when a live backend's stalls will show them.
 */
void pipeline_start(struct dr_pipeline *p, const struct dr_backend *b);

/* Tracing stopped (stalls may still be drained): the capture's end. */
void pipeline_stop(struct dr_pipeline *p);

/* The summary, if any, and the lost total. Returns 0 or -errno. */
int pipeline_finish(struct dr_pipeline *p);

#endif /* DRSNOOP_PIPELINE_H */
