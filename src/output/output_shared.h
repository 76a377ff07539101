/* SPDX-License-Identifier: GPL-2.0 */
/* What the output modes share (output_shared.c). */
#ifndef DRSNOOP_OUTPUT_SHARED_H
#define DRSNOOP_OUTPUT_SHARED_H

#include "output.h"

/* After each line; returns 0 or -errno if the stream failed. */
int output_finish_line(struct dr_output *out);
/* The event's cgroup path, or NULL if not known. */
const char *output_cgroup_of(struct dr_output *out, const struct dr_event *e);

#endif /* DRSNOOP_OUTPUT_SHARED_H */
