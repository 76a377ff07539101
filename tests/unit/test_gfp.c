// SPDX-License-Identifier: GPL-2.0
/*
 * gfp names from a print fmt: the table read from this kernel's format
 * file (tests/fixtures/direct_reclaim_begin.format, Linux 6.18) decodes
 * every value exactly as libtraceevent prints the event itself.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <event-parse.h>
#include "src/sys/gfp.h"

#define FORMAT "tests/fixtures/direct_reclaim_begin.format"

static struct tep_handle *tep;
static struct tep_event *ev;
static struct gfp_names names;

static int setup(void **state)
{
	char text[16384];
	FILE *f = fopen(FORMAT, "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(text, 1, sizeof(text), f);
	fclose(f);
	tep = tep_alloc();
	tep_set_long_size(tep, 8);
	if (tep_parse_event(tep, text, n, "vmscan"))
		return -1;
	ev = tep_find_event_by_name(tep, "vmscan",
				    "mm_vmscan_direct_reclaim_begin");
	return ev ? gfp_names_from_event(&names, ev) : -1;
}

static int teardown(void **state)
{
	gfp_names_free(&names);
	tep_free(tep);
	return 0;
}

/* What libtraceevent prints after "gfp_flags=" for a record of flags. */
static void tep_gfp(uint64_t flags, char *out, size_t len)
{
	struct tep_format_field *type =
		tep_find_common_field(ev, "common_type");
	struct tep_format_field *gfp = tep_find_field(ev, "gfp_flags");
	unsigned char data[64] = { 0 };
	struct tep_record rec = { .data = data, .size = sizeof(data) };
	uint16_t id = ev->id;
	struct trace_seq s;
	char *p;

	memcpy(data + type->offset, &id, sizeof(id));
	memcpy(data + gfp->offset, &flags, sizeof(flags));
	trace_seq_init(&s);
	tep_print_event(tep, &s, &rec, "%s", TEP_PRINT_INFO);
	trace_seq_terminate(&s);
	p = strstr(s.buffer, "gfp_flags=");
	snprintf(out, len, "%s", p ? p + 10 : "?");
	trace_seq_destroy(&s);
}

static void test_table(void **state)
{
	char got[512];

	assert_true(names.nr > 30);
	assert_string_equal(names.flags[0].name, "GFP_TRANSHUGE");
	assert_string_equal(gfp_format(&names, 0xcc0, got, sizeof(got)),
			    "GFP_KERNEL");
	assert_string_equal(gfp_format(&names, 0, got, sizeof(got)), "none");
	assert_string_equal(gfp_format(&names, 0x140dca, got, sizeof(got)),
			    "GFP_HIGHUSER_MOVABLE|__GFP_ZERO|__GFP_COMP");
	/* a bit no name covers prints as hex */
	assert_string_equal(
		gfp_format(&names, 0xcc0 | 1ULL << 40, got, sizeof(got)),
		"GFP_KERNEL|0x10000000000");
}

/* Every single bit, and masks seen in real stalls, as tep prints them. */
static void test_same_as_libtraceevent(void **state)
{
	static const uint64_t seen[] = { 0x346cca, 0x1c24ca, 0x152c4a,
					 0x100cca, 0x2800,   0x400dc0 };
	char got[512], want[512];
	size_t i;

	for (i = 0; i < 64; i++) {
		tep_gfp(1ULL << i, want, sizeof(want));
		assert_string_equal(
			gfp_format(&names, 1ULL << i, got, sizeof(got)), want);
	}
	for (i = 0; i < sizeof(seen) / sizeof(seen[0]); i++) {
		tep_gfp(seen[i], want, sizeof(want));
		assert_string_equal(
			gfp_format(&names, seen[i], got, sizeof(got)), want);
	}
}

/* Without names (a recording that has none): hex. */
static void test_no_table(void **state)
{
	struct gfp_names none = { 0 };
	char got[32];

	assert_string_equal(gfp_format(&none, 0x346cca, got, sizeof(got)),
			    "0x346cca");
}

/* A short buffer truncates, and stays terminated. */
static void test_truncation(void **state)
{
	char got[8];

	gfp_format(&names, 0x140dca, got, sizeof(got));
	assert_string_equal(got, "GFP_HIG");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_same_as_libtraceevent),
		cmocka_unit_test(test_no_table),
		cmocka_unit_test(test_truncation),
	};

	return cmocka_run_group_tests_name("gfp", tests, setup, teardown);
}
