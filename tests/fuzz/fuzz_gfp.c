// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the gfp flag names of a perf.data (perfdata_gfp.c),
 * from a direct-reclaim begin format, as tracefs prints it and perf.data
 * carries it. drsnoop parses it in a child process, which contains a
 * crash there: its work runs here in-process, so that a crash in it fails
 * the fuzzer, and the table it fills is checked for what drsnoop then
 * trusts of it.
 *
 * The in-process run is for drsnoop's code, not libtraceevent's: only
 * formats whose parse libtraceevent 1.7 survives in a forked probe, with
 * the same calls, run in-process; its print fmt parser does not survive
 * every hostile format, and drsnoop's child contains that.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "fallback/perfdata/perfdata_gfp.h"
#include "fallback/shared/vmscan_fields.h"
#include "src/sys/tracelibs.h"

#define PROBE_SECONDS 5

/* The probe: libtraceevent's calls of perfdata_gfp_parse(), and no more. */
static _Noreturn void probe(const uint8_t *data, size_t size)
{
	struct tep_handle *tep;

	tracelibs_contain_crashes();
	/* libFuzzer's own SIGALRM handler would not end a hang */
	signal(SIGALRM, SIG_DFL);
	alarm(PROBE_SECONDS);
	tep = sym_tep_alloc();
	if (!tep)
		_exit(1);
	sym_tep_set_long_size(tep, sizeof(long));
	if (!sym_tep_parse_event(tep, (const char *)data, size, "vmscan"))
		sym_tep_find_event_by_name(tep, "vmscan",
					   vmscan_begin_events[0]);
	sym_tep_free(tep);
	_exit(0);
}

/* Whether libtraceevent survives the format, in a forked probe. */
static bool parses_safely(const uint8_t *data, size_t size)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		probe(data, size);
	return pid > 0 && waitpid(pid, &status, 0) == pid &&
	       WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static bool terminated(const char *s, size_t len)
{
	return memchr(s, '\0', len) != NULL;
}

/* What perfdata_gfp_names() trusts of a table the child says is whole. */
static void check_slots(const struct gfp_slots *s)
{
	uint32_t i;

	if (s->nr > GFP_SLOTS || !terminated(s->delim, sizeof(s->delim)))
		abort();
	for (i = 0; i < s->nr; i++)
		if (!terminated(s->flags[i].name, GFP_NAME_LEN))
			abort();
}

/* Once: the library loaded, and quiet on the formats it rejects. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char why[256];

	(void)argc;
	(void)argv;
	if (tracelibs_load_tracefs(why, sizeof(why)))
		abort();
	sym_tep_set_loglevel(TEP_LOG_NONE);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gfp_slots *s;

	if (!parses_safely(data, size))
		return 0;
	/* On the heap, exactly its size: ASan sees a write past it. */
	s = calloc(1, sizeof(*s));
	if (!s)
		return 0;
	if (!perfdata_gfp_parse(sizeof(long), (const char *)data, size, s))
		check_slots(s);
	free(s);
	return 0;
}
