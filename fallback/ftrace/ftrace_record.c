// SPDX-License-Identifier: GPL-2.0
/*
 * --record FILE: the raw ring-buffer pages the ftrace backend reads, kept
 * as a trace.dat that trace-cmd, KernelShark and drsnoop -i open. As
 * trace-cmd record does: the headers (the event formats, kallsyms,
 * printk formats) written at open, before the sandbox, from tracefs and
 * /proc; each CPU's pages appended to FILE.cpuN as they are read; at
 * close the saved cmdlines and the CPU files into FILE through
 * libtracecmd's output API (tracecmd_output.h), and FILE.cpuN removed,
 * as they are on every way out.
 */
#define _GNU_SOURCE /* asprintf() */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ftrace_backend.h"
#include "src/sys/tracelibs.h"

/* trace.dat version 6: no sections, no compression, read by every 3.x. */
#define RECORD_FILE_VERSION 6

struct ftrace_record {
	struct tracecmd_output *out;
	const char *path;
	int page_size;
	int nr_cpus; /* the highest CPU number with a buffer, plus one */
	int *fds; /* FILE.cpuN, by CPU number, or -1 */
	char **files;
	int err; /* the first write that failed: errno */
};

static void remove_cpu_files(struct ftrace_record *r)
{
	int i;

	for (i = 0; i < r->nr_cpus; i++) {
		if (r->fds[i] >= 0)
			close(r->fds[i]);
		if (r->files[i])
			unlink(r->files[i]);
		free(r->files[i]);
	}
	free(r->fds);
	free(r->files);
}

static void record_free(struct ftrace_record *r)
{
	remove_cpu_files(r);
	free(r);
}

static int open_cpu_files(struct ftrace_record *r, char *why, size_t len)
{
	int i;

	r->fds = malloc(r->nr_cpus * sizeof(*r->fds));
	r->files = calloc(r->nr_cpus, sizeof(*r->files));
	if (!r->fds || !r->files) {
		free(r->fds);
		r->fds = NULL;
		r->nr_cpus = 0;
		snprintf(why, len, "%s", strerror(ENOMEM));
		return -1;
	}
	for (i = 0; i < r->nr_cpus; i++)
		r->fds[i] = -1;
	for (i = 0; i < r->nr_cpus; i++) {
		if (asprintf(&r->files[i], "%s.cpu%d", r->path, i) < 0) {
			r->files[i] = NULL;
			snprintf(why, len, "%s", strerror(ENOMEM));
			return -1;
		}
		r->fds[i] = open(r->files[i],
				 O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (r->fds[i] < 0) {
			snprintf(why, len, "cannot write '%s': %s", r->files[i],
				 strerror(errno));
			free(r->files[i]);
			r->files[i] = NULL;
			return -1;
		}
	}
	return 0;
}

/*
 * The formats of the events this backend enables: vmscan's, compaction's
 * and those of our memory.high probes (ftrace's own, the stacks', are
 * always written).
 */
static int write_headers(struct ftrace_state *st, struct ftrace_record *r,
			 char *why, size_t len)
{
	char probes[sizeof(st->probe_group) + 2];
	struct tracecmd_event_list list[3] = {
		{ &list[1], "vmscan/*" },
		{ st->probe_group[0] ? &list[2] : NULL, "compaction/*" },
		{ NULL, probes },
	};

	snprintf(probes, sizeof(probes), "%s/*", st->probe_group);
	r->out = sym_tracecmd_output_create(r->path);
	if (!r->out ||
	    sym_tracecmd_output_set_version(r->out, RECORD_FILE_VERSION) ||
	    sym_tracecmd_output_write_headers(r->out, list)) {
		snprintf(why, len, "cannot write '%s': %s", r->path,
			 strerror(errno ? errno : EIO));
		return -1;
	}
	sym_tracecmd_set_quiet(r->out, true);
	sym_tracecmd_set_out_clock(r->out, trace_clock_name(&st->clock));
	return 0;
}

int ftrace_record_open(struct ftrace_state *st, char *why, size_t len)
{
	struct ftrace_record *r;
	int i;

	if (!st->o->record)
		return 0;
	if (tracelibs_load_tracecmd_output(why, len))
		return -1;
	/*
	 * Its warnings only with --debug: writing a top buffer, not an
	 * instance, it says it finds no instance's description.
	 */
	sym_tracecmd_set_loglevel(st->o->debug ? TEP_LOG_INFO : TEP_LOG_NONE);
	r = calloc(1, sizeof(*r));
	if (!r) {
		snprintf(why, len, "%s", strerror(ENOMEM));
		return -1;
	}
	r->path = st->o->record;
	r->page_size = getpagesize();
	/* A trace.dat's Nth CPU data is CPU N's; readdir() gave any order. */
	for (i = 0; i < st->nr_cpus; i++)
		if (st->cpus[i].cpu >= r->nr_cpus)
			r->nr_cpus = st->cpus[i].cpu + 1;
	st->record = r;
	/* trace.dat's pages are the host's: so must the kernel's be. */
	if (ftrace_decoder_subbuf_size(&st->dec) != r->page_size) {
		snprintf(why, len,
			 "--record needs ring-buffer sub-buffers of a page "
			 "(%d bytes), and this instance's are %d bytes",
			 r->page_size, ftrace_decoder_subbuf_size(&st->dec));
		return -1;
	}
	if (open_cpu_files(r, why, len))
		return -1;
	return write_headers(st, r, why, len);
}

/* One sub-buffer, as read (a page, or less with the rest zeroed). */
void ftrace_record_page(struct ftrace_state *st, int i, const void *page, int n)
{
	static const char zeros[4096];
	struct ftrace_record *r = st->record;
	int pad = r ? r->page_size - n : 0;
	int fd;

	if (!r || r->err)
		return;
	fd = r->fds[st->cpus[i].cpu];
	if (write(fd, page, n) != n)
		r->err = errno ? errno : EIO;
	while (!r->err && pad > 0) {
		int chunk = pad < (int)sizeof(zeros) ? pad : (int)sizeof(zeros);

		if (write(fd, zeros, chunk) != chunk)
			r->err = errno ? errno : EIO;
		pad -= chunk;
	}
}

/* The cmdlines and the CPU files into the trace.dat: 0, or an errno. */
static int finish(struct ftrace_record *r)
{
	if (r->err)
		return r->err;
	errno = 0;
	if (sym_tracecmd_write_cmdlines(r->out) ||
	    sym_tracecmd_append_cpu_data(r->out, r->nr_cpus, r->files))
		return errno ? errno : EIO;
	return 0;
}

void ftrace_record_close(struct ftrace_state *st, bool complete)
{
	struct ftrace_record *r = st->record;
	int err = 0;

	if (!r || !r->out) {
		/* Failed before FILE was made: nothing of it to remove. */
		if (r)
			record_free(r);
		st->record = NULL;
		return;
	}
	st->record = NULL;
	if (complete)
		err = finish(r);
	sym_tracecmd_output_close(r->out);
	if (err)
		fprintf(stderr, "drsnoop: cannot write '%s': %s\n", r->path,
			strerror(err));
	if (!complete || err)
		unlink(r->path);
	record_free(r);
}
