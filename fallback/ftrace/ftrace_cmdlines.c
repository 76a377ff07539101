// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's saved_cmdlines (pid -> comm), which names a task that
 * exited before the ftrace backend read its stall: read at most once a
 * drain, and again for a tid it lacks. Each read makes the kernel print
 * every entry (6,552 by default on recent kernels), a millisecond or so:
 * once a stall, a backlog of thousands from exited tasks took minutes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "ftrace_backend.h"
#include "src/sys/tracelibs.h"

/*
 * Each "pid comm" line into the table, over what it held: a later read
 * has the kernel's latest comm for a pid.
 */
static void read_cmdlines(struct comm_table *t)
{
	char *list =
		sym_tracefs_instance_file_read(NULL, "saved_cmdlines", NULL);
	char *line, *next, *end;
	unsigned long tid;

	for (line = list; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		tid = strtoul(line, &end, 10);
		/* Out of memory: a tid not in the table is just not named. */
		if (*end == ' ' && tid <= UINT32_MAX &&
		    comm_table_set(t, tid, end + 1))
			break;
	}
	free(list);
}

/*
 * A tid not in the table may be a task that exited after it was read:
 * read it again. A tid still not in it is marked with an empty comm, so
 * that its other stalls of the drain cost nothing more.
 */
const char *ftrace_cmdlines_comm(struct comm_table *t, uint32_t tid)
{
	const char *comm = comm_table_get(t, tid);

	if (!comm) {
		read_cmdlines(t);
		comm = comm_table_get(t, tid);
	}
	if (!comm)
		comm_table_set(t, tid, "");
	return comm && *comm ? comm : NULL;
}

/*
 * At each drain: a tid the table names may since be another task's, one
 * that has stalled and exited in its turn.
 */
void ftrace_cmdlines_forget(struct comm_table *t)
{
	comm_table_free(t);
}
