// SPDX-License-Identifier: GPL-2.0
/*
 * Begin/end pairing on recorded sequences: an end before any begin,
 * a begin still open at exit, interleaved threads, CPU migration, losses,
 * enough threads to make the table grow and shift on delete, stacks
 * carried from a begin to its end through all of that, and throttles
 * outside and inside a reclaim of the same thread.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <cmocka.h>
#include "src/lib/pair.h"

static struct dr_pairer pairer;

static int setup(void **state)
{
	return pairer_init(&pairer);
}

static int teardown(void **state)
{
	pairer_free(&pairer);
	return 0;
}

static void begin(uint64_t ts, uint32_t tid)
{
	struct dr_begin b = { .ts_ns = ts,
			      .tid = tid,
			      .order = 9,
			      .gfp_flags = 0x140dca,
			      .has_gfp = true };

	assert_int_equal(pairer_begin(&pairer, &b), 0);
}

static void test_end_without_begin(void **state)
{
	struct dr_event e;

	/* Reclaim that began before tracing did: no stall, one orphan. */
	assert_false(pairer_end(&pairer, 100, 7, 32, &e));
	assert_int_equal(pairer.orphan_ends, 1);
}

static void test_simple_pair(void **state)
{
	struct dr_event e;

	begin(1000, 7);
	assert_true(pairer_end(&pairer, 251000, 7, 32, &e));
	assert_int_equal(e.begin_ns, 1000);
	assert_int_equal(e.lat_ns, 250000);
	assert_int_equal(e.nr_reclaimed, 32);
	assert_int_equal(e.tid, 7);
	assert_int_equal(e.order, 9);
	assert_int_equal(e.gfp_flags, 0x140dca);
	assert_true(dr_event_has(&e, DR_HAS_ORDER));
	assert_true(dr_event_has(&e, DR_HAS_GFP));
	assert_false(dr_event_has(&e, DR_HAS_PID));
	assert_int_equal(pairer_pending(&pairer), 0);
	/* The pair is consumed: a second end is an orphan. */
	assert_false(pairer_end(&pairer, 300000, 7, 1, &e));
}

static void test_begin_without_end(void **state)
{
	begin(1000, 8);
	begin(2000, 9);
	assert_int_equal(pairer_pending(&pairer), 2);
}

static void test_interleaved_threads(void **state)
{
	struct dr_event e;

	begin(100, 1);
	begin(150, 2);
	begin(160, 3);
	assert_true(pairer_end(&pairer, 400, 2, 20, &e));
	assert_int_equal(e.lat_ns, 250);
	assert_true(pairer_end(&pairer, 500, 1, 10, &e));
	assert_int_equal(e.lat_ns, 400);
	assert_true(pairer_end(&pairer, 900, 3, 30, &e));
	assert_int_equal(e.lat_ns, 740);
	assert_int_equal(pairer_pending(&pairer), 0);
}

/* Pairing is by thread, not CPU: the caller merges CPUs by time. */
static void test_migration(void **state)
{
	struct dr_event e;

	begin(1000, 42); /* on CPU 0 */
	assert_true(pairer_end(&pairer, 5000, 42, 3, &e)); /* on CPU 1 */
	assert_int_equal(e.lat_ns, 4000);
}

static void test_lost_events(void **state)
{
	struct dr_event e;

	begin(1000, 5);
	/* Its end (and a next begin) may be lost: do not invent a stall. */
	pairer_reset(&pairer);
	assert_int_equal(pairer.dropped, 1);
	assert_false(pairer_end(&pairer, 9000, 5, 1, &e));
	begin(10000, 5);
	assert_true(pairer_end(&pairer, 12000, 5, 1, &e));
	assert_int_equal(e.lat_ns, 2000);
}

static void end(uint64_t ts, uint32_t tid, bool paired)
{
	struct dr_event e;

	assert_int_equal(pairer_end(&pairer, ts, tid, 32, &e), paired);
}

/*
 * Losses in stalls: of stalls 0 to 6, 0 and 5 print; the source lost
 * events of the 5 others: the end of 1, the begin of 2, both of 3, the
 * end of 4 (its begin is replaced by 5's, on the same thread, before the
 * loss is seen) and the end of 6.
 */
