// SPDX-License-Identifier: GPL-2.0
/*
 * The trace libraries by soname, as systemd opens its optional libraries
 * (src/shared/dlfcn-util.c): every function resolved at load, so that a
 * library too old or missing is one error at start, never a crash later.
 * The sonames are those of the libraries drsnoop was built against
 * (the Makefile reads them), so the ABI is the one the headers describe.
 */
#define _GNU_SOURCE /* dlinfo() */
#include <dlfcn.h>
#include <link.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tracelibs.h"

_Static_assert(sizeof(LIBTRACEEVENT_SONAME) > 1 &&
		       sizeof(LIBTRACEFS_SONAME) > 1 &&
		       sizeof(LIBTRACECMD_SONAME) > 1,
	       "the Makefile found no soname for a trace library");

typeof(tep_alloc) *sym_tep_alloc;
typeof(tep_free) *sym_tep_free;
typeof(tep_set_loglevel) *sym_tep_set_loglevel;
typeof(tep_set_long_size) *sym_tep_set_long_size;
typeof(tep_get_long_size) *sym_tep_get_long_size;
typeof(tep_set_page_size) *sym_tep_set_page_size;
typeof(tep_set_file_bigendian) *sym_tep_set_file_bigendian;
typeof(tep_parse_header_page) *sym_tep_parse_header_page;
typeof(tep_parse_event) *sym_tep_parse_event;
typeof(tep_parse_saved_cmdlines) *sym_tep_parse_saved_cmdlines;
typeof(tep_find_event) *sym_tep_find_event;
typeof(tep_find_event_by_name) *sym_tep_find_event_by_name;
typeof(tep_find_any_field) *sym_tep_find_any_field;
typeof(tep_read_number_field) *sym_tep_read_number_field;
typeof(tep_read_number) *sym_tep_read_number;
typeof(tep_find_function_info) *sym_tep_find_function_info;
typeof(tep_is_pid_registered) *sym_tep_is_pid_registered;
typeof(tep_data_comm_from_pid) *sym_tep_data_comm_from_pid;
typeof(tep_get_sub_buffer_size) *sym_tep_get_sub_buffer_size;
typeof(tep_kbuffer) *sym_tep_kbuffer;
typeof(kbuffer_free) *sym_kbuffer_free;
typeof(kbuffer_load_subbuffer) *sym_kbuffer_load_subbuffer;
typeof(kbuffer_missed_events) *sym_kbuffer_missed_events;
typeof(kbuffer_read_event) *sym_kbuffer_read_event;
typeof(kbuffer_next_event) *sym_kbuffer_next_event;
typeof(kbuffer_event_size) *sym_kbuffer_event_size;

typeof(tracefs_set_loglevel) *sym_tracefs_set_loglevel;
typeof(tracefs_tracing_dir) *sym_tracefs_tracing_dir;
typeof(tracefs_get_tracing_file) *sym_tracefs_get_tracing_file;
typeof(tracefs_put_tracing_file) *sym_tracefs_put_tracing_file;
typeof(tracefs_error_last) *sym_tracefs_error_last;
typeof(tracefs_instance_alloc) *sym_tracefs_instance_alloc;
typeof(tracefs_instance_create) *sym_tracefs_instance_create;
typeof(tracefs_instance_is_new) *sym_tracefs_instance_is_new;
typeof(tracefs_instance_destroy) *sym_tracefs_instance_destroy;
typeof(tracefs_instance_free) *sym_tracefs_instance_free;
typeof(tracefs_instance_get_dir) *sym_tracefs_instance_get_dir;
typeof(tracefs_instance_get_file) *sym_tracefs_instance_get_file;
typeof(tracefs_instance_file_open) *sym_tracefs_instance_file_open;
typeof(tracefs_instance_file_read) *sym_tracefs_instance_file_read;
typeof(tracefs_instance_file_write) *sym_tracefs_instance_file_write;
typeof(tracefs_instance_file_append) *sym_tracefs_instance_file_append;
typeof(tracefs_event_file_read) *sym_tracefs_event_file_read;
typeof(tracefs_event_filter_apply) *sym_tracefs_event_filter_apply;
typeof(tracefs_option_enable) *sym_tracefs_option_enable;
typeof(tracefs_trace_off) *sym_tracefs_trace_off;
typeof(tracefs_cpu_alloc_fd) *sym_tracefs_cpu_alloc_fd;
typeof(tracefs_cpu_free_fd) *sym_tracefs_cpu_free_fd;
typeof(tracefs_cpu_read) *sym_tracefs_cpu_read;
typeof(tracefs_kprobe_alloc) *sym_tracefs_kprobe_alloc;
typeof(tracefs_kretprobe_alloc) *sym_tracefs_kretprobe_alloc;
typeof(tracefs_dynevent_create) *sym_tracefs_dynevent_create;
typeof(tracefs_dynevent_destroy) *sym_tracefs_dynevent_destroy;
typeof(tracefs_dynevent_free) *sym_tracefs_dynevent_free;
typeof(tracefs_dynevent_get_all) *sym_tracefs_dynevent_get_all;
typeof(tracefs_dynevent_info) *sym_tracefs_dynevent_info;
typeof(tracefs_dynevent_list_free) *sym_tracefs_dynevent_list_free;

