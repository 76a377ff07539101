// SPDX-License-Identifier: GPL-2.0
/*
 * The gfp flag names of a perf.data, from its begin event's print fmt, as
 * perf script prints them: src/sys/gfp.c reads the table, the sink gets
 * it. libtraceevent 1.7's print fmt parser does not survive every hostile
 * file, so it runs in a child process, which hands the table back through
 * shared memory; should the child crash or hang, stalls show gfp in hex.
 * The child's work returns, so tests/fuzz/fuzz_gfp.c runs it in-process.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "src/sys/gfp.h"
#include "perfdata_gfp.h"
#include "perfdata_reader.h"
#include "src/sys/tracelibs.h"

#define GFP_CHILD_SECONDS 10

static bool copy_str(char *dst, size_t len, const char *src)
{
	if (strlen(src) >= len)
		return false;
	strcpy(dst, src);
	return true;
}

static int copy_slots(struct gfp_slots *s, const struct gfp_names *g)
{
	size_t i;

	if (g->nr > GFP_SLOTS ||
	    !copy_str(s->delim, sizeof(s->delim), g->delim))
		return -1;
	for (i = 0; i < g->nr; i++) {
		s->flags[i].mask = g->flags[i].mask;
		if (!copy_str(s->flags[i].name, GFP_NAME_LEN, g->flags[i].name))
			return -1;
	}
	s->nr = g->nr;
	return 0;
}

int perfdata_gfp_parse(long long_size, const char *fmt, uint64_t size,
		       struct gfp_slots *s)
{
	struct tep_handle *tep = sym_tep_alloc();
	struct gfp_names g = { 0 };
	struct tep_event *ev = NULL;
	int err = -1;

	if (!tep)
		return -1;
	sym_tep_set_long_size(tep, long_size);
	if (!sym_tep_parse_event(tep, fmt, size, "vmscan"))
		ev = sym_tep_find_event_by_name(tep, "vmscan",
						vmscan_begin_events[0]);
	if (ev && !gfp_names_from_event(&g, ev))
		err = copy_slots(s, &g);
	gfp_names_free(&g);
	sym_tep_free(tep);
	return err;
}

/* Fill s from the whole format; exit 0 only if all of its table fits. */
static _Noreturn void gfp_child(long long_size, const char *fmt, uint64_t size,
				struct gfp_slots *s)
{
	tracelibs_contain_crashes();
	alarm(GFP_CHILD_SECONDS);
	_exit(perfdata_gfp_parse(long_size, fmt, size, s) ? 1 : 0);
}

static bool run_child(long long_size, const char *fmt, uint64_t size,
		      struct gfp_slots *s)
{
	pid_t pid = fork();
	int status;

	if (pid == 0)
		gfp_child(long_size, fmt, size, s);
	if (pid < 0)
		return false;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return false;
	return WIFEXITED(status) && !WEXITSTATUS(status);
}

void perfdata_gfp_names(struct file_reader *r, const char *fmt, uint64_t size)
{
	struct dr_sink *sink = r->rp->sink;
	struct gfp_names g = { 0 };
	struct gfp_slots *s;
	uint32_t i;

	if (!sink->gfp_names)
		return;
	s = mmap(NULL, sizeof(*s), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (s == MAP_FAILED)
		return;
	if (run_child(sym_tep_get_long_size(r->tep), fmt, size, s) &&
	    s->nr <= GFP_SLOTS) {
		s->delim[sizeof(s->delim) - 1] = '\0';
		g.delim = strdup(s->delim);
		for (i = 0; g.delim && i < s->nr; i++) {
			s->flags[i].name[GFP_NAME_LEN - 1] = '\0';
			if (gfp_names_add(&g, s->flags[i].mask,
					  s->flags[i].name))
				break;
		}
		if (g.delim && i == s->nr)
			sink->gfp_names(sink, &g);
	}
	gfp_names_free(&g);
	munmap(s, sizeof(*s));
}
