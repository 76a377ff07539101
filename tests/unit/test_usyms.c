// SPDX-License-Identifier: GPL-2.0
/*
 * User symbols against ELF files with known functions: this test itself
 * (a PIE executable), a shared object it loads (libusyms-fixture.so,
 * built from usyms_fixture.c) and a stripped copy of it, placed by
 * /proc/self/maps; a process that has exited; a file offset directly,
 * here and in the symbolizer process.
 */
#define _GNU_SOURCE /* dladdr */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "src/symbols/usyms.h"

#define FIXTURE	 "./.output/asan/tests/libusyms-fixture.so"
#define STRIPPED "./.output/asan/tests/libusyms-fixture-stripped.so"

struct fixture {
	void *handle;
	int (*exported)(int);
	void *(*hidden_addr)(void);
};

static struct fixture plain, stripped;

static int open_fixture(struct fixture *f, const char *path)
{
	f->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!f->handle)
		return -1;
	f->exported = (int (*)(int))dlsym(f->handle, "fixture_exported");
	f->hidden_addr =
		(void *(*)(void))dlsym(f->handle, "fixture_hidden_addr");
	return f->exported && f->hidden_addr ? 0 : -1;
}

static int setup(void **state)
{
	return open_fixture(&plain, FIXTURE) ||
	       open_fixture(&stripped, STRIPPED);
}

static int teardown(void **state)
{
	dlclose(plain.handle);
	dlclose(stripped.handle);
	return 0;
}

__attribute__((noinline)) static int local_function(int x)
{
	return x + 1;
}

/* One frame of this process, not a return address (the first). */
static const char *resolve(struct usyms *u, pid_t pid, const void *addr)
{
	static char out[1][USYMS_FRAME_LEN];
	uint64_t a = (uintptr_t)addr;

	usyms_resolve(u, pid, &a, 1, out);
	return out[0];
}

/* The test is a PIE: its own static function, by .symtab. */
static void test_pie(void **state)
{
	struct usyms *u = usyms_new("/proc");
	const char *p = (const char *)local_function;

	assert_string_equal(resolve(u, getpid(), p), "local_function+0x0");
	assert_string_equal(resolve(u, getpid(), p + 3), "local_function+0x3");
	usyms_free(u);
}

/* A shared object at its load address, exported and hidden symbols. */
static void test_shared_object(void **state)
{
	struct usyms *u = usyms_new("/proc");
	const char *e = (const char *)plain.exported;

	assert_string_equal(resolve(u, getpid(), e), "fixture_exported+0x0");
	assert_string_equal(resolve(u, getpid(), e + 1),
			    "fixture_exported+0x1");
	assert_string_equal(resolve(u, getpid(), plain.hidden_addr()),
			    "fixture_hidden+0x0");
	usyms_free(u);
}

/* Stripped: .dynsym still names the export; the rest is unknown. */
static void test_stripped(void **state)
{
	struct usyms *u = usyms_new("/proc");
	const char *h = stripped.hidden_addr();
	char want[USYMS_FRAME_LEN];
	Dl_info info;

	assert_string_equal(resolve(u, getpid(), stripped.exported),
			    "fixture_exported+0x0");
	assert_true(dladdr(stripped.exported, &info));
	snprintf(want, sizeof(want),
		 "[unknown] libusyms-fixture-stripped.so+0x%lx",
		 (unsigned long)(h - (const char *)info.dli_fbase));
	/* the file offset is the address less the load base here */
	assert_string_equal(resolve(u, getpid(), h), want);
	usyms_free(u);
}

/* A return address is looked up one byte back: a call at a function's end. */
static void test_return_address(void **state)
{
	struct usyms *u = usyms_new("/proc");
	char out[2][USYMS_FRAME_LEN];
	uint64_t a[2] = { (uintptr_t)plain.exported,
			  (uintptr_t)plain.exported };

	usyms_resolve(u, getpid(), a, 2, out);
	assert_string_equal(out[0], "fixture_exported+0x0");
	/* one past the end of whatever precedes it: not fixture_exported */
	assert_string_not_equal(out[1], "fixture_exported+0x0");
	usyms_free(u);
}

