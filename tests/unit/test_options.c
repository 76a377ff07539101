// SPDX-License-Identifier: GPL-2.0
/* Option parsing: what each flag sets, and that bad values are refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "src/core/options.h"

#define ARGV(...)  ((char *[]){ "drsnoop", __VA_ARGS__, NULL })
#define ARGC(argv) ((int)(sizeof(argv) / sizeof(argv[0])) - 1)

static char stderr_text[4096];

/* Parse with stderr captured into stderr_text. */
static int parse(struct dr_options *o, int argc, char **argv)
{
	FILE *f = tmpfile();
	int saved = dup(STDERR_FILENO), ret;
	size_t n;

	assert_non_null(f);
	fflush(stderr);
	dup2(fileno(f), STDERR_FILENO);
	ret = options_parse(o, argc, argv);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(f);
	n = fread(stderr_text, 1, sizeof(stderr_text) - 1, f);
	stderr_text[n] = '\0';
	fclose(f);
	return ret;
}

#define PARSE(o, ...) parse(o, ARGC(ARGV(__VA_ARGS__)), ARGV(__VA_ARGS__))

static void test_defaults(void **state)
{
	struct dr_options o;
	char *argv[] = { "drsnoop", NULL };

	assert_int_equal(parse(&o, 1, argv), 0);
	assert_false(o.has_pid || o.has_tid || o.has_uid);
	assert_false(o.timestamp || o.print_uid || o.free_mem);
	assert_string_equal(o.name, "");
	assert_int_equal(o.duration, 0);
	assert_string_equal(o.backend, "auto");
}

static void test_flags(void **state)
{
	struct dr_options o;

	assert_int_equal(PARSE(&o, "-TU", "-v"), 0);
	assert_true(o.timestamp && o.print_uid && o.free_mem);
	assert_int_equal(PARSE(&o, "--timestamp", "--print-uid", "-e"), 0);
	assert_true(o.timestamp && o.print_uid && o.free_mem);
	assert_int_equal(PARSE(&o, "--extended"), 0);
	assert_true(o.free_mem);
}

static void test_values(void **state)
{
	struct dr_options o;

	assert_int_equal(PARSE(&o, "-p", "181", "-t", "123", "-u", "0", "-d",
			       "10", "-n", "main"),
			 0);
	assert_true(o.has_pid && o.has_tid && o.has_uid);
	assert_int_equal(o.pid, 181);
	assert_int_equal(o.tid, 123);
	assert_int_equal(o.uid, 0);
	assert_int_equal(o.duration, 10);
	assert_string_equal(o.name, "main");
	assert_int_equal(PARSE(&o, "--pid=7", "--uid", "4294967294", "--name=x",
			       "--duration", "1"),
			 0);
	assert_int_equal(o.pid, 7);
	assert_int_equal(o.uid, 4294967294u);
	assert_int_equal(PARSE(&o, "-Uu", "1000"), 0);
	assert_true(o.print_uid && o.has_uid);
	assert_int_equal(o.uid, 1000);
	assert_int_equal(PARSE(&o, "--backend=bpf"), 0);
	assert_string_equal(o.backend, "bpf");
}

/* Each bad value is a usage error whose message names the value. */
static void expect_usage(char **argv, int argc, const char *named)
{
	struct dr_options o;

	assert_int_equal(parse(&o, argc, argv), OPTIONS_USAGE);
	if (!strstr(stderr_text, named))
		fail_msg("message '%s' does not name '%s'", stderr_text, named);
	assert_non_null(strstr(stderr_text, "--help"));
}

#define EXPECT_USAGE(named, ...)                                               \
	expect_usage(ARGV(__VA_ARGS__), ARGC(ARGV(__VA_ARGS__)), named)

static void test_bad_values(void **state)
{
	EXPECT_USAGE("'abc'", "-p", "abc");
	EXPECT_USAGE("'0'", "-p", "0");
	EXPECT_USAGE("'12abc'", "-p", "12abc");
	EXPECT_USAGE("'-5'", "-t", "-5");
	EXPECT_USAGE("'99999999999'", "-u", "99999999999");
	EXPECT_USAGE("'4294967295'", "-u", "4294967295");
	EXPECT_USAGE("' 1'", "-u", " 1");
	EXPECT_USAGE("'-1'", "-d", "-1");
	EXPECT_USAGE("'1x'", "-d", "1x");
	EXPECT_USAGE("'0'", "-d", "0");
	EXPECT_USAGE("''", "-d", "");
	EXPECT_USAGE("''", "-n", "");
	EXPECT_USAGE("'abcdefghijklmnop'", "-n", "abcdefghijklmnop");
	EXPECT_USAGE("'-x'", "-x");
	EXPECT_USAGE("'--bogus'", "--bogus");
	EXPECT_USAGE("'-p'", "-p");
	EXPECT_USAGE("'--backend'", "--backend");
	EXPECT_USAGE("'--cgroup'", "--cgroup");
	EXPECT_USAGE("'foo'", "--backend=foo");
	EXPECT_USAGE("'extra'", "extra");
}

