// SPDX-License-Identifier: GPL-2.0
/*
 * The time-ordering queue: ties kept in arrival order while the queue
 * grows, records past the flush time kept for the next flush, a callback
 * that stops the flush, and the median.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "fallback/shared/time_queue.h"

struct item {
	struct time_stamp stamp;
	int id;
};

static struct time_queue queue;
static int seen[512];
static int nr_seen;

static int setup(void **state)
{
	time_queue_init(&queue, sizeof(struct item));
	nr_seen = 0;
	return 0;
}

static int teardown(void **state)
{
	time_queue_free(&queue);
	return 0;
}

static void push(uint64_t ts, int id)
{
	struct item it = { .stamp.ts = ts, .id = id };

	assert_int_equal(time_queue_push(&queue, &it), 0);
}

static int record(const void *rec, void *ctx)
{
	const struct item *it = rec;

	assert_true(nr_seen < 512);
	seen[nr_seen++] = it->id;
	return 0;
}

/* Flush up to upto: ids first to last come out, and left records stay. */
static void flush_expect(uint64_t upto, int first, int last, size_t left)
{
	int from = nr_seen, id;

	assert_int_equal(time_queue_flush(&queue, upto, record, NULL), 0);
	assert_int_equal(nr_seen, from + last - first + 1);
	for (id = first; id <= last; id++)
		assert_int_equal(seen[from + id - first], id);
	assert_int_equal(queue.nr, left);
}

/* Three timestamps, pushed newest first, over several reallocations. */
static void test_ties_in_arrival_order(void **state)
{
	int i;

	for (i = 0; i < 300; i++)
		push(2 - i % 3, i);
	assert_int_equal(time_queue_flush(&queue, UINT64_MAX, record, NULL), 0);
	assert_int_equal(nr_seen, 300);
	for (i = 0; i < 100; i++) {
		assert_int_equal(seen[i], 3 * i + 2);
		assert_int_equal(seen[100 + i], 3 * i + 1);
		assert_int_equal(seen[200 + i], 3 * i);
	}
	assert_int_equal(queue.nr, 0);
}

static void test_younger_records_kept(void **state)
{
	push(30, 3);
	push(10, 1);
	push(20, 2);
	flush_expect(20, 1, 2, 1);
	/* Pushed after the kept one: a tie still comes second. */
	push(30, 4);
	flush_expect(30, 3, 4, 0);
}

static int stop_at_two(const void *rec, void *ctx)
{
	const struct item *it = rec;

	record(rec, ctx);
	return it->id == 2 ? -5 : 0;
}

/* The record that stopped the flush is done with; the rest stay. */
static void test_stop(void **state)
{
	push(1, 1);
	push(2, 2);
	push(3, 3);
	push(9, 4);
	assert_int_equal(time_queue_flush(&queue, 5, stop_at_two, NULL), -5);
	assert_int_equal(nr_seen, 2);
	assert_int_equal(queue.nr, 2);
	flush_expect(UINT64_MAX, 3, 4, 0);
}

static void test_median(void **state)
{
	int i;

	assert_int_equal(time_queue_median(&queue), 0);
	for (i = 10; i > 0; i--)
		push(100 * i, i);
	assert_int_equal(time_queue_median(&queue), 600);
	flush_expect(599, 1, 5, 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ties_in_arrival_order,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_younger_records_kept,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_median, setup, teardown),
	};

	return cmocka_run_group_tests_name("time_queue", tests, NULL, NULL);
}
