// SPDX-License-Identifier: GPL-2.0
/* The PSI reader against hand-written pressure files, and its windows. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "src/sys/psi.h"

static char dir[] = "/tmp/test_psi.XXXXXX";
static char path[64];

/* path, holding text. */
static const char *file(const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	return path;
}

static int setup(void **state)
{
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/memory.pressure", dir);
	return 0;
}

static int teardown(void **state)
{
	unlink(path);
	return rmdir(dir);
}

static void test_some_and_full(void **state)
{
	struct psi_totals t;

	assert_int_equal(psi_read(file("some avg10=1.25 avg60=0.50 avg300=0.10 "
				       "total=211989804\n"
				       "full avg10=0.00 avg60=0.20 avg300=0.05 "
				       "total=61750429\n"),
				  &t),
			 0);
	assert_int_equal(t.some_us, 211989804);
	assert_true(t.has_full);
	assert_int_equal(t.full_us, 61750429);
}

/* As cpu's file is on kernels before 5.13: no full line. */
static void test_some_only(void **state)
{
	struct psi_totals t;

	assert_int_equal(psi_read(file("some avg10=0.00 avg60=0.00 avg300=0.00 "
				       "total=42\n"),
				  &t),
			 0);
	assert_int_equal(t.some_us, 42);
	assert_false(t.has_full);
	assert_int_equal(t.full_us, 0);
}

/* The largest total a u64 holds; no newline at the end of the file. */
static void test_limits(void **state)
{
	struct psi_totals t;

	assert_int_equal(
		psi_read(file("some avg10=0.00 avg60=0.00 "
			      "avg300=0.00 total=18446744073709551615"),
			 &t),
		0);
	assert_int_equal(t.some_us, UINT64_MAX);
	assert_int_equal(
		psi_read(file("some avg10=0.00 avg60=0.00 "
			      "avg300=0.00 total=18446744073709551616\n"),
			 &t),
		-EINVAL);
}

static void test_malformed(void **state)
{
	static const char *const bad[] = {
		"",
		"full avg10=0.00 avg60=0.00 avg300=0.00 total=5\n",
		"some avg10=0.00 avg60=0.00 avg300=0.00\n",
		"some avg10=0.00 avg60=0.00 avg300=0.00 total=\n",
		"some avg10=0.00 avg60=0.00 avg300=0.00 total=-1\n",
		"some avg10=0.00 avg60=0.00 avg300=0.00 total=12x\n",
		"some avg10=0.00 avg60=0.00 avg300=0.00 total=1\n"
		"full avg10=0.00 avg60=0.00 avg300=0.00 total=abc\n",
		"some total=1 avg10=0.00\n",
	};
	struct psi_totals t;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (psi_read(file(bad[i]), &t) != -EINVAL)
			fail_msg("accepted: '%s'", bad[i]);
}

/* A line of another kind, as a newer kernel might add, is passed over. */
static void test_other_lines(void **state)
{
	struct psi_totals t;

	assert_int_equal(psi_read(file("some avg10=0.00 avg60=0.00 "
				       "avg300=0.00 total=9\n"
				       "most avg10=0.00 total=x\n"
				       "full avg10=0.00 avg60=0.00 "
				       "avg300=0.00 total=3\n"),
				  &t),
			 0);
	assert_int_equal(t.some_us, 9);
	assert_int_equal(t.full_us, 3);
}

static void test_missing(void **state)
{
	char why[PSI_WHY_LEN];
	struct psi_totals t;

	assert_int_equal(psi_read("/nonexistent/memory.pressure", &t), -ENOENT);
	psi_why(-ENOENT, "/proc/pressure/memory", why, sizeof(why));
	assert_string_equal(why, "PSI is off: no '/proc/pressure/memory' "
				 "(psi=0, or a kernel without CONFIG_PSI)");
	psi_why(-ENOENT, "/sys/fs/cgroup/memory/a/memory.pressure", why,
		sizeof(why));
	assert_string_equal(why, "PSI is off: no "
				 "'/sys/fs/cgroup/memory/a/memory.pressure' "
				 "(a cgroup v1 hierarchy, or PSI off)");
	psi_why(-EINVAL, "/x", why, sizeof(why));
	assert_string_equal(why, "cannot parse '/x'");
}

/* Rises between the reads; the next window starts where one closed. */
static void test_window(void **state)
{
	struct psi_window w = { .read = false };

	file("some avg10=0.00 avg60=0.00 avg300=0.00 total=1000\n"
	     "full avg10=0.00 avg60=0.00 avg300=0.00 total=400\n");
	psi_window_open(&w, path);
	file("some avg10=0.00 avg60=0.00 avg300=0.00 total=3500\n"
	     "full avg10=0.00 avg60=0.00 avg300=0.00 total=500\n");
	psi_window_close(&w, path);
	assert_true(w.read);
	assert_int_equal(w.err, 0);
	assert_int_equal(psi_window_some_us(&w), 2500);
	assert_true(psi_window_has_full(&w));
	assert_int_equal(psi_window_full_us(&w), 100);

	psi_window_next(&w);
	file("some avg10=0.00 avg60=0.00 avg300=0.00 total=3600\n");
	psi_window_close(&w, path);
	assert_int_equal(psi_window_some_us(&w), 100);
	assert_false(psi_window_has_full(&w));
}

/* A read that fails ends the window's PSI, with the reason. */
static void test_window_fails(void **state)
{
	struct psi_window w = { .read = false };

	file("some avg10=0.00 avg60=0.00 avg300=0.00 total=1000\n");
	psi_window_open(&w, path);
	unlink(path);
	psi_window_close(&w, path);
	assert_int_equal(w.err, -ENOENT);
	assert_non_null(strstr(w.why, "PSI is off: no '"));
	assert_int_equal(psi_window_some_us(&w), 0);
	assert_false(psi_window_has_full(&w));
	file("some avg10=0.00 avg60=0.00 avg300=0.00 total=2000\n");
	psi_window_next(&w);
	psi_window_close(&w, path);
	assert_int_equal(w.err, -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_some_and_full),
		cmocka_unit_test(test_some_only),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_other_lines),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_window_fails),
	};

	return cmocka_run_group_tests_name("psi", tests, setup, teardown);
}
