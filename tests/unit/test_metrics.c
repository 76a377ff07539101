// SPDX-License-Identifier: GPL-2.0
/* --metrics: the exposition format, the cgroup cap, the atomic write. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "src/output/metrics.h"

static char buf[65536];

static struct dr_event stall(uint32_t kind, uint64_t lat_ns, uint64_t pages,
			     uint64_t cgroup_id)
{
	return (struct dr_event){ .lat_ns = lat_ns,
				  .nr_reclaimed = pages,
				  .kind = kind,
				  .cgroup_id = cgroup_id,
				  .fields = DR_HAS_CGROUP };
}

static int add(struct dr_metrics *m, struct dr_event e)
{
	return metrics_add(m, &e);
}

static const char *print_psi(const struct dr_metrics *m,
			     const struct metrics_psi *psi)
{
	struct metrics_allocstall a = { .zone = { "normal", "movable" },
					.value = { 5, 7 },
					.nr = 2 };
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	assert_int_equal(metrics_print(m, &a, psi, f), 0);
	fclose(f);
	return buf;
}

/* PSI's totals as /proc/pressure/memory gives them, in microseconds. */
static const char *print(const struct dr_metrics *m)
{
	struct metrics_psi psi = {
		.system = { .some_us = 2500000,
			    .full_us = 1000001,
			    .has_full = true },
	};

	return print_psi(m, &psi);
}

/* The value on the line that starts with series, which must be there. */
static uint64_t value_of(const char *text, const char *series)
{
	char want[512];
	const char *line;

	snprintf(want, sizeof(want), "\n%s ", series);
	line = strstr(text, want);
	if (!line)
		fail_msg("no series '%s'", series);
	return strtoull(line + strlen(want), NULL, 10);
}

/* Bounds are inclusive, buckets cumulative, +Inf the count, sum exact. */
static void test_exposition(void **state)
{
	struct dr_metrics m;
	const char *t;

	metrics_init(&m, false, 1, 4096);
	assert_int_equal(add(&m, stall(0, 5000, 1, 0)), 0);
	assert_int_equal(add(&m, stall(0, 10000, 2, 0)), 0);
	assert_int_equal(add(&m, stall(0, 30000, 3, 0)), 0);
	assert_int_equal(add(&m, stall(0, 2000000001, 4, 0)), 0);
	m.lost = 2;
	t = print(&m);
	assert_string_equal(
		t,
		"# HELP drsnoop_stall_seconds Time a task spent stalled in "
		"reclaim, per stall, as drsnoop saw it.\n"
		"# TYPE drsnoop_stall_seconds histogram\n"
		"drsnoop_stall_seconds_bucket{kind=\"direct\",le=\"1e-05\"} 2\n"
		"drsnoop_stall_seconds_bucket{kind=\"direct\",le=\"2.5e-05\"} "
		"2\n"
		"drsnoop_stall_seconds_bucket{kind=\"direct\",le=\"5e-05\"} 3\n"
		"drsnoop_stall_seconds_bucket{kind=\"direct\",le=\"0.0001\"} "
		"3\n"
		"drsnoop_stall_seconds_bucket{kind=\"direct\",le=\"0.00025\"} "
		"3\n"
		"drsnoop_stall_seconds_bucket{kind=\"direct\",le=\"0.0005\"} "
		"3\n"
		"drsnoop_stall_seconds_bucket{kind=\"direct\",le=\"0.001\"} 3\n"
		"drsnoop_stall_seconds_bucket{kind=\"direct\",le=\"0.0025\"} "
		"3\n"
		"drsnoop_stall_seconds_bucket{kind=\"direct\",le=\"0.005\"} 3\n"
		"drsnoop_stall_seconds_bucket{kind=\"direct\",le=\"0.01\"} 3\n"
		"drsnoop_stall_seconds_bucket{kind=\"direct\",le=\"0.025\"} 3\n"
		"drsnoop_stall_seconds_bucket{kind=\"direct\",le=\"0.05\"} 3\n"
		"drsnoop_stall_seconds_bucket{kind=\"direct\",le=\"0.1\"} 3\n"
		"drsnoop_stall_seconds_bucket{kind=\"direct\",le=\"0.25\"} 3\n"
		"drsnoop_stall_seconds_bucket{kind=\"direct\",le=\"0.5\"} 3\n"
		"drsnoop_stall_seconds_bucket{kind=\"direct\",le=\"1\"} 3\n"
		"drsnoop_stall_seconds_bucket{kind=\"direct\",le=\"+Inf\"} 4\n"
		"drsnoop_stall_seconds_sum{kind=\"direct\"} 2.000045001\n"
		"drsnoop_stall_seconds_count{kind=\"direct\"} 4\n"
		"# HELP drsnoop_reclaimed_bytes_total Memory the stalled tasks "
		"reclaimed.\n"
		"# TYPE drsnoop_reclaimed_bytes_total counter\n"
		"drsnoop_reclaimed_bytes_total{kind=\"direct\"} 40960\n"
		"# HELP drsnoop_lost_stalls_total Stalls drsnoop could not "
		"report (its buffers were full).\n"
		"# TYPE drsnoop_lost_stalls_total counter\n"
		"drsnoop_lost_stalls_total 2\n"
		"# HELP drsnoop_kernel_allocstall_total Direct reclaims since "
		"boot, by zone: /proc/vmstat's allocstall counters.\n"
		"# TYPE drsnoop_kernel_allocstall_total counter\n"
		"drsnoop_kernel_allocstall_total{zone=\"normal\"} 5\n"
		"drsnoop_kernel_allocstall_total{zone=\"movable\"} 7\n"
		"# HELP drsnoop_kernel_psi_memory_seconds_total Time since "
		"boot in which some tasks (type=\"some\") or all non-idle "
		"tasks (type=\"full\") stalled on memory: "
		"/proc/pressure/memory's totals.\n"
		"# TYPE drsnoop_kernel_psi_memory_seconds_total counter\n"
		"drsnoop_kernel_psi_memory_seconds_total{type=\"some\"} "
		"2.500000\n"
		"drsnoop_kernel_psi_memory_seconds_total{type=\"full\"} "
		"1.000001\n");
	metrics_free(&m);
}

