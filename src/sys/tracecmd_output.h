/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_TRACECMD_OUTPUT_H
#define DRSNOOP_TRACECMD_OUTPUT_H

/*
 * libtracecmd's API for writing a trace.dat, which --record uses. The
 * library exports these functions, but libtracecmd-dev installs only
 * trace-cmd.h, which does not declare them: they are in trace-cmd's
 * private header (lib/trace-cmd/include/private/trace-cmd-private.h).
 * These prototypes are copied from trace-cmd 3.1.6, whose library is
 * libtracecmd 1.3.1 (Debian 12); the Makefile builds this file only
 * against libtracecmd 1.3 (LIBTRACECMD_OUTPUT_1_3), and the loader
 * (tracelibs.c) refuses another library version at run time.
 */
#ifndef LIBTRACECMD_OUTPUT_1_3
#error "--record's declarations match libtracecmd 1.3 (trace-cmd 3.1) only"
#endif

#include <stdbool.h>

struct tracecmd_output;

/* Which events' formats the headers hold: glob "system/event". */
struct tracecmd_event_list {
	struct tracecmd_event_list *next;
	const char *glob;
};

struct tracecmd_output *tracecmd_output_create(const char *output_file);
int tracecmd_output_set_version(struct tracecmd_output *handle,
				int file_version);
void tracecmd_set_quiet(struct tracecmd_output *handle, bool set_quiet);
void tracecmd_set_out_clock(struct tracecmd_output *handle, const char *clock);
int tracecmd_output_write_headers(struct tracecmd_output *handle,
				  struct tracecmd_event_list *list);
int tracecmd_write_cmdlines(struct tracecmd_output *handle);
int tracecmd_append_cpu_data(struct tracecmd_output *handle, int cpus,
			     char *const *cpu_data_files);
void tracecmd_output_close(struct tracecmd_output *handle);

#endif /* DRSNOOP_TRACECMD_OUTPUT_H */
