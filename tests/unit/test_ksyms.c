// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel symbols: kallsyms text parsed and looked up, with the edges a
 * stack meets (the last symbol, an address below the first, modules,
 * unsorted module lines, a table of zeros as kptr_restrict shows it).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "src/symbols/ksyms.h"

/* As /proc/kallsyms shows them: module symbols after, out of order. */
static const char kallsyms[] =
	"ffffffff81000000 T _stext\n"
	"ffffffff81000000 T _text\n"
	"ffffffff81001000 t do_one_initcall\n"
	"ffffffff81002000 D some_data\n"
	"ffffffff81003000 T try_to_free_pages\n"
	"ffffffff81003400 W weak_fn\n"
	"ffffffff81004000 T _etext\n"
	"ffffffffc0202000 t ext4_fill_super\t[ext4]\n"
	"ffffffffc0201000 t ext4_writepages\t[ext4]\n"
	"garbage line\n"
	"ffffffffc0300000 t bpf_prog_1234_direct_begin\t[bpf]";

static struct ksyms *k;

static int setup(void **state)
{
	k = ksyms_parse(kallsyms, sizeof(kallsyms) - 1);
	return k ? 0 : -1;
}

static int teardown(void **state)
{
	ksyms_free(k);
	return 0;
}

static const char *fmt(uint64_t addr)
{
	static char buf[128];

	ksyms_format(k, addr, buf, sizeof(buf));
	return buf;
}

static void test_text_symbols_only(void **state)
{
	/* some_data (D) and the garbage line are not in the table */
	assert_int_equal(ksyms_count(k), 9);
	assert_string_equal(fmt(0xffffffff81002010), "do_one_initcall+0x1010");
}

static void test_lookup(void **state)
{
	assert_string_equal(fmt(0xffffffff81003000), "try_to_free_pages+0x0");
	assert_string_equal(fmt(0xffffffff810033ff), "try_to_free_pages+0x3ff");
	assert_string_equal(fmt(0xffffffff81003404), "weak_fn+0x4");
	/* the first name kallsyms gives an address */
	assert_string_equal(fmt(0xffffffff81000010), "_stext+0x10");
}

static void test_below_first(void **state)
{
	struct ksym sym;
	uint64_t off;

	assert_int_equal(ksyms_lookup(k, 0xffffffff80ffffff, &sym, &off),
			 -ENOENT);
	assert_string_equal(fmt(0xffffffff80ffffff), "0xffffffff80ffffff");
	assert_string_equal(fmt(0), "0x0");
}

/* Past a symbol with none after it nearby: unknown, not misnamed. */
static void test_past_last(void **state)
{
	assert_string_equal(fmt(0xffffffff81004010), "_etext+0x10");
	assert_string_equal(fmt(0xffffffff81004000 + KSYMS_MAX_SIZE),
			    "0xffffffff81014000");
	assert_string_equal(fmt(0xffffffffc0300020),
			    "bpf_prog_1234_direct_begin+0x20 [bpf]");
	assert_string_equal(fmt(0xffffffffffffffff), "0xffffffffffffffff");
}

static void test_modules(void **state)
{
	struct ksym sym;
	uint64_t off;

	assert_int_equal(ksyms_lookup(k, 0xffffffffc0201abc, &sym, &off), 0);
	assert_string_equal(sym.name, "ext4_writepages");
	assert_string_equal(sym.module, "ext4");
	assert_int_equal(off, 0xabc);
	assert_string_equal(fmt(0xffffffffc0202008),
			    "ext4_fill_super+0x8 [ext4]");
}

/* kptr_restrict: every address 0, no table at all rather than lies. */
static void test_all_zero(void **state)
{
	static const char zeros[] = "0000000000000000 T _stext\n"
				    "0000000000000000 T try_to_free_pages\n";

	errno = 0;
	assert_null(ksyms_parse(zeros, sizeof(zeros) - 1));
	assert_int_equal(errno, ENOENT);
	assert_null(ksyms_parse("", 0));
	assert_string_equal(fmt(0x10), "0x10");
}

static void test_no_table(void **state)
{
	char buf[32];

	ksyms_format(NULL, 0xffffffff81003000, buf, sizeof(buf));
	assert_string_equal(buf, "0xffffffff81003000");
}

/* From a file, as /proc/kallsyms is read. */
static void test_load(void **state)
{
	char path[] = "/tmp/test_ksyms.XXXXXX";
	struct ksyms *f;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, kallsyms, sizeof(kallsyms) - 1),
			 sizeof(kallsyms) - 1);
	close(fd);
	f = ksyms_load(path);
	unlink(path);
	assert_non_null(f);
	assert_int_equal(ksyms_count(f), 9);
	ksyms_free(f);
	assert_null(ksyms_load("/nonexistent/kallsyms"));
}

/*
 * From a descriptor opened earlier, as drsnoop reads /proc/kallsyms at
 * the first stack; the descriptor stays the caller's.
 */
static void test_read_fd(void **state)
{
	struct ksyms *f;
	int p[2];

	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], kallsyms, sizeof(kallsyms) - 1),
			 sizeof(kallsyms) - 1);
	close(p[1]);
	f = ksyms_read(p[0]);
	assert_non_null(f);
	assert_int_equal(ksyms_count(f), 9);
	assert_int_not_equal(fcntl(p[0], F_GETFD), -1);
	close(p[0]);
	ksyms_free(f);
}

static void expect_at(const struct ksyms *t, uint64_t addr, const char *name,
		      uint64_t want_off)
{
	struct ksym sym;
	uint64_t off;

	assert_int_equal(ksyms_lookup(t, addr, &sym, &off), 0);
	assert_string_equal(sym.name, name);
	assert_int_equal(off, want_off);
	assert_null(sym.module);
}

/*
 * Symbols added one by one, out of order, as a recording's come: each
 * found from its address on, in a table that grows past its first room,
 * and a table parsed first grows the same way.
 */
static void test_add(void **state)
{
	struct ksyms *t = NULL;
	char name[32];
	int i;

	assert_int_equal(ksyms_add(&t, 0xffffffff81003000, "try"), 0);
	assert_int_equal(ksyms_add(&t, 0xffffffff81001000, "first"), 0);
	assert_int_equal(ksyms_add(&t, 0xffffffff81001000, "alias"), 0);
	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "fn_%d", 99 - i);
		assert_int_equal(
			ksyms_add(&t, 0xffffffff82000000 + (99 - i) * 0x100,
				  name),
			0);
	}
	assert_int_equal(ksyms_count(t), 103);
	expect_at(t, 0xffffffff81001010, "first", 0x10);
	expect_at(t, 0xffffffff81003004, "try", 4);
	expect_at(t, 0xffffffff82000000, "fn_0", 0);
	expect_at(t, 0xffffffff82002a10, "fn_42", 0x10);
	ksyms_free(t);

	assert_int_equal(ksyms_add(&k, 0xffffffff81003800, "added"), 0);
	expect_at(k, 0xffffffff81003900, "added", 0x100);
	expect_at(k, 0xffffffff81003000, "try_to_free_pages", 0);
	assert_int_equal(ksyms_count(k), 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_symbols_only),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_below_first),
		cmocka_unit_test(test_past_last),
		cmocka_unit_test(test_modules),
		cmocka_unit_test(test_all_zero),
		cmocka_unit_test(test_no_table),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_read_fd),
		cmocka_unit_test(test_add),
	};

	return cmocka_run_group_tests_name("ksyms", tests, setup, teardown);
}
