// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the trace.dat reader (libtracecmd underneath). drsnoop
 * parses the file in a child process, which contains a crash there: the
 * child's code runs here in-process first (its messages dropped), so that
 * a crash in it fails the fuzzer, then the reader as drsnoop runs it.
 */
#include "fuzz_common.h"
#include <fcntl.h>
#include "fallback/tracedat/tracedat.h"

static void fuzz_child(const uint8_t *data, size_t size)
{
	static const bool want_stack[PAIR_NR_STACKS] = { true, true };
	static int null_fd = -1;
	char path[64];
	int fd = fuzz_file(data, size, path, sizeof(path));

	if (null_fd < 0)
		null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (fd >= 0 && null_fd >= 0)
		tracedat_child_run(null_fd, path, false, want_stack, false);
	if (fd >= 0)
		close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_child(data, size);
	return fuzz_one(&tracedat_reader, data, size);
}
