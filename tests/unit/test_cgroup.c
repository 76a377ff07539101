// SPDX-License-Identifier: GPL-2.0
/*
 * Cgroup id-to-path names over a directory tree made for the test: a
 * cgroup's path found by its id, an unknown id remembered as unknown, and
 * the list bounded however many ids come and go.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "src/sys/cgroup.h"

static char dir[] = "/tmp/drsnoop-test-cgroup.XXXXXX";
static struct dr_cgroup_tree tree;
static struct dr_cgroup_names names;

static uint64_t id_of(const char *rel)
{
	uint64_t id;

	assert_int_equal(cgroup_id_of(&tree, rel, &id), 0);
	return id;
}

static int setup(void **state)
{
	char path[sizeof(dir) + 16];

	if (!mkdtemp(dir))
		return -1;
	snprintf(tree.mount, sizeof(tree.mount), "%s", dir);
	snprintf(path, sizeof(path), "%s/a", dir);
	if (mkdir(path, 0700))
		return -1;
	snprintf(path, sizeof(path), "%s/a/b", dir);
	if (mkdir(path, 0700))
		return -1;
	cgroup_names_init(&names, &tree);
	return 0;
}

static int teardown(void **state)
{
	char path[sizeof(dir) + 16];

	cgroup_names_free(&names);
	snprintf(path, sizeof(path), "%s/a/b", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/a", dir);
	rmdir(path);
	return rmdir(dir);
}

static void test_path_by_id(void **state)
{
	assert_string_equal(cgroup_names_get(&names, id_of("/a/b")), "/a/b");
	assert_string_equal(cgroup_names_get(&names, id_of("/a")), "/a");
	assert_string_equal(cgroup_names_get(&names, id_of("")), "/");
	assert_null(cgroup_names_get(&names, 1));
	assert_int_equal(names.nr, 4);
	assert_string_equal(cgroup_names_get(&names, id_of("/a/b")), "/a/b");
	assert_int_equal(names.nr, 4);
}

/* Ids of cgroups long gone, many more than are kept: the list stays bounded. */
static void test_names_bounded(void **state)
{
	uint64_t id, b = id_of("/a/b");

	for (id = 1; id <= 3 * CGROUP_NAMES_MAX; id++) {
		if (id == b || id == id_of("/a") || id == id_of(""))
			continue;
		assert_null(cgroup_names_get(&names, id));
		assert_true(names.nr <= CGROUP_NAMES_MAX);
	}
	assert_true(names.cap <= CGROUP_NAMES_MAX);
	assert_string_equal(cgroup_names_get(&names, b), "/a/b");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_by_id),
		cmocka_unit_test(test_names_bounded),
	};

	return cmocka_run_group_tests_name("cgroup", tests, setup, teardown);
}