/* Outside any file mapping, and a pid never seen alive. */
static void test_unknown(void **state)
{
	struct usyms *u = usyms_new("/proc");
	int on_stack;
	char want[64];

	snprintf(want, sizeof(want), "[unknown] 0x%lx",
		 (unsigned long)(uintptr_t)&on_stack);
	assert_string_equal(resolve(u, getpid(), &on_stack), want);
	assert_string_equal(resolve(u, 0x7ffffffe, (void *)0x1234),
			    "[unknown] 0x1234");
	usyms_free(u);
}

/* A process that exited keeps the mappings read while it lived. */
static void test_exited(void **state)
{
	struct usyms *u = usyms_new("/proc");
	const char *e = (const char *)plain.exported;
	int fds[2], status;
	pid_t child;
	char c;

	assert_int_equal(pipe(fds), 0);
	child = fork();
	if (!child) {
		close(fds[1]);
		if (read(fds[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	assert_true(child > 0);
	close(fds[0]);
	assert_string_equal(resolve(u, child, e + 2), "fixture_exported+0x2");
	close(fds[1]);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_string_equal(resolve(u, child, e + 4), "fixture_exported+0x4");
	usyms_free(u);
}

/*
 * A zombie's maps read empty: a frame outside them, which would read
 * them again, keeps those read while it lived.
 */
static void test_zombie(void **state)
{
	struct usyms *u = usyms_new("/proc");
	const char *e = (const char *)plain.exported;
	siginfo_t info;
	pid_t child;

	child = fork();
	if (!child) {
		pause();
		_exit(0);
	}
	assert_true(child > 0);
	assert_string_equal(resolve(u, child, e + 2), "fixture_exported+0x2");
	kill(child, SIGKILL);
	assert_int_equal(waitid(P_PID, child, &info, WEXITED | WNOWAIT), 0);
	assert_string_equal(resolve(u, child, (void *)0x1234),
			    "[unknown] 0x1234");
	assert_string_equal(resolve(u, child, e + 4), "fixture_exported+0x4");
	assert_int_equal(waitpid(child, NULL, 0), child);
	usyms_free(u);
}

/* By file offset, without a process: the offset is what maps would give. */
static void test_file_offset(void **state)
{
	struct usyms *u = usyms_new("/proc");
	char buf[USYMS_FRAME_LEN];
	Dl_info info;
	long off;

	assert_true(dladdr(plain.exported, &info));
	/* text is mapped at its file offset plus the load base here */
	off = (const char *)plain.exported - (const char *)info.dli_fbase;
	assert_int_equal(
		usyms_file_symbol(u, FIXTURE, off + 7, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "fixture_exported+0x7");
	assert_int_not_equal(
		usyms_file_symbol(u, "/nonexistent", 0, buf, sizeof(buf)), 0);
	usyms_free(u);
}

/*
 * The same file offset named by the symbolizer, under its seccomp filter
 * (last: from now on the process's files are all parsed there).
 */
static void test_symbolizer(void **state)
{
	char buf[USYMS_FRAME_LEN], why[256];
	struct usyms *u = usyms_new("/proc");
	Dl_info info;
	long off;

	assert_int_equal(symbolizer_start(&usyms_symbolizer, why, sizeof(why)),
			 0);
	assert_true(dladdr(plain.exported, &info));
	off = (const char *)plain.exported - (const char *)info.dli_fbase;
	assert_int_equal(
		usyms_file_symbol(u, FIXTURE, off + 7, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "fixture_exported+0x7");
	usyms_free(u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pie),
		cmocka_unit_test(test_shared_object),
		cmocka_unit_test(test_stripped),
		cmocka_unit_test(test_return_address),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_exited),
		cmocka_unit_test(test_zombie),
		cmocka_unit_test(test_file_offset),
		cmocka_unit_test(test_symbolizer),
	};

	return cmocka_run_group_tests_name("usyms", tests, setup, teardown);
}