/* With --memcg, each kind has its series, and only its stalls in them. */
static void test_kinds(void **state)
{
	struct dr_metrics m;
	const char *t;

	metrics_init(&m, false, 7, 4096);
	assert_int_equal(add(&m, stall(DR_KIND_MEMCG, 1, 1, 0)), 0);
	assert_int_equal(add(&m, stall(DR_KIND_MEMCG_SOFTLIMIT, 1, 1, 0)), 0);
	assert_int_equal(add(&m, stall(DR_KIND_MEMCG_SOFTLIMIT, 1, 1, 0)), 0);
	t = print(&m);
	assert_int_equal(
		value_of(t, "drsnoop_stall_seconds_count{kind=\"direct\"}"), 0);
	assert_int_equal(
		value_of(t, "drsnoop_stall_seconds_count{kind=\"memcg\"}"), 1);
	assert_int_equal(
		value_of(t, "drsnoop_stall_seconds_bucket{kind=\"softlimit\","
			    "le=\"+Inf\"}"),
		2);
	metrics_free(&m);
}

/*
 * --throttle: a throttle inside a direct reclaim counts in that kind's
 * throttled_in_reclaim series, not in kind="throttle", whose stalls are
 * the throttles on their own; no bytes series for throttle.
 */
static void test_throttle(void **state)
{
	struct dr_event nested = stall(DR_KIND_THROTTLE, 500000, 0, 0);
	struct dr_metrics m;
	const char *t;

	nested.fields |= DR_NESTED;
	nested.outer_kind = DR_KIND_DIRECT;
	/* Direct (bit 1) and throttle (bit 8). */
	metrics_init(&m, false, 9, 4096);
	assert_int_equal(add(&m, stall(DR_KIND_DIRECT, 1000000, 3, 0)), 0);
	assert_int_equal(add(&m, stall(DR_KIND_THROTTLE, 2000000, 0, 0)), 0);
	assert_int_equal(add(&m, nested), 0);
	t = print(&m);
	assert_int_equal(
		value_of(t, "drsnoop_stall_seconds_count{kind=\"direct\"}"), 1);
	assert_int_equal(
		value_of(t, "drsnoop_stall_seconds_count{kind=\"throttle\"}"),
		1);
	assert_non_null(strstr(t, "\ndrsnoop_stall_seconds_sum{kind="
				  "\"throttle\"} 0.002000000\n"));
	assert_non_null(strstr(t, "\ndrsnoop_throttled_in_reclaim_seconds_"
				  "total{kind=\"direct\"} 0.000500000\n"));
	assert_int_equal(value_of(t, "drsnoop_throttled_in_reclaim_total{"
				     "kind=\"direct\"}"),
			 1);
	assert_null(strstr(t, "{kind=\"memcg\""));
	assert_null(strstr(t, "drsnoop_reclaimed_bytes_total{kind=\"throttle"));
	metrics_free(&m);
}

