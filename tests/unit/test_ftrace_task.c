// SPDX-License-Identifier: GPL-2.0
/*
 * The ftrace backend's naming of a task that has exited, from a fake
 * saved_cmdlines: read once a drain however many stalls it names, read
 * again for a tid it lacks (once), and never carried into the next drain,
 * where a tid may be a new task's (a drain of no CPU buffers here). The
 * tids are above the kernel's PID_MAX_LIMIT: no /proc/TID exists for them.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "fallback/ftrace/ftrace_backend.h"
#include "src/core/options.h"
#include "src/sys/tracelibs.h"

#define DEAD 4194400u /* PID_MAX_LIMIT is 4194304 */

static const char *cmdlines; /* the fake file, NULL: unreadable */
static int nr_reads;

static char *fake_file_read(struct tracefs_instance *inst, const char *file,
			    int *psize)
{
	(void)inst;
	(void)psize;
	assert_string_equal(file, "saved_cmdlines");
	nr_reads++;
	return cmdlines ? strdup(cmdlines) : NULL;
}

static struct dr_options opts;
static struct ftrace_state st;

static int setup(void **state)
{
	(void)state;
	st = (struct ftrace_state){ .o = &opts };
	st.task_ids = calloc(NR_TASK_IDS, sizeof(*st.task_ids));
	time_queue_init(&st.queue, sizeof(struct ftrace_rec));
	trace_clock_init_mono(&st.clock);
	sym_tracefs_instance_file_read = fake_file_read;
	nr_reads = 0;
	return !st.task_ids;
}

static int teardown(void **state)
{
	(void)state;
	ftrace_cmdlines_forget(&st.cmdlines);
	time_queue_free(&st.queue);
	free(st.task_ids);
	return 0;
}

/* The comm st names tid with, "" for none. */
static const char *name(uint32_t tid)
{
	static struct dr_event e;

	e = (struct dr_event){ .tid = tid };
	ftrace_identify_task(&st, &e);
	if (!dr_event_has(&e, DR_HAS_COMM))
		return "";
	return e.comm;
}

static void test_read_once_a_drain(void **state)
{
	int i;

	(void)state;
	cmdlines = "1 systemd\n"
		   "4194400 storm-a\n"
		   "4194401 storm-b\n";
	for (i = 0; i < 100; i++) {
		assert_string_equal(name(DEAD), "storm-a");
		assert_string_equal(name(DEAD + 1), "storm-b");
	}
	assert_int_equal(nr_reads, 1);
}

/* A drain of empty buffers, as the backend's poll does it at exit. */
static void drain(void)
{
	assert_int_equal(ftrace_backend.poll(&st.backend, 0), 0);
}

/* The next drain reads the file again: the tid is another task's now. */
static void test_reused_tid_named_anew(void **state)
{
	(void)state;
	cmdlines = "4194400 old-task\n";
	assert_string_equal(name(DEAD), "old-task");
	drain();
	cmdlines = "4194400 new-task\n";
	assert_string_equal(name(DEAD), "new-task");
	assert_int_equal(nr_reads, 2);
}

/* A task that exited after the read is in the file when read again. */
static void test_missing_tid_read_again_once(void **state)
{
	(void)state;
	cmdlines = "4194400 first\n";
	assert_string_equal(name(DEAD), "first");
	cmdlines = "4194400 first\n4194401 exited-since\n";
	assert_string_equal(name(DEAD + 1), "exited-since");
	assert_int_equal(nr_reads, 2);
	assert_string_equal(name(DEAD + 2), "");
	assert_string_equal(name(DEAD + 2), "");
	assert_string_equal(name(DEAD), "first");
	assert_int_equal(nr_reads, 3);
}

/* A line that is not "pid comm", a comm longer than a task's, no newline. */
static void test_lines_parsed(void **state)
{
	(void)state;
	cmdlines = "<idle>\n4194400x junk\n4194400 a-comm-longer-than-16\n"
		   "4194401 last";
	assert_string_equal(name(DEAD), "a-comm-longer-t");
	assert_string_equal(name(DEAD + 1), "last");
	assert_int_equal(nr_reads, 1);
}

static void test_unreadable(void **state)
{
	(void)state;
	cmdlines = NULL;
	assert_string_equal(name(DEAD), "");
	assert_string_equal(name(DEAD), "");
	assert_int_equal(nr_reads, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_read_once_a_drain, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_reused_tid_named_anew,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_missing_tid_read_again_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lines_parsed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unreadable, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
