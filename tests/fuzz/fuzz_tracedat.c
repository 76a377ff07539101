// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the trace.dat reader (libtracecmd underneath). drsnoop
 * parses the file in a child process, which contains a crash there: the
 * child's code runs here in-process first (its messages dropped), so that
 * a crash in it fails the fuzzer, then the reader as drsnoop runs it.
 *
 * Except for files with buffer instances: libtracecmd 3.1.6's
 * tracecmd_buffer_instance_handle() closes, when a buffer cannot be read,
 * a shallow copy of its parent handle, and crashes in
 * tracecmd_closeentries(). That is libtracecmd's bug, which the child
 * contains in drsnoop; such files go only through the forked reader.
 */
#include "fuzz_common.h"
#include <fcntl.h>
#include "fallback/tracedat/tracedat.h"
#include "src/sys/tracelibs.h"

static bool has_buffer_instances(const char *path)
{
	struct tracecmd_input *in;
	char why[128];
	int n = 0, fd;

	if (tracelibs_load_tracecmd(why, sizeof(why)))
		return false;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	in = fd < 0 ? NULL :
		      sym_tracecmd_open_fd(fd, TRACECMD_FL_LOAD_NO_PLUGINS);
	if (!in && fd >= 0)
		close(fd);
	if (in) {
		n = sym_tracecmd_buffer_instances(in);
		sym_tracecmd_close(in);
	}
	return n > 0;
}

static void fuzz_child(const uint8_t *data, size_t size)
{
	static const bool want_stack[PAIR_NR_STACKS] = { true, true };
	static int null_fd = -1;
	char path[64];
	int fd = fuzz_file(data, size, path, sizeof(path));

	if (null_fd < 0)
		null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (fd >= 0 && null_fd >= 0 && !has_buffer_instances(path))
		tracedat_child_run(null_fd, path, false, want_stack, false);
	if (fd >= 0)
		close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_child(data, size);
	return fuzz_one(&tracedat_reader, data, size);
}