typeof(tracecmd_set_loglevel) *sym_tracecmd_set_loglevel;
typeof(tracecmd_open_fd) *sym_tracecmd_open_fd;
typeof(tracecmd_buffer_instances) *sym_tracecmd_buffer_instances;
typeof(tracecmd_buffer_instance_handle) *sym_tracecmd_buffer_instance_handle;
typeof(tracecmd_get_tep) *sym_tracecmd_get_tep;
typeof(tracecmd_iterate_events_multi) *sym_tracecmd_iterate_events_multi;
typeof(tracecmd_close) *sym_tracecmd_close;
typeof(tracecmd_output_create) *sym_tracecmd_output_create;
typeof(tracecmd_output_set_version) *sym_tracecmd_output_set_version;
typeof(tracecmd_set_quiet) *sym_tracecmd_set_quiet;
typeof(tracecmd_set_out_clock) *sym_tracecmd_set_out_clock;
typeof(tracecmd_output_write_headers) *sym_tracecmd_output_write_headers;
typeof(tracecmd_write_cmdlines) *sym_tracecmd_write_cmdlines;
typeof(tracecmd_append_cpu_data) *sym_tracecmd_append_cpu_data;
typeof(tracecmd_output_close) *sym_tracecmd_output_close;

struct tracelib_sym {
	const char *name;
	void **ptr;
};

/* A table entry: the function's name and the pointer that receives it. */
#define SYM(fn)                                                                \
	{                                                                      \
		.name = #fn, .ptr = (void **)&sym_##fn                         \
	}

static const struct tracelib_sym libtraceevent_syms[] = {
	SYM(tep_alloc),
	SYM(tep_free),
	SYM(tep_set_loglevel),
	SYM(tep_set_long_size),
	SYM(tep_get_long_size),
	SYM(tep_set_page_size),
	SYM(tep_set_file_bigendian),
	SYM(tep_parse_header_page),
	SYM(tep_parse_event),
	SYM(tep_parse_saved_cmdlines),
	SYM(tep_find_event),
	SYM(tep_find_event_by_name),
	SYM(tep_find_any_field),
	SYM(tep_read_number_field),
	SYM(tep_read_number),
	SYM(tep_find_function_info),
	SYM(tep_is_pid_registered),
	SYM(tep_data_comm_from_pid),
	SYM(tep_get_sub_buffer_size),
	SYM(tep_kbuffer),
	SYM(kbuffer_free),
	SYM(kbuffer_load_subbuffer),
	SYM(kbuffer_missed_events),
	SYM(kbuffer_read_event),
	SYM(kbuffer_next_event),
	SYM(kbuffer_event_size),
	{ NULL },
};

static const struct tracelib_sym libtracefs_syms[] = {
	SYM(tracefs_set_loglevel),
	SYM(tracefs_tracing_dir),
	SYM(tracefs_get_tracing_file),
	SYM(tracefs_put_tracing_file),
	SYM(tracefs_error_last),
	SYM(tracefs_instance_alloc),
	SYM(tracefs_instance_create),
	SYM(tracefs_instance_is_new),
	SYM(tracefs_instance_destroy),
	SYM(tracefs_instance_free),
	SYM(tracefs_instance_get_dir),
	SYM(tracefs_instance_get_file),
	SYM(tracefs_instance_file_open),
	SYM(tracefs_instance_file_read),
	SYM(tracefs_instance_file_write),
	SYM(tracefs_instance_file_append),
	SYM(tracefs_event_file_read),
	SYM(tracefs_event_filter_apply),
	SYM(tracefs_option_enable),
	SYM(tracefs_trace_off),
	SYM(tracefs_cpu_alloc_fd),
	SYM(tracefs_cpu_free_fd),
	SYM(tracefs_cpu_read),
	SYM(tracefs_kprobe_alloc),
	SYM(tracefs_kretprobe_alloc),
	SYM(tracefs_dynevent_create),
	SYM(tracefs_dynevent_destroy),
	SYM(tracefs_dynevent_free),
	SYM(tracefs_dynevent_get_all),
	SYM(tracefs_dynevent_info),
	SYM(tracefs_dynevent_list_free),
	{ NULL },
};

