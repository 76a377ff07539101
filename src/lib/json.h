/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_JSON_H
#define DRSNOOP_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * A JSON string of the len bytes at s (or up to a NUL), quoted. Quotes,
 * backslashes and control characters are escaped (\", \\, \n, \t, \r,
 * \b, \f, else \u00XX; DEL too), valid UTF-8 passes through, and every
 * byte that is not part of valid UTF-8 becomes \ufffd (the replacement
 * character): a task name is bytes, JSON text is Unicode.
 */
void json_string(FILE *f, const char *s, size_t len);

/* "key": with the separator before it unless first. */
void json_key(FILE *f, const char *key, bool *first);

#endif /* DRSNOOP_JSON_H */
