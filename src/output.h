/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_OUTPUT_H
#define DRSNOOP_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "event.h"
#include "options.h"

/* bcc drsnoop's text output: one line per stall, flushed as it is made. */
struct dr_output {
	FILE *f;
	const struct dr_options *o;
	unsigned int page_kb; /* KiB per page, for FREE(KB) */
	uint64_t first_us; /* TIME(s) zero: the first stall's end */
	bool started;
	bool batch; /* a recording: stdio buffering, no flush per line */
};

void output_init(struct dr_output *out, FILE *f, const struct dr_options *o,
		 unsigned int page_kb);
int output_header(struct dr_output *out);
int output_event(struct dr_output *out, const struct dr_event *e);

#endif /* DRSNOOP_OUTPUT_H */
