/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_PIPELINE_H
#define DRSNOOP_PIPELINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "src/core/backend.h"
#include "src/output/metrics.h"
#include "src/output/output.h"

/* Every backend's sink: filter, then output. */
struct dr_pipeline {
	struct dr_sink sink;
	const struct dr_options *o;
	unsigned int kinds; /* traced: options_kinds() less those untraced */
	struct dr_output out;
	uint64_t shown; /* stalls printed */
	uint64_t lost; /* stalls dropped before delivery */
	uint64_t lost_mark; /* lost when this summary interval began */
	uint64_t summaries; /* -s --interval: intervals ended */
	uint64_t writes; /* --metrics: periodic writes done */
	uint64_t refreshes; /* --report --interval: rewrites done */
	bool stopped; /* pipeline_stop() was called */
	struct dr_metrics metrics; /* with --metrics */
	/* --cgroup's memory.pressure, read where the capture opens, closes */
	char cgroup_psi[2 * DR_CGROUP_PATH_MAX + sizeof("/memory.pressure")];
};

void pipeline_init(struct dr_pipeline *p, const struct dr_options *o, FILE *f,
		   unsigned int page_kb);

/*
 * The backend is attached: b tells live tracing from a recording. Reads
 * what the capture line starts from, and the gfp names of this kernel
 * when a live backend's stalls will show them; writes the first metrics.
 * Returns 0, or -1 when it said on stderr why it cannot go on.
 */
int pipeline_start(struct dr_pipeline *p, const struct dr_backend *b);

/*
 * Tracing has begun: without lines (-s, --folded, --metrics) nothing
 * shows until the end, so say so on stderr, as bcc's summary tools do.
 */
void pipeline_say_tracing(const struct dr_pipeline *p,
			  const struct dr_backend *b);

/* The capabilities (PRIVS_CAP() bits) output still needs once started. */
uint64_t pipeline_keep_caps(const struct dr_pipeline *p);

/*
 * elapsed_ms into tracing: the summary of each --interval that ended,
 * and the metrics each time their period ends. Returns 0 or -errno.
 */
int pipeline_tick(struct dr_pipeline *p, uint64_t elapsed_ms);

/* Tracing stopped (stalls may still be drained): the capture's end. */
void pipeline_stop(struct dr_pipeline *p);

/*
 * The summary, if any, the last metrics and the lost total; then frees.
 * Returns 0, -errno, or DR_POLL_FAILED when it said why on stderr.
 */
int pipeline_finish(struct dr_pipeline *p);

/* Frees what pipeline_init() and the stalls since allocated. */
void pipeline_free(struct dr_pipeline *p);

#endif /* DRSNOOP_PIPELINE_H */
