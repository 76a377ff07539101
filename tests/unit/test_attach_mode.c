// SPDX-License-Identifier: GPL-2.0
/*
 * The BPF backend's choice of attach mode: the first it tries, for the
 * options asked, whether the kernel has BTF and task storage (5.11).
 * Without task storage, the CO-RE programs that keep begins in a hash
 * (raw_tp-compat). Without BTF, the programs that need none
 * (raw_tp-nobtf), -v included; none for what only CO-RE programs do
 * (cgroups, compaction's and memory.high's hooks).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "bpf/bpf_load.h"

static struct dr_options o;
static struct bpf_backend_state st;

static int setup(void **state)
{
	(void)state;
	o = (struct dr_options){ 0 };
	st = (struct bpf_backend_state){ .o = &o,
					 .btf = true,
					 .task_storage = true };
	return 0;
}

static void test_with_btf(void **state)
{
	(void)state;
	assert_string_equal(bpf_load_first_mode(&st), "raw_tp");
	o.throttle = true;
	assert_string_equal(bpf_load_first_mode(&st), "raw_tp");
}

static void test_with_btf_core(void **state)
{
	(void)state;
	o.free_mem = true;
	assert_string_equal(bpf_load_first_mode(&st), "tp_btf");
	o.free_mem = false;
	o.memcg = true;
	assert_string_equal(bpf_load_first_mode(&st), "tp_btf");
	o.memcg = false;
	st.compact_hook = DRSNOOP_HOOK_KPROBE;
	assert_string_equal(bpf_load_first_mode(&st), "tp_btf");
}

/* Before 5.11: the first mode without task storage. */
static void test_without_task_storage(void **state)
{
	(void)state;
	st.task_storage = false;
	assert_string_equal(bpf_load_first_mode(&st), "raw_tp-compat");
	o.free_mem = true;
	assert_string_equal(bpf_load_first_mode(&st), "raw_tp-compat");
	st.btf = false;
	o.free_mem = false;
	assert_string_equal(bpf_load_first_mode(&st), "raw_tp-nobtf");
}

static void test_without_btf(void **state)
{
	(void)state;
	st.btf = false;
	assert_string_equal(bpf_load_first_mode(&st), "raw_tp-nobtf");
	o.throttle = true;
	assert_string_equal(bpf_load_first_mode(&st), "raw_tp-nobtf");
	/* FREE(KB) from /proc/vmstat, as on the ftrace backend. */
	o.free_mem = true;
	assert_string_equal(bpf_load_first_mode(&st), "raw_tp-nobtf");
	o.gfp = true;
	o.kernel_stack = true;
	assert_string_equal(bpf_load_first_mode(&st), "raw_tp-nobtf");
}

static void test_without_btf_cannot(void **state)
{
	(void)state;
	st.btf = false;
	o.memcg = true;
	assert_null(bpf_load_first_mode(&st));
	o.memcg = false;
	o.has_cgroup = true;
	assert_null(bpf_load_first_mode(&st));
	o.has_cgroup = false;
	o.metrics_by_cgroup = true;
	assert_null(bpf_load_first_mode(&st));
	o.metrics_by_cgroup = false;
	st.compact_hook = DRSNOOP_HOOK_KPROBE;
	assert_null(bpf_load_first_mode(&st));
	st.compact_hook = DRSNOOP_HOOK_NONE;
	st.high_hook = DRSNOOP_HOOK_KPROBE;
	assert_null(bpf_load_first_mode(&st));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_with_btf, setup),
		cmocka_unit_test_setup(test_with_btf_core, setup),
		cmocka_unit_test_setup(test_without_task_storage, setup),
		cmocka_unit_test_setup(test_without_btf, setup),
		cmocka_unit_test_setup(test_without_btf_cannot, setup),
	};

	return cmocka_run_group_tests_name("attach_mode", tests, NULL, NULL);
}