static void test_lost_stalls(void **state)
{
	/* Straddlers: an end before any loss, a begin still running. */
	end(50, 9, false);
	begin(100, 1); /* stall 0 */
	end(200, 1, true);
	assert_int_equal(pairer_take_lost(&pairer), 0);
	begin(300, 1); /* stall 1: its end lost */
	/* stall 2: begin lost; stall 3: both lost */
	pairer_lost(&pairer, 4);
	end(400, 2, false); /* stall 2's end */
	assert_int_equal(pairer_take_lost(&pairer), 3);
	begin(500, 3); /* stall 4: its end lost, not yet seen */
	begin(600, 3); /* stall 5: replaces it */
	end(700, 3, true);
	begin(800, 4); /* stall 6: its end lost */
	pairer_lost(&pairer, 2);
	assert_int_equal(pairer_take_lost(&pairer), 2);
	begin(900, 5); /* running when tracing stops: not lost */
	assert_int_equal(pairer_take_lost(&pairer), 0);
	assert_int_equal(pairer_pending(&pairer), 1);
}

static void test_many_threads(void **state)
{
	struct dr_event e;
	uint32_t tid;

	for (tid = 1; tid <= 5000; tid++)
		begin(tid * 10, tid * 7);
	assert_int_equal(pairer_pending(&pairer), 5000);
	/* End every other one, then the rest: deletes shift neighbours. */
	for (tid = 1; tid <= 5000; tid += 2) {
		assert_true(
			pairer_end(&pairer, tid * 10 + 5, tid * 7, tid, &e));
		assert_int_equal(e.lat_ns, 5);
		assert_int_equal(e.nr_reclaimed, tid);
	}
	for (tid = 2; tid <= 5000; tid += 2)
		assert_true(pairer_end(&pairer, tid * 10 + 6, tid * 7, 0, &e));
	assert_int_equal(pairer_pending(&pairer), 0);
	assert_int_equal(pairer.orphan_ends, 0);
}

static void test_stacks(void **state)
{
	uint64_t k[3] = { 0xffffffff81000010, 0xffffffff81000020, 3 };
	uint64_t u[2] = { 0x55b05640379b, 0x7fa4341e438f };
	struct dr_event e;

	begin(1000, 7);
	assert_int_equal(pairer_stack(&pairer, 7, 1000, PAIR_KSTACK, k, 3), 0);
	assert_int_equal(pairer_stack(&pairer, 7, 1000, PAIR_USTACK, u, 2), 0);
	/* Another begin's stamp, or no begin at all: not attached. */
	assert_int_equal(pairer_stack(&pairer, 7, 999, PAIR_KSTACK, u, 2), 0);
	assert_int_equal(pairer_stack(&pairer, 8, 1000, PAIR_KSTACK, u, 2), 0);
	assert_true(pairer_end(&pairer, 2000, 7, 32, &e));
	assert_true(dr_event_has(&e, DR_HAS_KSTACK));
	assert_true(dr_event_has(&e, DR_HAS_USTACK));
	assert_int_equal(e.kstack_nr, 3);
	assert_memory_equal(e.kstack, k, sizeof(k));
	assert_int_equal(e.ustack_nr, 2);
	assert_memory_equal(e.ustack, u, sizeof(u));

	/* A begin without stacks has none, and a replaced begin loses its. */
	begin(3000, 7);
	assert_int_equal(pairer_stack(&pairer, 7, 3000, PAIR_KSTACK, k, 3), 0);
	begin(3500, 7);
	assert_true(pairer_end(&pairer, 4000, 7, 32, &e));
	assert_false(dr_event_has(&e, DR_HAS_KSTACK));
	assert_null(e.kstack);
	assert_int_equal(e.kstack_nr, 0);

	/* Pending stacks are freed by a loss and at the end (ASan checks). */
	begin(5000, 7);
	assert_int_equal(pairer_stack(&pairer, 7, 5000, PAIR_KSTACK, k, 3), 0);
	pairer_reset(&pairer);
	begin(6000, 9);
	assert_int_equal(pairer_stack(&pairer, 9, 6000, PAIR_USTACK, u, 2), 0);
}

static void test_stacks_move_with_slots(void **state)
{
	struct dr_event e;
	uint64_t k[1];
	uint32_t tid;

	/* Growing rehashes and deleting shifts slots: stacks go along. */
	for (tid = 1; tid <= 1000; tid++) {
		begin(tid, tid);
		k[0] = tid;
		assert_int_equal(
			pairer_stack(&pairer, tid, tid, PAIR_KSTACK, k, 1), 0);
	}
	for (tid = 1; tid <= 1000; tid += 2)
		assert_true(pairer_end(&pairer, 5000, tid, 1, &e));
	for (tid = 2; tid <= 1000; tid += 2) {
		assert_true(pairer_end(&pairer, 5000, tid, 1, &e));
		assert_int_equal(e.kstack_nr, 1);
		assert_int_equal(e.kstack[0], tid);
	}
}