static const char *fake_path(void *ctx, uint64_t id)
{
	static char path[32];

	/* Ids 100 and 101 are one path: a cgroup made again after rmdir. */
	snprintf(path, sizeof(path), "/c%" PRIu64, id == 101 ? 100 : id);
	return id == 999 ? NULL : path;
}

static uint64_t count_of(const char *t, const char *cgroup)
{
	char series[128];

	snprintf(series, sizeof(series),
		 "drsnoop_stall_seconds_count{kind=\"direct\",cgroup=\"%s\"}",
		 cgroup);
	return value_of(t, series);
}

static size_t series_of(const char *t)
{
	const char *p = t;
	size_t n = 0;

	while ((p = strstr(p, "\ndrsnoop_stall_seconds_count{"))) {
		n++;
		p++;
	}
	return n;
}

/*
 * By cgroup: the 10 cgroups with the most stall time and "other"; a
 * cgroup that overtakes one of them takes its place, and no count ever
 * goes down.
 */
static void test_cgroup_cap(void **state)
{
	uint64_t other, total = 0;
	struct dr_metrics m;
	const char *t;
	int id, i;

	metrics_init(&m, true, 1, 4096);
	m.cgroup_path = fake_path;
	/* Cgroup id has id stalls of id ms: /c15 the most, /c1 the least. */
	for (id = 1; id <= 15; id++)
		for (i = 0; i < id; i++, total++)
			assert_int_equal(add(&m, stall(0, id * 1000000, 1, id)),
					 0);
	assert_int_equal(metrics_rank(&m), 0);
	t = print(&m);
	assert_int_equal(series_of(t), 11);
	assert_int_equal(count_of(t, "/c15"), 0); /* counts from its entry */
	assert_null(strstr(t, "cgroup=\"/c5\""));
	other = count_of(t, "other");
	assert_int_equal(other, total);

	for (i = 0; i < 100; i++, total++)
		assert_int_equal(add(&m, stall(0, 1000000, 1, 15)), 0);
	for (i = 0; i < 1000; i++, total++)
		assert_int_equal(add(&m, stall(0, 1000000, 1, 1)), 0);
	assert_int_equal(metrics_rank(&m), 0);
	t = print(&m);
	assert_int_equal(series_of(t), 11);
	assert_int_equal(count_of(t, "/c15"), 100);
	assert_null(strstr(t, "cgroup=\"/c6\"")); /* overtaken by /c1 */
	assert_int_equal(count_of(t, "/c1"), 0);
	assert_true(count_of(t, "other") >= other);
	assert_int_equal(count_of(t, "other") + 100, total);
	metrics_free(&m);
}

/*
 * Thousands of cgroups: drsnoop forgets the half with the least stall
 * time beyond METRICS_MAX_CGROUPS, and the top ten stay the top ten.
 */
