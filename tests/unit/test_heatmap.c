// SPDX-License-Identifier: GPL-2.0
/* --report's heat map: which cell a stall counts in, and column merging. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "src/output/heatmap.h"

#define MS  1000000ULL
#define SEC 1000000000ULL
#define T0  (5 * SEC)

static uint64_t column_sum(const struct heatmap *h, uint32_t kind,
			   unsigned int col)
{
	uint64_t n = 0;
	unsigned int s;

	for (s = 0; s < SUMMARY_SLOTS; s++)
		n += heatmap_cell(h, kind, col, s);
	return n;
}

/* The column by end time, the row by -s's histogram slot. */
static void test_bucketing(void **state)
{
	struct heatmap h;

	heatmap_init(&h, T0);
	assert_int_equal(heatmap_add(&h, DR_KIND_DIRECT, T0 + 50 * MS, 3 * MS),
			 0);
	assert_int_equal(heatmap_add(&h, DR_KIND_DIRECT, T0 + 250 * MS, 1500),
			 0);
	assert_int_equal(heatmap_add(&h, DR_KIND_MEMCG, T0 + 99 * MS, 2 * SEC),
			 0);
	/* Before the map starts (a stall that began before tracing did). */
	assert_int_equal(heatmap_add(&h, DR_KIND_DIRECT, T0 - MS, 3 * MS), 0);
	assert_int_equal(h.col_ns, HEATMAP_FIRST_COL_NS);
	assert_int_equal(h.nr_cols, 3);
	assert_int_equal(h.stalls, 4);
	/* 3 ms is 3000 us: slot 11 (2048 -> 4095), as -s's histogram. */
	assert_int_equal(heatmap_cell(&h, DR_KIND_DIRECT, 0, 11), 2);
	assert_int_equal(heatmap_cell(&h, DR_KIND_DIRECT, 2, 0), 1);
	assert_int_equal(heatmap_cell(&h, DR_KIND_MEMCG, 0, 20), 1);
	assert_int_equal(column_sum(&h, DR_KIND_DIRECT, 1), 0);
	assert_null(h.cells[DR_KIND_COMPACT]);
	assert_int_equal(heatmap_cell(&h, DR_KIND_COMPACT, 0, 0), 0);
	heatmap_free(&h);
}

/* Past the last column, pairs merge: nothing is lost or moved in time. */
static void test_merging(void **state)
{
	uint64_t last = T0 + HEATMAP_COLS * HEATMAP_FIRST_COL_NS;
	struct heatmap h;
	unsigned int c;

	heatmap_init(&h, T0);
	for (c = 0; c < HEATMAP_COLS; c++)
		assert_int_equal(heatmap_add(&h, DR_KIND_DIRECT,
					     T0 + c * HEATMAP_FIRST_COL_NS + MS,
					     (c % 4 + 1) * MS),
				 0);
	assert_int_equal(h.nr_cols, HEATMAP_COLS);
	assert_int_equal(heatmap_add(&h, DR_KIND_DIRECT, last, MS), 0);
	assert_int_equal(h.col_ns, 2 * HEATMAP_FIRST_COL_NS);
	assert_int_equal(h.nr_cols, HEATMAP_COLS / 2 + 1);
	assert_int_equal(h.stalls, HEATMAP_COLS + 1);
	/* Old columns 0 and 1 (1 ms, 2 ms: slots 9 and 10) are now 0. */
	assert_int_equal(heatmap_cell(&h, DR_KIND_DIRECT, 0, 9), 1);
	assert_int_equal(heatmap_cell(&h, DR_KIND_DIRECT, 0, 10), 1);
	for (c = 0; c < HEATMAP_COLS / 2; c++)
		assert_int_equal(column_sum(&h, DR_KIND_DIRECT, c), 2);
	assert_int_equal(column_sum(&h, DR_KIND_DIRECT, HEATMAP_COLS / 2), 1);
	for (c = HEATMAP_COLS / 2 + 1; c < HEATMAP_COLS; c++)
		assert_int_equal(column_sum(&h, DR_KIND_DIRECT, c), 0);
	heatmap_free(&h);
}

/* A day fits: the columns widen to 204.8 s, and every stall is kept. */
static void test_day(void **state)
{
	uint64_t t, n = 0;
	struct heatmap h;
	unsigned int c;

	heatmap_init(&h, T0);
	for (t = 0; t < 24 * 3600 * SEC; t += 10 * SEC, n++)
		assert_int_equal(heatmap_add(&h, DR_KIND_DIRECT, T0 + t, MS),
				 0);
	assert_int_equal(h.col_ns, 2048 * HEATMAP_FIRST_COL_NS);
	assert_true(h.nr_cols <= HEATMAP_COLS);
	assert_int_equal(h.nr_cols, 24 * 3600 * SEC / h.col_ns + 1);
	for (c = 0, t = 0; c < h.nr_cols; c++)
		t += column_sum(&h, DR_KIND_DIRECT, c);
	assert_int_equal(t, n);
	heatmap_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bucketing),
		cmocka_unit_test(test_merging),
		cmocka_unit_test(test_day),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
