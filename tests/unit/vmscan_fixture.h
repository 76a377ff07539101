/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For the unit tests that decode events laid out as a kernel's formats
 * (tests/fixtures/formats/VERSION, copied from its tracefs): the fields
 * drsnoop's decoder finds in them. Include after <cmocka.h>.
 */
#ifndef DRSNOOP_TEST_VMSCAN_FIXTURE_H
#define DRSNOOP_TEST_VMSCAN_FIXTURE_H

#include "fallback/shared/vmscan_fields.h"
#include "src/sys/tracelibs.h"

/* The fields of the formats in dir, into vf; the tep to free. */
static inline struct tep_handle *fields_of(const char *dir,
					   struct vmscan_fields *vf)
{
	struct tep_handle *tep = tracefs_local_events(dir);
	char why[256];

	assert_non_null(tep);
	assert_int_equal(vmscan_fields_init(vf, tep, why, sizeof(why)), 0);
	return tep;
}

#endif /* DRSNOOP_TEST_VMSCAN_FIXTURE_H */
