/* SPDX-License-Identifier: GPL-2.0 */
/* How options.c and options_check.c say that the command line is wrong. */
#ifndef DRSNOOP_OPTIONS_USAGE_H
#define DRSNOOP_OPTIONS_USAGE_H

/* "drsnoop: " fmt (with value), then where to find --help, on stderr. */
void options_usage_error(const char *fmt, const char *value);

#endif /* DRSNOOP_OPTIONS_USAGE_H */
