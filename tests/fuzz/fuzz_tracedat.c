// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the trace.dat reader (libtracecmd underneath). drsnoop
 * parses the file in a child process, which contains a crash there: the
 * child's code runs here in-process first (its messages dropped), so that
 * a crash in it fails the fuzzer, then the reader as drsnoop runs it.
 *
 * The in-process run is for drsnoop's code, not libtracecmd's: only files
 * that libtracecmd opens in a forked probe without crashing, and that have
 * no buffer instances, run in-process. libtracecmd 3.1.6 crashes on some
 * hostile headers (a strdup past a string's end in tracecmd_open_fd()),
 * and its tracecmd_buffer_instance_handle() closes, when a buffer cannot
 * be read, a shallow copy of its parent handle; drsnoop's child contains
 * both, and so does the forked reader that runs every input after.
 */
#include "fuzz_common.h"
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "fallback/tracedat/tracedat.h"
#include "src/sys/tracelibs.h"

/* In a child: whether libtracecmd opens the file, with no buffer instances. */
static bool opens_plainly(const char *path)
{
	struct tracecmd_input *in;
	char why[128];
	int status, fd;
	pid_t pid = fork();

	if (pid < 0)
		return false;
	if (pid == 0) {
		if (tracelibs_load_tracecmd(why, sizeof(why)))
			_exit(1);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		in = fd < 0 ? NULL :
			      sym_tracecmd_open_fd(fd,
						   TRACECMD_FL_LOAD_NO_PLUGINS);
		_exit(!in || sym_tracecmd_buffer_instances(in) > 0);
	}
	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0;
}

static void fuzz_child(const uint8_t *data, size_t size)
{
	static const bool want_stack[PAIR_NR_STACKS] = { true, true };
	static int null_fd = -1;
	char path[64];
	int fd = fuzz_file(data, size, path, sizeof(path));

	if (null_fd < 0)
		null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (fd >= 0 && null_fd >= 0 && opens_plainly(path))
		tracedat_child_run(null_fd, path, false, want_stack, false);
	if (fd >= 0)
		close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_child(data, size);
	return fuzz_one(&tracedat_reader, data, size);
}
