// SPDX-License-Identifier: GPL-2.0
/*
 * filter_match(): -p, -t, -u and -n, alone and together, and the kinds
 * (--memcg, --throttle); filter_nesting(): a throttle nested only in a
 * kind shown.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "src/core/filter.h"

static struct dr_event event(uint32_t pid, uint32_t tid, uint32_t uid,
			     const char *comm)
{
	struct dr_event e = {
		.pid = pid,
		.tid = tid,
		.uid = uid,
		.fields = DR_HAS_PID | DR_HAS_UID | DR_HAS_COMM,
	};

	memcpy(e.comm, comm, strnlen(comm, sizeof(e.comm) - 1));
	return e;
}

static void test_no_filter(void **state)
{
	struct dr_options o = { 0 };
	struct dr_event e = event(1, 1, 0, "init");

	assert_true(filter_match(&o, &e));
	e.fields = 0;
	assert_true(filter_match(&o, &e));
}

static void test_pid_tid(void **state)
{
	struct dr_options o = { .has_pid = true, .pid = 100 };
	struct dr_event main_thread = event(100, 100, 0, "a");
	struct dr_event worker = event(100, 101, 0, "a");
	struct dr_event other = event(200, 200, 0, "a");

	assert_true(filter_match(&o, &main_thread));
	assert_true(filter_match(&o, &worker));
	assert_false(filter_match(&o, &other));
	o = (struct dr_options){ .has_tid = true, .tid = 101 };
	assert_false(filter_match(&o, &main_thread));
	assert_true(filter_match(&o, &worker));
	/* Both given: both must hold. */
	o.has_pid = true;
	o.pid = 200;
	assert_false(filter_match(&o, &worker));
}

static void test_uid(void **state)
{
	struct dr_options o = { .has_uid = true, .uid = 0 };
	struct dr_event root = event(1, 1, 0, "a");
	struct dr_event user = event(2, 2, 1000, "a");

	assert_true(filter_match(&o, &root));
	assert_false(filter_match(&o, &user));
	o.uid = 1000;
	assert_true(filter_match(&o, &user));
}

static void test_name_substring(void **state)
{
	struct dr_options o = { .name = "mond" };
	struct dr_event summond = event(1, 1, 0, "summond");
	struct dr_event head = event(2, 2, 0, "head");
	struct dr_event full = event(3, 3, 0, "");

	assert_true(filter_match(&o, &summond));
	assert_false(filter_match(&o, &head));
	/* A full 16-byte comm with no terminator is still read safely. */
	memcpy(full.comm, "abcdefghijklmond", 16);
	assert_true(filter_match(&o, &full));
}

/* A filter on a field the source does not know never matches. */
static void test_unknown_fields(void **state)
{
	struct dr_event e = event(5, 5, 7, "x");
	struct dr_options by_pid = { .has_pid = true, .pid = 5 };
	struct dr_options by_uid = { .has_uid = true, .uid = 7 };
	struct dr_options by_name = { .name = "x" };

	e.fields = 0;
	assert_false(filter_match(&by_pid, &e));
	assert_false(filter_match(&by_uid, &e));
	assert_false(filter_match(&by_name, &e));
}

static void test_throttle_kind(void **state)
{
	struct dr_options o = { 0 };
	struct dr_event e = event(1, 1, 0, "dd");

	e.kind = DR_KIND_THROTTLE;
	assert_false(filter_match(&o, &e));
	o.throttle = true;
	assert_true(filter_match(&o, &e));
	e.kind = DR_KIND_MEMCG;
	assert_false(filter_match(&o, &e));
	e.kind = DR_NR_KINDS;
	assert_false(filter_match(&o, &e));
}

static void test_nesting(void **state)
{
	struct dr_options o = { .throttle = true };
	struct dr_event e = event(1, 1, 0, "dd");

	e.kind = DR_KIND_THROTTLE;
	e.fields |= DR_NESTED;
	e.outer_kind = DR_KIND_DIRECT;
	filter_nesting(&o, &e);
	assert_true(dr_event_has(&e, DR_NESTED));
	/* A memcg reclaim is not shown without --memcg. */
	e.outer_kind = DR_KIND_MEMCG;
	filter_nesting(&o, &e);
	assert_false(dr_event_has(&e, DR_NESTED));
	o.memcg = true;
	e.fields |= DR_NESTED;
	filter_nesting(&o, &e);
	assert_true(dr_event_has(&e, DR_NESTED));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_filter),
		cmocka_unit_test(test_pid_tid),
		cmocka_unit_test(test_uid),
		cmocka_unit_test(test_name_substring),
		cmocka_unit_test(test_unknown_fields),
		cmocka_unit_test(test_throttle_kind),
		cmocka_unit_test(test_nesting),
	};

	return cmocka_run_group_tests_name("filter", tests, NULL, NULL);
}
