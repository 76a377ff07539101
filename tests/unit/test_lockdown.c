// SPDX-License-Identifier: GPL-2.0
/*
 * The lockdown level from securityfs's file (tests/fixtures/lockdown, one
 * directory per level, read through the same lockdown_read() the ftrace
 * backend's lockdown_level() calls on /sys/kernel/security), and what
 * the parser makes of text that is not the kernel's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "src/sys/lockdown.h"

#define FIXTURES "tests/fixtures/lockdown/"

static void test_levels_from_files(void **state)
{
	assert_int_equal(lockdown_read(FIXTURES "none"), LOCKDOWN_NONE);
	assert_int_equal(lockdown_read(FIXTURES "integrity"),
			 LOCKDOWN_INTEGRITY);
	assert_int_equal(lockdown_read(FIXTURES "confidentiality"),
			 LOCKDOWN_CONFIDENTIALITY);
}

/* No file (no lockdown LSM, securityfs elsewhere) or nothing in it. */
static void test_unreadable_is_unknown(void **state)
{
	assert_int_equal(lockdown_read(FIXTURES "missing"), LOCKDOWN_UNKNOWN);
	assert_int_equal(lockdown_read(FIXTURES "empty"), LOCKDOWN_UNKNOWN);
}

static void test_parse(void **state)
{
	assert_int_equal(lockdown_parse("none integrity [confidentiality]"),
			 LOCKDOWN_CONFIDENTIALITY);
	assert_int_equal(lockdown_parse("[none] integrity confidentiality\n"),
			 LOCKDOWN_NONE);
	assert_int_equal(lockdown_parse("none integrity confidentiality"),
			 LOCKDOWN_UNKNOWN);
	assert_int_equal(lockdown_parse("none [integrity"), LOCKDOWN_UNKNOWN);
	assert_int_equal(lockdown_parse("none [confidential]"),
			 LOCKDOWN_UNKNOWN);
	assert_int_equal(lockdown_parse("[confidentialityx]"),
			 LOCKDOWN_UNKNOWN);
	assert_int_equal(lockdown_parse(""), LOCKDOWN_UNKNOWN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_levels_from_files),
		cmocka_unit_test(test_unreadable_is_unknown),
		cmocka_unit_test(test_parse),
	};

	return cmocka_run_group_tests_name("lockdown", tests, NULL, NULL);
}
