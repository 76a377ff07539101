/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_TRACELIBS_H
#define DRSNOOP_TRACELIBS_H

#include <stddef.h>
#include <event-parse.h>
#include <kbuffer.h>
#include <tracefs.h>
#include <trace-cmd.h>
#include "tracecmd_output.h"

/*
 * The trace libraries, opened with dlopen() only when a path needs them:
 * the BPF backend needs none, and mapping them at start-up made it
 * ~500 KiB larger. Each function drsnoop calls is resolved into a sym_
 * pointer of the same type, which call sites use by that name once the
 * loader of its group has returned 0.
 *
 * Each loader returns 0, or -1 with a one-line reason in why naming the
 * library and dlerror()'s words. Loading again is a no-op.
 */

/* libtraceevent and libtracefs: the ftrace backend, perf.data, gfp names. */
int tracelibs_load_tracefs(char *why, size_t why_len);

/* libtracecmd, and the two above, on which it is built: trace.dat. */
int tracelibs_load_tracecmd(char *why, size_t why_len);

/*
 * libtracecmd's output API (tracecmd_output.h), for --record: only the
 * library version whose prototypes those are.
 */
int tracelibs_load_tracecmd_output(char *why, size_t why_len);

/*
 * In a child process that hands a recording's text to the libraries,
 * whose parsers crash on some hostile files: a crash ends the child
 * quietly, with exit status 128 + the signal's number.
 */
void tracelibs_contain_crashes(void);

/* libtraceevent */
extern typeof(tep_alloc) *sym_tep_alloc;
extern typeof(tep_free) *sym_tep_free;
extern typeof(tep_set_loglevel) *sym_tep_set_loglevel;
extern typeof(tep_set_long_size) *sym_tep_set_long_size;
extern typeof(tep_get_long_size) *sym_tep_get_long_size;
extern typeof(tep_set_page_size) *sym_tep_set_page_size;
extern typeof(tep_set_file_bigendian) *sym_tep_set_file_bigendian;
extern typeof(tep_parse_header_page) *sym_tep_parse_header_page;
extern typeof(tep_parse_event) *sym_tep_parse_event;
extern typeof(tep_parse_saved_cmdlines) *sym_tep_parse_saved_cmdlines;
extern typeof(tep_find_event) *sym_tep_find_event;
extern typeof(tep_find_event_by_name) *sym_tep_find_event_by_name;
extern typeof(tep_find_any_field) *sym_tep_find_any_field;
extern typeof(tep_read_number_field) *sym_tep_read_number_field;
extern typeof(tep_read_number) *sym_tep_read_number;
extern typeof(tep_find_function_info) *sym_tep_find_function_info;
extern typeof(tep_is_pid_registered) *sym_tep_is_pid_registered;
extern typeof(tep_data_comm_from_pid) *sym_tep_data_comm_from_pid;
extern typeof(tep_get_sub_buffer_size) *sym_tep_get_sub_buffer_size;
extern typeof(tep_kbuffer) *sym_tep_kbuffer;
extern typeof(kbuffer_free) *sym_kbuffer_free;
extern typeof(kbuffer_load_subbuffer) *sym_kbuffer_load_subbuffer;
extern typeof(kbuffer_missed_events) *sym_kbuffer_missed_events;
extern typeof(kbuffer_read_event) *sym_kbuffer_read_event;
extern typeof(kbuffer_next_event) *sym_kbuffer_next_event;
extern typeof(kbuffer_event_size) *sym_kbuffer_event_size;

