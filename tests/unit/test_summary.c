// SPDX-License-Identifier: GPL-2.0
/* -s: per-process totals, the log2 histogram and their printing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "src/output/summary.h"

static char buf[8192];

static struct dr_event stall(const char *comm, uint32_t pid, uint64_t lat_ns,
			     uint64_t pages)
{
	struct dr_event e = {
		.lat_ns = lat_ns,
		.nr_reclaimed = pages,
		.pid = pid,
		.tid = pid,
		.fields = DR_HAS_PID | DR_HAS_COMM,
	};

	memcpy(e.comm, comm, strnlen(comm, sizeof(e.comm) - 1));
	return e;
}

static void test_slots(void **state)
{
	assert_int_equal(summary_slot(0), 0);
	assert_int_equal(summary_slot(999), 0); /* 0 us */
	assert_int_equal(summary_slot(1000), 0); /* 1 us */
	assert_int_equal(summary_slot(2000), 1);
	assert_int_equal(summary_slot(3999), 1);
	assert_int_equal(summary_slot(4000), 2);
	assert_int_equal(summary_slot(1024 * 1000), 10);
	assert_int_equal(summary_slot(UINT64_MAX), 63 - 9);
}

/* Totals, average, maximum and pages per (comm, pid); sorted by total. */
static void test_totals(void **state)
{
	struct dr_event ev[] = {
		stall("a", 1, 1000000, 10), stall("b", 2, 5000000, 1),
		stall("a", 1, 3000000, 20), stall("a", 1, 2000000, 30),
		stall("c", 1, 7000000, 4), /* same pid, another name */
	};
	struct dr_summary s;
	size_t i;

	summary_init(&s, false, false);
	for (i = 0; i < 5; i++)
		assert_int_equal(summary_add(&s, &ev[i]), 0);
	summary_sort(&s);
	assert_int_equal(s.nr, 3);
	assert_int_equal(s.stalls, 5);
	assert_string_equal(s.procs[0].comm, "c");
	assert_string_equal(s.procs[1].comm, "a");
	assert_int_equal(s.procs[1].stalls, 3);
	assert_int_equal(s.procs[1].total_ns, 6000000);
	assert_int_equal(s.procs[1].max_ns, 3000000);
	assert_int_equal(s.procs[1].pages, 60);
	assert_string_equal(s.procs[2].comm, "b");
	summary_free(&s);
}

/* Many processes: the table grows and still finds every row. */
static void test_many(void **state)
{
	struct dr_summary s;
	struct dr_event e;
	uint64_t hist = 0;
	uint32_t pid;
	int round, i;

	summary_init(&s, false, false);
	for (round = 0; round < 3; round++)
		for (pid = 1; pid <= 1000; pid++) {
			e = stall("w", pid, pid * 1000ULL, 1);
			assert_int_equal(summary_add(&s, &e), 0);
		}
	assert_int_equal(s.nr, 1000);
	assert_int_equal(s.stalls, 3000);
	for (i = 0; i < SUMMARY_SLOTS; i++)
		hist += s.hist[i];
	assert_int_equal(hist, 3000);
	summary_sort(&s);
	assert_int_equal(s.procs[0].id, 1000);
	assert_int_equal(s.procs[0].total_ns, 3000000);
	summary_free(&s);
}

static const char *print(struct dr_summary *s, bool json)
{
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	summary_sort(s);
	if (json)
		summary_print_json(s, f);
	else
		summary_print_text(s, f);
	fclose(f);
	return buf;
}

/* bcc biolatency's layout, to the space. */
static void test_text(void **state)
{
	struct dr_event ev[] = { stall("drpressure", 2290, 390000, 48),
				 stall("drpressure", 2290, 6120000, 512),
				 stall("drpressure", 2290, 400000, 40) };
	struct dr_summary s;
	int i;

	summary_init(&s, false, false);
	for (i = 0; i < 3; i++)
		summary_add(&s, &ev[i]);
	s.cap_line = (struct summary_capture){ .seen = { 3, 1, 2 },
					       .allocstall_start = 10,
					       .allocstall_end = 13,
					       .has_allocstall = true };
	assert_string_equal(
		print(&s, false),
		"COMM           PID      STALLS    TOTAL(ms)    AVG(ms)    "
		"MAX(ms)    PAGES\n"
		"drpressure     2290          3         6.91       2.30       "
		"6.12      600\n"
		"\n"
		"     usecs               : count    distribution\n"
		"         0 -> 1          : 0        |                         "
		"               |\n"
		"         2 -> 3          : 0        |                         "
		"               |\n"
		"         4 -> 7          : 0        |                         "
		"               |\n"
		"         8 -> 15         : 0        |                         "
		"               |\n"
		"        16 -> 31         : 0        |                         "
		"               |\n"
		"        32 -> 63         : 0        |                         "
		"               |\n"
		"        64 -> 127        : 0        |                         "
		"               |\n"
		"       128 -> 255        : 0        |                         "
		"               |\n"
		"       256 -> 511        : 2        "
		"|****************************************|\n"
		"       512 -> 1023       : 0        |                         "
		"               |\n"
		"      1024 -> 2047       : 0        |                         "
		"               |\n"
		"      2048 -> 4095       : 0        |                         "
		"               |\n"
		"      4096 -> 8191       : 1        |********************     "
		"               |\n"
		"\n"
		"capture: 3 direct, 1 memcg, 2 softlimit stalls seen; "
		"allocstall rose by 3; 0 stalls lost\n"
		"psi: stalls shown 6.91 ms; memory PSI not read\n");
	summary_free(&s);
}