static void test_cgroup_memory_bound(void **state)
{
	const int n = METRICS_MAX_CGROUPS + 1000;
	struct dr_metrics m;
	char path[32];
	const char *t;
	int id;

	metrics_init(&m, true, 1, 4096);
	m.cgroup_path = fake_path;
	for (id = 1; id <= n; id++)
		assert_int_equal(add(&m, stall(0, id, 1, id)), 0);
	assert_int_equal(metrics_rank(&m), 0);
	assert_true(m.nr <= METRICS_MAX_CGROUPS);
	for (id = 1; id <= n; id++)
		assert_int_equal(add(&m, stall(0, id, 1, id)), 0);
	assert_int_equal(metrics_rank(&m), 0);
	t = print(&m);
	assert_int_equal(series_of(t), 11);
	for (id = n - 9; id <= n; id++) {
		snprintf(path, sizeof(path), "/c%d", id);
		assert_int_equal(count_of(t, path), 1);
	}
	assert_int_equal(count_of(t, "other"), 2 * n - 10);
	metrics_free(&m);
}

/* One series per path, and "unknown" where the path is not found. */
static void test_cgroup_paths(void **state)
{
	struct dr_metrics m;
	struct dr_event e = stall(0, 1000, 1, 0);
	const char *t;

	metrics_init(&m, true, 1, 4096);
	m.cgroup_path = fake_path;
	assert_int_equal(add(&m, stall(0, 1000, 1, 100)), 0);
	assert_int_equal(add(&m, stall(0, 1000, 1, 999)), 0);
	assert_int_equal(metrics_rank(&m), 0);
	assert_int_equal(add(&m, stall(0, 1000, 1, 100)), 0);
	assert_int_equal(add(&m, stall(0, 1000, 1, 101)), 0);
	e.fields = 0; /* no cgroup known: also "unknown" */
	assert_int_equal(metrics_add(&m, &e), 0);
	assert_int_equal(add(&m, stall(0, 1000, 1, 999)), 0);
	t = print(&m);
	assert_int_equal(series_of(t), 3);
	assert_int_equal(count_of(t, "/c100"), 2);
	assert_int_equal(count_of(t, "unknown"), 2);
	assert_int_equal(count_of(t, "other"), 2);
	metrics_free(&m);
}

static const char *odd_path(void *ctx, uint64_t id)
{
	return "/a\"b\\c\nd";
}

static void test_label_escaping(void **state)
{
	struct dr_metrics m;

	metrics_init(&m, true, 1, 4096);
	m.cgroup_path = odd_path;
	assert_int_equal(add(&m, stall(0, 1, 1, 7)), 0);
	assert_int_equal(metrics_rank(&m), 0);
	assert_int_equal(count_of(print(&m), "/a\\\"b\\\\c\\nd"), 0);
	metrics_free(&m);
}

static void test_psi(void **state)
{
	struct dr_metrics m;
	const char *t;

	metrics_init(&m, false, 1, 4096);
	t = print(&m);
	assert_non_null(strstr(
		t, "\n# TYPE drsnoop_kernel_psi_memory_seconds_total counter\n"
		   "drsnoop_kernel_psi_memory_seconds_total{type=\"some\"} "
		   "2.500000\n"
		   "drsnoop_kernel_psi_memory_seconds_total{type=\"full\"} "
		   "1.000001\n"));
	assert_non_null(
		strstr(t, "\n# HELP drsnoop_kernel_psi_memory_seconds_total "));
	assert_null(strstr(t, "cgroup_psi"));
	metrics_free(&m);
}

/* PSI off: a comment, no HELP, TYPE or series that would read as 0. */
static void test_psi_off(void **state)
{
	struct metrics_psi psi = { .err = -ENOENT,
				   .why = "PSI is off: no such file" };
	struct dr_metrics m;
	const char *t;

	metrics_init(&m, false, 1, 4096);
	t = print_psi(&m, &psi);
	assert_non_null(strstr(t, "\n# drsnoop_kernel_psi_memory_seconds_total:"
				  " PSI is off: no such file\n"));
	assert_null(strstr(t, "HELP drsnoop_kernel_psi"));
	assert_null(strstr(t, "TYPE drsnoop_kernel_psi"));
	assert_null(strstr(t, "\ndrsnoop_kernel_psi"));
	metrics_free(&m);
}

