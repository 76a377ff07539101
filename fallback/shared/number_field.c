// SPDX-License-Identifier: GPL-2.0
/* Raw event fields read as numbers, bounds-checked; see number_field.h. */
#include "number_field.h"
#include "src/sys/tracelibs.h"

bool number_field_valid(const struct tep_format_field *f, bool array)
{
	int each = array ? (int)f->elementsize : f->size;

	if (f->offset < 0 || f->size <= 0 ||
	    array != !!(f->flags & TEP_FIELD_IS_ARRAY))
		return false;
	return each == 1 || each == 2 || each == 4 || each == 8;
}

bool number_field_fits(const struct tep_format_field *f, uint32_t size)
{
	return (uint32_t)f->offset + (uint32_t)f->size <= size;
}

uint64_t number_field_read(const struct tep_format_field *f, const void *data)
{
	unsigned long long v = 0;

	sym_tep_read_number_field((struct tep_format_field *)f, data, &v);
	return v;
}