static void test_json(void **state)
{
	struct dr_event e = stall("q\"b\\", 7, 1500, 2);
	struct dr_summary s;

	summary_init(&s, false, false);
	summary_add(&s, &e);
	s.cap_line.lost = 4;
	s.cap_line.seen[DR_KIND_MEMCG] = 2;
	s.cap_line.seen[DR_KIND_MEMCG_SOFTLIMIT] = 3;
	assert_string_equal(
		print(&s, true),
		"{\"summary\":{\"stalls\":1,\"processes\":[{\"comm\":"
		"\"q\\\"b\\\\\","
		"\"pid\":7,\"stalls\":1,\"total_ns\":1500,\"avg_ns\":1500,"
		"\"max_ns\":1500,\"pages\":2}],\"histogram\":{\"unit\":"
		"\"usecs\","
		"\"slots\":[{\"low\":0,\"high\":1,\"count\":1}]},\"capture\":{"
		"\"direct\":0,\"memcg\":2,\"softlimit\":3,\"allocstall_rise\":"
		"null,"
		"\"lost\":4},\"psi\":{\"shown_ns\":1500,\"system\":{"
		"\"some_us\":null,\"full_us\":null,"
		"\"reason\":\"not read: a recording\"}}}}\n");
	summary_free(&s);
}

/* Two stalls of 100 and 20.5 ms, and PSI's totals around them. */
static void psi_summary(struct dr_summary *s)
{
	struct dr_event ev[] = { stall("a", 1, 100000000, 1),
				 stall("b", 2, 20500000, 1) };

	summary_init(s, false, false);
	summary_add(s, &ev[0]);
	summary_add(s, &ev[1]);
	s->cap_line.psi = (struct psi_window){
		.start = { .some_us = 1000, .full_us = 400, .has_full = true },
		.end = { .some_us = 251000,
			 .full_us = 80400,
			 .has_full = true },
		.read = true,
	};
}

/* PSI beside the stall time shown, system-wide and in --cgroup's. */
static void test_psi_text(void **state)
{
	struct dr_summary s;
	const char *t;

	psi_summary(&s);
	t = print(&s, false);
	assert_non_null(strstr(t,
			       "0 stalls lost\n"
			       "psi: stalls shown 120.50 ms; system-wide some "
			       "250.00 ms, full 80.00 ms\n"));
	s.cap_line.cgroup = "/t";
	s.cap_line.cgroup_psi = (struct psi_window){
		.start = { .some_us = 5 },
		.end = { .some_us = 12345 },
		.read = true,
	};
	t = print(&s, false);
	assert_non_null(strstr(t, "\npsi: stalls shown 120.50 ms; system-wide "
				  "some 250.00 ms, full 80.00 ms; /t some "
				  "12.34 ms, full not given\n"));
	s.cap_line.psi.err = -ENOENT;
	strcpy(s.cap_line.psi.why, "PSI is off: no '/proc/pressure/memory'");
	s.cap_line.cgroup_psi.err = -ENOENT;
	strcpy(s.cap_line.cgroup_psi.why, "PSI is off: no 'x'");
	t = print(&s, false);
	assert_non_null(strstr(t, "\npsi: stalls shown 120.50 ms; system-wide "
				  "PSI is off: no '/proc/pressure/memory'; /t "
				  "PSI is off: no 'x'\n"));
	summary_free(&s);
}

static void test_psi_json(void **state)
{
	struct dr_summary s;
	const char *t;

	psi_summary(&s);
	s.cap_line.cgroup = "/t";
	s.cap_line.cgroup_psi = (struct psi_window){ .read = true,
						     .err = -ENOENT,
						     .why = "PSI is off" };
	t = print(&s, true);
	assert_non_null(strstr(
		t, ",\"psi\":{\"shown_ns\":120500000,\"system\":{"
		   "\"some_us\":250000,\"full_us\":80000,\"reason\":null},"
		   "\"cgroup_path\":\"/t\",\"cgroup\":{\"some_us\":null,"
		   "\"full_us\":null,\"reason\":\"PSI is off\"}}}}\n"));
	s.cap_line.psi.end.has_full = false;
	t = print(&s, true);
	assert_non_null(strstr(t, "\"system\":{\"some_us\":250000,"
				  "\"full_us\":null,"
				  "\"reason\":\"no full line\"}"));
	summary_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slots),
		cmocka_unit_test(test_totals),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_psi_text),
		cmocka_unit_test(test_psi_json),
	};

	return cmocka_run_group_tests_name("summary", tests, NULL, NULL);
}
