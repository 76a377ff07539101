// SPDX-License-Identifier: GPL-2.0
/* JSON strings: escapes, UTF-8 passed through, other bytes replaced. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "src/lib/json.h"

static char buf[1024];

static const char *quote(const char *s, size_t len)
{
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	json_string(f, s, len);
	fclose(f);
	return buf;
}

#define Q(s) quote(s, sizeof(s) - 1)

static void test_plain(void **state)
{
	assert_string_equal(Q("drpressure"), "\"drpressure\"");
	assert_string_equal(Q(""), "\"\"");
	/* a comm is 16 bytes, NUL-padded: stop at the NUL */
	assert_string_equal(quote("ab\0cd", 5), "\"ab\"");
}

static void test_escapes(void **state)
{
	assert_string_equal(Q("a\"b\\c"), "\"a\\\"b\\\\c\"");
	assert_string_equal(Q("\b\f\n\r\t"), "\"\\b\\f\\n\\r\\t\"");
	assert_string_equal(Q("\x01\x1f\x7f"), "\"\\u0001\\u001f\\u007f\"");
	assert_string_equal(Q("/"), "\"/\"");
}

static void test_utf8(void **state)
{
	/* é, €, 𝄞 pass through */
	assert_string_equal(Q("\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e"),
			    "\"\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e\"");
	/* a lone continuation byte, a truncated sequence, 0xff */
	assert_string_equal(Q("a\x80z"), "\"a\\ufffdz\"");
	assert_string_equal(Q("\xe2\x82"), "\"\\ufffd\\ufffd\"");
	assert_string_equal(Q("\xff"), "\"\\ufffd\"");
	/* overlong '/', a UTF-16 surrogate, past U+10FFFF */
	assert_string_equal(Q("\xc0\xaf"), "\"\\ufffd\\ufffd\"");
	assert_string_equal(Q("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");
	assert_string_equal(Q("\xf4\x90\x80\x80"),
			    "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
	/* a sequence cut by the end of the comm */
	assert_string_equal(quote("x\xc3\xa9", 2), "\"x\\ufffd\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_utf8),
	};

	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
