// SPDX-License-Identifier: GPL-2.0
/*
 * The lockdown level from securityfs's file (tests/fixtures/lockdown, one
 * directory per level, read through the same lockdown_read() that
 * lockdown_level() calls on /sys/kernel/security), what the parser makes
 * of text that is not the kernel's, and the reason each backend gives
 * for its failure at each level.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "src/sys/lockdown.h"
#include "src/lib/util.h"

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

#define FAILED "cannot load and attach tp_btf programs: Operation not permitted"

/* why after a backend's failure at the level in the fixture dir. */
static const char *explain(const char *dir, enum lockdown_loss loss,
			   const char *need)
{
	static char why[256];

	strcpy(why, FAILED);
	lockdown_explain(lockdown_read(dir), loss, need, why, sizeof(why));
	return why;
}

/* Only confidentiality takes tracefs and kernel reads away. */
static void test_explain_confidentiality(void **state)
{
	assert_string_equal(explain(FIXTURES "confidentiality",
				    LOCKDOWN_LOSES_TRACEFS, NULL),
			    "tracefs is disabled by kernel lockdown "
			    "('/sys/kernel/security/lockdown' is "
			    "'confidentiality')");
	assert_string_equal(explain(FIXTURES "confidentiality",
				    LOCKDOWN_LOSES_KERNEL_READS, "-v"),
			    "kernel lockdown ('/sys/kernel/security/lockdown' "
			    "is 'confidentiality') forbids BPF programs to "
			    "read kernel memory, which -v needs");
}

static void test_explain_other_levels(void **state)
{
	static const char *const dirs[] = {
		FIXTURES "none",
		FIXTURES "integrity",
		FIXTURES "missing",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		assert_string_equal(
			explain(dirs[i], LOCKDOWN_LOSES_TRACEFS, NULL), FAILED);
		assert_string_equal(explain(dirs[i],
					    LOCKDOWN_LOSES_KERNEL_READS,
					    "tracing by cgroup"),
				    FAILED);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_levels_from_files),
		cmocka_unit_test(test_unreadable_is_unknown),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_explain_confidentiality),
		cmocka_unit_test(test_explain_other_levels),
	};

	return cmocka_run_group_tests_name("lockdown", tests, NULL, NULL);
}
