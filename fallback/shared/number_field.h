/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_NUMBER_FIELD_H
#define DRSNOOP_NUMBER_FIELD_H

#include <stdbool.h>
#include <stdint.h>

struct tep_format_field;

/*
 * A field of a raw event read as a number: checked once against its
 * format, where a recording may declare any layout, and then against each
 * payload, which may hold less than the format says. Used by
 * vmscan_fields.c and ftrace_stack.c, which have loaded libtraceevent
 * (tracelibs.h).
 */

/*
 * Whether f is a number of 1, 2, 4 or 8 bytes at a known offset, or with
 * array an array of such numbers.
 */
bool number_field_valid(const struct tep_format_field *f, bool array);

/* Whether a payload of size bytes holds all of f. */
bool number_field_fits(const struct tep_format_field *f, uint32_t size);

/* f's number in data, which holds it (number_field_fits()). */
uint64_t number_field_read(const struct tep_format_field *f, const void *data);

#endif /* DRSNOOP_NUMBER_FIELD_H */
