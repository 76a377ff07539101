/* SPDX-License-Identifier: GPL-2.0 */
/* Between options.c, which reads each option, and options_check.c. */
#ifndef DRSNOOP_OPTIONS_CHECK_H
#define DRSNOOP_OPTIONS_CHECK_H

#include "options.h"

/* "drsnoop: " fmt (with value), then where to find --help, on stderr. */
void options_usage_error(const char *fmt, const char *value);
/* Options that clash, or need another: 0 or OPTIONS_USAGE, said why. */
int options_check(struct dr_options *o);

#endif /* DRSNOOP_OPTIONS_CHECK_H */
