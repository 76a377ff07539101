/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_PIPELINE_H
#define DRSNOOP_PIPELINE_H

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
};

void pipeline_init(struct dr_pipeline *p, const struct dr_options *o, FILE *f,
		   unsigned int page_kb);
void pipeline_finish(struct dr_pipeline *p);

#endif /* DRSNOOP_PIPELINE_H */
