/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Each output mode's ops (output_text.c, output_json.c, output_summary.c,
 * report.c),
 * for output.c's table of them.
 */
#ifndef DRSNOOP_OUTPUT_MODES_H
#define DRSNOOP_OUTPUT_MODES_H

#include "output.h"

extern const struct dr_output_mode output_mode_text;
extern const struct dr_output_mode output_mode_json;
extern const struct dr_output_mode output_mode_summary;
extern const struct dr_output_mode output_mode_folded;
extern const struct dr_output_mode output_mode_report;

#endif /* DRSNOOP_OUTPUT_MODES_H */