static const struct tracelib_sym libtracecmd_syms[] = {
	SYM(tracecmd_set_loglevel),
	SYM(tracecmd_open_fd),
	SYM(tracecmd_buffer_instances),
	SYM(tracecmd_buffer_instance_handle),
	SYM(tracecmd_get_tep),
	SYM(tracecmd_iterate_events_multi),
	SYM(tracecmd_close),
	{ NULL },
};

static const struct tracelib_sym libtracecmd_output_syms[] = {
	SYM(tracecmd_output_create),
	SYM(tracecmd_output_set_version),
	SYM(tracecmd_set_quiet),
	SYM(tracecmd_set_out_clock),
	SYM(tracecmd_output_write_headers),
	SYM(tracecmd_write_cmdlines),
	SYM(tracecmd_append_cpu_data),
	SYM(tracecmd_output_close),
	{ NULL },
};

struct tracelib {
	const char *soname;
	const struct tracelib_sym *syms; /* ends at a NULL name */
	void *handle; /* NULL until every symbol is resolved */
};

static struct tracelib libtraceevent = { .soname = LIBTRACEEVENT_SONAME,
					 .syms = libtraceevent_syms };
static struct tracelib libtracefs = { .soname = LIBTRACEFS_SONAME,
				      .syms = libtracefs_syms };
static struct tracelib libtracecmd = { .soname = LIBTRACECMD_SONAME,
				       .syms = libtracecmd_syms };
static struct tracelib libtracecmd_output = { .soname = LIBTRACECMD_SONAME,
					      .syms = libtracecmd_output_syms };

/* Every symbol of syms into its pointer: false at the first one missing. */
static bool resolve(void *handle, const struct tracelib_sym *syms)
{
	const struct tracelib_sym *s;

	for (s = syms; s->name; s++) {
		*s->ptr = dlsym(handle, s->name);
		if (!*s->ptr)
			return false;
	}
	return true;
}

/* Never closed: its functions may be called until drsnoop exits. */
static int load(struct tracelib *lib, char *why, size_t why_len)
{
	void *handle;

	if (lib->handle)
		return 0;
	handle = dlopen(lib->soname, RTLD_NOW);
	if (!handle || !resolve(handle, lib->syms)) {
		snprintf(why, why_len, "cannot load %s: %s", lib->soname,
			 dlerror());
		return -1;
	}
	lib->handle = handle;
	return 0;
}

int tracelibs_load_tracefs(char *why, size_t why_len)
{
	if (load(&libtraceevent, why, why_len) ||
	    load(&libtracefs, why, why_len))
		return -1;
	return 0;
}

int tracelibs_load_tracecmd(char *why, size_t why_len)
{
	if (tracelibs_load_tracefs(why, why_len) ||
	    load(&libtracecmd, why, why_len))
		return -1;
	return 0;
}

/*
 * The file the soname led to is named for the library's version:
 * libtracecmd.so.1.3.1 for trace-cmd 3.1.6's.
 */
static bool tracecmd_is_1_3(void *handle)
{
	struct link_map *map;
	char *path;
	bool ok;

	if (dlinfo(handle, RTLD_DI_LINKMAP, &map))
		return false;
	path = realpath(map->l_name, NULL);
	ok = path && strstr(path, "/libtracecmd.so.1.3.");
	free(path);
	return ok;
}

int tracelibs_load_tracecmd_output(char *why, size_t why_len)
{
	if (tracelibs_load_tracecmd(why, why_len) ||
	    load(&libtracecmd_output, why, why_len))
		return -1;
	if (tracecmd_is_1_3(libtracecmd_output.handle))
		return 0;
	snprintf(why, why_len,
		 "--record writes with the output API of libtracecmd 1.3 "
		 "(trace-cmd 3.1), and %s is another version",
		 LIBTRACECMD_SONAME);
	return -1;
}

/* The parent says why the child ended: it exited 128 + the signal. */
static void on_crash(int sig)
{
	_exit(128 + sig);
}

void tracelibs_contain_crashes(void)
{
	static const int crashes[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL,
				       SIGABRT };
	struct sigaction sa = { .sa_handler = on_crash };
	size_t i;

	for (i = 0; i < sizeof(crashes) / sizeof(crashes[0]); i++)
		sigaction(crashes[i], &sa, NULL);
}
