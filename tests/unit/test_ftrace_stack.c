// SPDX-License-Identifier: GPL-2.0
/*
 * ftrace's stack events without tracefs: kernel_stack and user_stack
 * payloads built by hand in Linux 6.18's layout (kernel_stack longer than
 * its format's caller[8], user_stack ended by 0, an old kernel's ULONG_MAX
 * end mark, a payload cut short), and the matching of stacks to the begin
 * they follow in one CPU buffer, with other buffers' records in between.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "fallback/shared/ftrace_stack.h"
#include "src/sys/tracelibs.h"

#define COMMON_FIELDS                                                          \
	"format:\n"                                                            \
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n" \
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n" \
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;"      \
	"\tsigned:0;\n"                                                        \
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"

/* Linux 6.18, print fmt shortened. */
static const char kernel_stack_fmt[] =
	"name: kernel_stack\nID: 4\n" COMMON_FIELDS
	"\tfield:int size;\toffset:8;\tsize:4;\tsigned:1;\n"
	"\tfield:unsigned long caller[8];\toffset:16;\tsize:64;\tsigned:0;\n\n"
	"print fmt: \"\\t=> %ps\\n\", (void *)REC->caller[0]\n";

static const char user_stack_fmt[] =
	"name: user_stack\nID: 13\n" COMMON_FIELDS
	"\tfield:unsigned int tgid;\toffset:8;\tsize:4;\tsigned:0;\n"
	"\tfield:unsigned long caller[8];\toffset:16;\tsize:64;\tsigned:0;\n\n"
	"print fmt: \"\\t=> %ps\\n\", (void *)REC->caller[0]\n";

static struct tep_handle *tep;
static struct ftrace_stack_fields sf;
static struct ftrace_stack st;

static int setup(void **state)
{
	char why[256];

	if (tracelibs_load_tracefs(why, sizeof(why)))
		return -1;
	tep = sym_tep_alloc();
	sym_tep_set_long_size(tep, 8);
	if (sym_tep_parse_event(tep, kernel_stack_fmt,
				sizeof(kernel_stack_fmt) - 1, "ftrace") ||
	    sym_tep_parse_event(tep, user_stack_fmt, sizeof(user_stack_fmt) - 1,
				"ftrace"))
		return -1;
	return ftrace_stack_fields_init(&sf, tep) ? 0 : -1;
}

static int teardown(void **state)
{
	sym_tep_free(tep);
	return 0;
}

/* A stack event of type id from tid: n frames, in a payload of len. */
static size_t build(unsigned char *buf, uint16_t id, int32_t tid, int32_t size,
		    const uint64_t *frames, size_t n)
{
	memset(buf, 0, 16);
	memcpy(buf, &id, 2);
	memcpy(buf + 4, &tid, 4);
	memcpy(buf + 8, &size, 4);
	memcpy(buf + 16, frames, n * 8);
	return 16 + n * 8;
}

static void test_kernel_stack_longer_than_format(void **state)
{
	uint64_t frames[20];
	unsigned char buf[16 + sizeof(frames)];
	size_t i, len;

	for (i = 0; i < 20; i++)
		frames[i] = 0xffffffff81000000ULL + i;
	len = build(buf, 4, 42, 20, frames, 20);
	assert_true(ftrace_stack_decode(&sf, buf, len, &st));
	assert_int_equal(st.kind, PAIR_KSTACK);
	assert_int_equal(st.tid, 42);
	assert_int_equal(st.nr, 20);
	assert_memory_equal(st.addrs, frames, sizeof(frames));
}

static void test_kernel_stack_cut_short(void **state)
{
	uint64_t frames[4] = { 1, 2, 3, 4 };
	unsigned char buf[16 + sizeof(frames)];
	size_t len = build(buf, 4, 42, 100, frames, 4);

	/* size says 100 frames; the record holds 4: only those are read. */
	assert_true(ftrace_stack_decode(&sf, buf, len, &st));
	assert_int_equal(st.nr, 4);
	/* Too short for common_pid: not decoded. */
	assert_false(ftrace_stack_decode(&sf, buf, 6, &st));
}

