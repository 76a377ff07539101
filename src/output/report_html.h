/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_REPORT_HTML_H
#define DRSNOOP_REPORT_HTML_H

#include <stdio.h>

struct dr_output;

/*
 * --report's page, self-contained (its style, script and SVG inline):
 * the run's header, a latency heat map per kind, -s's histogram and
 * capture line, the table of processes, the flame graph with -K or
 * --user-stack, and a self-check its script writes into the page.
 */
void report_html_write(struct dr_output *out, FILE *f);

#endif /* DRSNOOP_REPORT_HTML_H */
