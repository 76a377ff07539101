/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Between output.c and the output modes (output_text.c, output_json.c,
 * output_summary.c): each mode's ops, and what they share.
 */
#ifndef DRSNOOP_OUTPUT_MODES_H
#define DRSNOOP_OUTPUT_MODES_H

#include "output.h"

extern const struct dr_output_mode output_mode_text;
extern const struct dr_output_mode output_mode_json;
extern const struct dr_output_mode output_mode_summary;
extern const struct dr_output_mode output_mode_folded;

/* After each line; returns 0 or -errno if the stream failed. */
int output_finish_line(struct dr_output *out);
/* The event's cgroup path, or NULL if not known. */
const char *output_cgroup_of(struct dr_output *out, const struct dr_event *e);

#endif /* DRSNOOP_OUTPUT_MODES_H */