/* libtracefs */
extern typeof(tracefs_set_loglevel) *sym_tracefs_set_loglevel;
extern typeof(tracefs_tracing_dir) *sym_tracefs_tracing_dir;
extern typeof(tracefs_get_tracing_file) *sym_tracefs_get_tracing_file;
extern typeof(tracefs_put_tracing_file) *sym_tracefs_put_tracing_file;
extern typeof(tracefs_error_last) *sym_tracefs_error_last;
extern typeof(tracefs_instance_alloc) *sym_tracefs_instance_alloc;
extern typeof(tracefs_instance_create) *sym_tracefs_instance_create;
extern typeof(tracefs_instance_is_new) *sym_tracefs_instance_is_new;
extern typeof(tracefs_instance_destroy) *sym_tracefs_instance_destroy;
extern typeof(tracefs_instance_free) *sym_tracefs_instance_free;
extern typeof(tracefs_instance_get_dir) *sym_tracefs_instance_get_dir;
extern typeof(tracefs_instance_get_file) *sym_tracefs_instance_get_file;
extern typeof(tracefs_instance_file_open) *sym_tracefs_instance_file_open;
extern typeof(tracefs_instance_file_read) *sym_tracefs_instance_file_read;
extern typeof(tracefs_instance_file_write) *sym_tracefs_instance_file_write;
extern typeof(tracefs_instance_file_append) *sym_tracefs_instance_file_append;
extern typeof(tracefs_event_file_read) *sym_tracefs_event_file_read;
extern typeof(tracefs_event_filter_apply) *sym_tracefs_event_filter_apply;
extern typeof(tracefs_option_enable) *sym_tracefs_option_enable;
extern typeof(tracefs_trace_off) *sym_tracefs_trace_off;
extern typeof(tracefs_cpu_alloc_fd) *sym_tracefs_cpu_alloc_fd;
extern typeof(tracefs_cpu_free_fd) *sym_tracefs_cpu_free_fd;
extern typeof(tracefs_cpu_read) *sym_tracefs_cpu_read;
/* The ftrace backend's memory.high kprobes (--high). */
extern typeof(tracefs_kprobe_alloc) *sym_tracefs_kprobe_alloc;
extern typeof(tracefs_kretprobe_alloc) *sym_tracefs_kretprobe_alloc;
extern typeof(tracefs_dynevent_create) *sym_tracefs_dynevent_create;
extern typeof(tracefs_dynevent_destroy) *sym_tracefs_dynevent_destroy;
extern typeof(tracefs_dynevent_free) *sym_tracefs_dynevent_free;
extern typeof(tracefs_dynevent_get_all) *sym_tracefs_dynevent_get_all;
extern typeof(tracefs_dynevent_info) *sym_tracefs_dynevent_info;
extern typeof(tracefs_dynevent_list_free) *sym_tracefs_dynevent_list_free;

/* libtracecmd */
extern typeof(tracecmd_set_loglevel) *sym_tracecmd_set_loglevel;
extern typeof(tracecmd_open_fd) *sym_tracecmd_open_fd;
extern typeof(tracecmd_buffer_instances) *sym_tracecmd_buffer_instances;
extern typeof(tracecmd_buffer_instance_handle)
	*sym_tracecmd_buffer_instance_handle;
extern typeof(tracecmd_get_tep) *sym_tracecmd_get_tep;
extern typeof(tracecmd_iterate_events_multi) *sym_tracecmd_iterate_events_multi;
extern typeof(tracecmd_close) *sym_tracecmd_close;
/* libtracecmd's output API */
extern typeof(tracecmd_output_create) *sym_tracecmd_output_create;
extern typeof(tracecmd_output_set_version) *sym_tracecmd_output_set_version;
extern typeof(tracecmd_set_quiet) *sym_tracecmd_set_quiet;
extern typeof(tracecmd_set_out_clock) *sym_tracecmd_set_out_clock;
extern typeof(tracecmd_output_write_headers) *sym_tracecmd_output_write_headers;
extern typeof(tracecmd_write_cmdlines) *sym_tracecmd_write_cmdlines;
extern typeof(tracecmd_append_cpu_data) *sym_tracecmd_append_cpu_data;
extern typeof(tracecmd_output_close) *sym_tracecmd_output_close;

#endif /* DRSNOOP_TRACELIBS_H */