/* A file with no full line: some alone. */
static void test_psi_some_only(void **state)
{
	struct metrics_psi psi = { .system = { .some_us = 7 } };
	struct dr_metrics m;
	const char *t;

	metrics_init(&m, false, 1, 4096);
	t = print_psi(&m, &psi);
	assert_non_null(strstr(t, "\ndrsnoop_kernel_psi_memory_seconds_total"
				  "{type=\"some\"} 0.000007\n"));
	assert_null(strstr(t, "{type=\"full\"}"));
	metrics_free(&m);
}

/* By cgroup: the top cgroups' files that were read; never "other". */
static void test_psi_by_cgroup(void **state)
{
	struct metrics_psi psi = { .system = { .some_us = 3 } };
	const char *name = "drsnoop_kernel_cgroup_psi_memory_seconds_total";
	struct dr_metrics m;
	char want[256];
	const char *t;
	int i;

	metrics_init(&m, true, 1, 4096);
	m.cgroup_path = fake_path;
	assert_int_equal(add(&m, stall(0, 2000, 1, 1)), 0);
	assert_int_equal(add(&m, stall(0, 1000, 1, 2)), 0);
	assert_int_equal(metrics_rank(&m), 0);
	for (i = 0; i < METRICS_TOP_CGROUPS; i++) {
		if (!m.top[i].cgroup || strcmp(m.top[i].cgroup, "/c1"))
			continue;
		psi.has_top[i] = true;
		psi.top[i] = (struct psi_totals){ .some_us = 1234567,
						  .full_us = 890,
						  .has_full = true };
	}
	t = print_psi(&m, &psi);
	snprintf(want, sizeof(want),
		 "\n# TYPE %s counter\n"
		 "%s{cgroup=\"/c1\",type=\"some\"} 1.234567\n"
		 "%s{cgroup=\"/c1\",type=\"full\"} 0.000890\n",
		 name, name, name);
	assert_non_null(strstr(t, want));
	assert_null(strstr(t, "cgroup=\"/c2\",type="));
	assert_null(strstr(t, "cgroup=\"other\",type="));

	psi.no_cgroups = "a cgroup v1 hierarchy has no memory.pressure";
	t = print_psi(&m, &psi);
	snprintf(want, sizeof(want),
		 "\n# %s: a cgroup v1 hierarchy has no memory.pressure\n",
		 name);
	assert_non_null(strstr(t, want));
	assert_null(strstr(t, "cgroup=\"/c1\",type="));
	metrics_free(&m);
}

/* Replaced whole, readable by node_exporter, no temporary file left. */
static void test_write(void **state)
{
	char dir[] = "/tmp/test_metrics.XXXXXX", path[64];
	struct dr_metrics m;
	struct dirent *d;
	struct stat st;
	int files = 0;
	DIR *dp;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/drsnoop.prom", dir);
	metrics_init(&m, false, 1, 4096);
	assert_int_equal(metrics_write(&m, path), 0);
	assert_int_equal(add(&m, stall(0, 1, 1, 0)), 0);
	assert_int_equal(metrics_write(&m, path), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	dp = opendir(dir);
	assert_non_null(dp);
	while ((d = readdir(dp)))
		files += d->d_name[0] != '.';
	closedir(dp);
	assert_int_equal(files, 1);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
	assert_int_equal(metrics_write(&m, path), -ENOENT);
	metrics_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exposition),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_throttle),
		cmocka_unit_test(test_cgroup_cap),
		cmocka_unit_test(test_cgroup_memory_bound),
		cmocka_unit_test(test_cgroup_paths),
		cmocka_unit_test(test_label_escaping),
		cmocka_unit_test(test_psi),
		cmocka_unit_test(test_psi_off),
		cmocka_unit_test(test_psi_some_only),
		cmocka_unit_test(test_psi_by_cgroup),
		cmocka_unit_test(test_write),
	};

	return cmocka_run_group_tests_name("metrics", tests, NULL, NULL);
}