/* A throttle stamped at ts (its end) after a sleep of delayed ns. */
static struct dr_event throttle(uint64_t ts, uint32_t tid, uint64_t delayed)
{
	struct dr_event e;

	pairer_throttle(&pairer, ts, tid, delayed, 1, &e);
	assert_int_equal(e.kind, DR_KIND_THROTTLE);
	assert_int_equal(e.tid, tid);
	assert_int_equal(e.reason, 1);
	assert_int_equal(e.begin_ns, ts - delayed);
	assert_int_equal(e.lat_ns, delayed);
	assert_false(dr_event_has(&e, DR_HAS_ORDER));
	return e;
}

static void test_throttle_alone(void **state)
{
	struct dr_event e = throttle(50000, 7, 20000);

	assert_false(dr_event_has(&e, DR_NESTED));
	/* Another thread's reclaim does not hold this thread's throttle. */
	begin(60000, 8);
	e = throttle(90000, 7, 20000);
	assert_false(dr_event_has(&e, DR_NESTED));
	assert_int_equal(pairer_pending(&pairer), 1);
}

/* kind's reclaim on thread 7 holds a throttle, and ends as it would. */
static void check_nested(uint32_t kind)
{
	struct dr_begin b = {
		.ts_ns = 1000, .tid = 7, .order = 0, .kind = kind
	};
	struct dr_event e;

	assert_int_equal(pairer_begin(&pairer, &b), 0);
	e = throttle(120000, 7, 100000);
	assert_true(dr_event_has(&e, DR_NESTED));
	assert_int_equal(e.outer_kind, kind);
	/* The begin waits on for its end, whose latency holds the sleep. */
	assert_int_equal(pairer_pending(&pairer), 1);
	assert_true(pairer_end(&pairer, 150000, 7, 12, &e));
	assert_int_equal(e.kind, kind);
	assert_int_equal(e.begin_ns, 1000);
	assert_int_equal(e.lat_ns, 149000);
	assert_int_equal(e.nr_reclaimed, 12);
	/* After the end, a throttle is on its own again. */
	e = throttle(200000, 7, 10000);
	assert_false(dr_event_has(&e, DR_NESTED));
}

static void test_throttle_in_direct(void **state)
{
	check_nested(DR_KIND_DIRECT);
}

static void test_throttle_in_memcg(void **state)
{
	check_nested(DR_KIND_MEMCG);
}

/*
 * A thread that begins on one CPU, sleeps throttled and ends on others:
 * keyed by thread, the begin is found whatever the CPU (the sources
 * deliver in time order, across CPUs).
 */
static void test_throttle_migrating(void **state)
{
	struct dr_event e;

	begin(1000, 42); /* on CPU 0 */
	begin(1500, 43); /* on CPU 1 */
	e = throttle(9000, 42, 4000); /* on CPU 1 */
	assert_true(dr_event_has(&e, DR_NESTED));
	assert_int_equal(e.outer_kind, DR_KIND_DIRECT);
	assert_true(pairer_end(&pairer, 12000, 42, 3, &e)); /* on CPU 0 */
	assert_int_equal(e.lat_ns, 11000);
	assert_int_equal(pairer_pending(&pairer), 1);
}

/* A sleep longer than the clock has run (a damaged file): no wrap. */
static void test_throttle_clamped(void **state)
{
	struct dr_event e;

	pairer_throttle(&pairer, 100, 7, 5000, 4, &e);
	assert_int_equal(e.begin_ns, 0);
	assert_int_equal(e.lat_ns, 100);
	assert_int_equal(e.reason, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_end_without_begin, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_simple_pair, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_begin_without_end, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_interleaved_threads, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_migration, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_lost_events, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_stacks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stacks_move_with_slots,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_lost_stalls, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_throttle_alone, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_throttle_in_direct, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_throttle_in_memcg, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_throttle_migrating, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_throttle_clamped, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_many_threads, setup,
						teardown),
	};

	return cmocka_run_group_tests_name("pair", tests, NULL, NULL);
}
