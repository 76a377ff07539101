// SPDX-License-Identifier: GPL-2.0
/*
 * A usage error, as both the parsing of each option (options.c) and the
 * checks of which go together (options_check.c) print it.
 */
#include <stdio.h>
#include "options_usage.h"

void options_usage_error(const char *fmt, const char *value)
{
	fputs("drsnoop: ", stderr);
	fprintf(stderr, fmt, value);
	fputs("\nTry 'drsnoop --help' for more information.\n", stderr);
}