static void test_kernel_stack_old_end_mark(void **state)
{
	uint64_t frames[8] = { 10, 11, 12, UINT64_MAX, 0, 0, 0, 0 };
	unsigned char buf[16 + sizeof(frames)];
	size_t len = build(buf, 4, 7, 8, frames, 8);

	assert_true(ftrace_stack_decode(&sf, buf, len, &st));
	assert_int_equal(st.nr, 3);
}

static void test_kernel_stack_capped(void **state)
{
	static uint64_t frames[DR_STACK_MAX + 40];
	unsigned char *buf = malloc(16 + sizeof(frames));
	size_t i, len;

	for (i = 0; i < DR_STACK_MAX + 40; i++)
		frames[i] = 0x1000 + i;
	len = build(buf, 4, 7, DR_STACK_MAX + 40, frames, DR_STACK_MAX + 40);
	assert_true(ftrace_stack_decode(&sf, buf, len, &st));
	assert_int_equal(st.nr, DR_STACK_MAX);
	assert_int_equal(st.addrs[0], 0x1000);
	free(buf);
}

static void test_user_stack_ends_at_zero(void **state)
{
	uint64_t frames[8] = { 0x55b05640379b, 0x7fa4341e438f, 0 };
	unsigned char buf[16 + sizeof(frames)];
	size_t len = build(buf, 13, 99, 99 /* tgid */, frames, 8);

	assert_true(ftrace_stack_decode(&sf, buf, len, &st));
	assert_int_equal(st.kind, PAIR_USTACK);
	assert_int_equal(st.tid, 99);
	assert_int_equal(st.nr, 2);
	assert_int_equal(st.addrs[1], 0x7fa4341e438f);
}

static void test_other_event(void **state)
{
	uint64_t frames[1] = { 1 };
	unsigned char buf[24];
	size_t len = build(buf, 637, 1, 1, frames, 1);

	assert_false(ftrace_stack_decode(&sf, buf, len, &st));
}

static void test_matcher(void **state)
{
	struct stack_matcher m = { 0 };
	uint64_t ts = 0;

	/* CPU 0: begin of 5, then its user and kernel stacks. */
	assert_false(stack_matcher_next(&m, 0, STACK_REC_BEGIN, 5, 100, &ts));
	/* CPU 1's records in between change nothing on CPU 0. */
	assert_false(stack_matcher_next(&m, 1, STACK_REC_OTHER, 6, 101, &ts));
	assert_true(stack_matcher_next(&m, 0, STACK_REC_STACK, 5, 102, &ts));
	assert_int_equal(ts, 100);
	ts = 0;
	assert_true(stack_matcher_next(&m, 0, STACK_REC_STACK, 5, 103, &ts));
	assert_int_equal(ts, 100);
	/* The end's stacks (-T, userstacktrace) belong to no begin. */
	assert_false(stack_matcher_next(&m, 0, STACK_REC_OTHER, 5, 200, &ts));
	assert_false(stack_matcher_next(&m, 0, STACK_REC_STACK, 5, 201, &ts));
	/* Another task's stack after a begin is not the begin's. */
	assert_false(stack_matcher_next(&m, 0, STACK_REC_BEGIN, 5, 300, &ts));
	assert_false(stack_matcher_next(&m, 0, STACK_REC_STACK, 8, 301, &ts));
	assert_false(stack_matcher_next(&m, 0, STACK_REC_STACK, 5, 302, &ts));
	/* A stack on a CPU that has seen no begin; a large key. */
	assert_false(stack_matcher_next(&m, 700, STACK_REC_STACK, 5, 400, &ts));
	assert_false(
		stack_matcher_next(&m, 1u << 30, STACK_REC_BEGIN, 5, 1, &ts));
	stack_matcher_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel_stack_longer_than_format),
		cmocka_unit_test(test_kernel_stack_cut_short),
		cmocka_unit_test(test_kernel_stack_old_end_mark),
		cmocka_unit_test(test_kernel_stack_capped),
		cmocka_unit_test(test_user_stack_ends_at_zero),
		cmocka_unit_test(test_other_event),
		cmocka_unit_test(test_matcher),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