/* The output, memcg and throttle options; --cgroup needs a tree and a live
 * trace. */
static void test_beyond_bcc(void **state)
{
	struct dr_options o;

	assert_int_equal(PARSE(&o, "-s", "-j", "-g", "--lines"), 0);
	assert_true(o.summary && o.json && o.gfp && o.lines);
	assert_false(o.memcg || o.has_cgroup);
	assert_int_equal(PARSE(&o, "--memcg", "-i", "x.dat"), 0);
	assert_true(o.memcg);
	assert_false(o.throttle);
	/* Each kind's bit: direct 1, memcg 2, softlimit 4, throttle 8. */
	assert_int_equal(options_kinds(&o), 7);
	assert_int_equal(PARSE(&o, "--throttle", "-i", "x.dat"), 0);
	assert_true(o.throttle && !o.memcg);
	assert_int_equal(options_kinds(&o), 9);
	assert_int_equal(PARSE(&o, "--cgroup", "/", "-i", "x.dat"),
			 OPTIONS_USAGE);
	assert_non_null(strstr(stderr_text, "recordings carry no cgroups"));
	assert_int_equal(PARSE(&o, "--cgroup", "/no/such/cgroup/here"),
			 OPTIONS_USAGE);
	assert_non_null(strstr(stderr_text, "invalid PATH"));
}

/* --interval and --metrics: their values, and what they need. */
static void test_periodic(void **state)
{
	struct dr_options o;

	assert_int_equal(PARSE(&o, "-s", "--interval", "5"), 0);
	assert_int_equal(o.interval, 5);
	assert_int_equal(PARSE(&o, "--metrics", "/x/d.prom",
			       "--metrics-by=cgroup", "--memcg"),
			 0);
	assert_string_equal(o.metrics, "/x/d.prom");
	assert_true(o.metrics_by_cgroup && !o.interval);
	EXPECT_USAGE("'0'", "-s", "--interval", "0");
	EXPECT_USAGE("'1.5'", "-s", "--interval", "1.5");
	EXPECT_USAGE("'--interval'", "--interval", "5");
	EXPECT_USAGE("'pod'", "--metrics", "x", "--metrics-by", "pod");
	EXPECT_USAGE("'--metrics-by'", "--metrics-by", "cgroup");
	EXPECT_USAGE("'--metrics'", "--metrics", "x", "-i", "x.dat");
	EXPECT_USAGE("'--interval'", "-s", "--interval", "2", "-i", "x.dat");
}

/* --record: the ftrace backend's raw events, named; never of a recording. */
static void test_record(void **state)
{
	struct dr_options o;

	assert_int_equal(PARSE(&o, "--backend=ftrace", "--record", "r.dat"), 0);
	assert_string_equal(o.record, "r.dat");
	EXPECT_USAGE("'auto'", "--record", "r.dat");
	EXPECT_USAGE("'bpf'", "--backend=bpf", "--record", "r.dat");
	EXPECT_USAGE("'x.dat'", "--record", "r.dat", "-i", "x.dat");
	EXPECT_USAGE("'--record'", "--backend=ftrace", "--record");
}

static void test_help_lists_every_option(void **state)
{
	static const char *const wanted[] = {
		"-h, --help",
		"-T, --timestamp",
		"-U, --print-uid",
		"-p PID, --pid PID",
		"-t TID, --tid TID",
		"-u UID, --uid UID",
		"-d DURATION, --duration DURATION",
		"-n NAME, --name NAME",
		"-v, --verbose",
		"-e, --extended",
		"--interval SECONDS",
		"--metrics FILE",
		"--metrics-by LABEL",
		"--backend BACKEND",
		"--debug",
		"-V, --version",
	};
	char buf[8192];
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	size_t i;

	options_help(f);
	fclose(f);
	assert_memory_equal(buf, "usage: drsnoop [-h] [-T] [-U] [-p PID]", 38);
	for (i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++)
		if (!strstr(buf, wanted[i]))
			fail_msg("--help lacks '%s'", wanted[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_beyond_bcc),
		cmocka_unit_test(test_periodic),
		cmocka_unit_test(test_record),
		cmocka_unit_test(test_help_lists_every_option),
	};

	return cmocka_run_group_tests_name("options", tests, NULL, NULL);
}
