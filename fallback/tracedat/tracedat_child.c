// SPDX-License-Identifier: GPL-2.0
/*
 * The trace.dat reader's child process (see tracedat_reader.c): the file
 * opened, the sandbox closed around it, the file read with libtracecmd,
 * its records decoded and sent down the pipe in batches (tracedat.h). A
 * thread's comm is sent once, before its first stall's end; a matched
 * stack after its begin (ftrace_events.c), before a kernel stack the
 * symbols of its frames not sent yet.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fallback/shared/ftrace_events.h"
#include "src/sys/gfp.h"
#include "src/sys/sandbox.h"
#include "tracedat.h"
#include "src/sys/tracelibs.h"

struct td_sent {
	uint32_t tid;
	bool valid;
};

/* The child's side: libtracecmd, its tep, and the batch being filled. */
struct td_child {
	struct tracecmd_input **handles; /* the top buffer, then instances */
	int nr_handles;
	struct tep_handle *tep;
	struct ftrace_events events; /* a buffer a handle's CPU */
	int fd;
	struct td_msg buf[BATCH];
	size_t len;
	struct td_sent sent[COMM_SLOTS]; /* the tids whose comm was sent */
	uint64_t *ksyms_sent; /* sorted starts of the symbols sent */
	size_t nr_ksyms_sent;
	int file_fd; /* until libtracecmd takes it, or -1 */
	jmp_buf out; /* the end, from anywhere: tracedat_child_run() */
};

static void write_all(struct td_child *c, const void *p, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(c->fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			longjmp(c->out, 1); /* the parent stopped reading */
		p = (const char *)p + n;
		len -= n;
	}
}

static void child_flush(struct td_child *c)
{
	write_all(c, c->buf, c->len * sizeof(c->buf[0]));
	c->len = 0;
}

static struct td_msg *child_msg(struct td_child *c, uint32_t kind, uint64_t ts)
{
	struct td_msg *m;

	if (c->len == BATCH)
		child_flush(c);
	m = &c->buf[c->len++];
	memset(m, 0, sizeof(*m));
	m->kind = kind;
	m->ts = ts;
	return m;
}

static void child_fail(struct td_child *c, const char *why)
{
	char reason[REASON_LEN] = "";

	strncpy(reason, why, sizeof(reason) - 1);
	child_msg(c, TD_FAIL, 0);
	child_flush(c);
	write_all(c, reason, sizeof(reason));
	longjmp(c->out, 1);
}

/* Before a stall's end: its thread's comm, unless the parent has it. */
static void send_comm(struct td_child *c, uint32_t tid)
{
	struct td_sent *slot = &c->sent[tid % COMM_SLOTS];
	const char *comm;
	struct td_msg *m;

	if (slot->valid && slot->tid == tid)
		return;
	slot->valid = true;
	slot->tid = tid;
	m = child_msg(c, TD_COMM, 0);
	m->tid = tid;
	comm = sym_tep_data_comm_from_pid(c->tep, tid);
	/* "<...>": not in the saved cmdlines; "<idle>" is pid 0's. */
	if (comm && comm[0] != '<')
		strncpy(m->comm, comm, sizeof(m->comm) - 1);
}

/* count bytes of data after a header message, in whole messages each. */
static void child_payload(struct td_child *c, const void *data, size_t count)
{
	struct td_msg *m;
	size_t n;

	while (count) {
		n = count < sizeof(*m) ? count : sizeof(*m);
		m = child_msg(c, 0, 0);
		memcpy(m, data, n);
		data = (const char *)data + n;
		count -= n;
	}
}

static bool ksym_sent(struct td_child *c, uint64_t start, size_t *at)
{
	size_t lo = 0, hi = c->nr_ksyms_sent, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (c->ksyms_sent[mid] < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	*at = lo;
	return lo < c->nr_ksyms_sent && c->ksyms_sent[lo] == start;
}

/* The symbol holding addr, unless sent before or the file has none. */
static void send_ksym(struct td_child *c, uint64_t addr)
{
	char copy[KSYM_NAME_MAX]; /* a longer name is cut */
	unsigned long long start;
	unsigned long size;
	const char *name;
	struct td_msg *m;
	uint64_t *sent;
	size_t at;

	if (!sym_tep_find_function_info(c->tep, addr, &name, &start, &size) ||
	    ksym_sent(c, start, &at))
		return;
	sent = realloc(c->ksyms_sent,
		       (c->nr_ksyms_sent + 1) * sizeof(*c->ksyms_sent));
	if (!sent)
		child_fail(c, strerror(ENOMEM));
	c->ksyms_sent = sent;
	memmove(sent + at + 1, sent + at,
		(c->nr_ksyms_sent - at) * sizeof(*sent));
	sent[at] = start;
	c->nr_ksyms_sent++;
	snprintf(copy, sizeof(copy), "%s", name);
	m = child_msg(c, TD_KSYM, start);
	m->value = strlen(copy) + 1;
	child_payload(c, copy, m->value);
}

static void send_stack(struct td_child *c, uint64_t begin_ts,
		       const struct ftrace_stack *s)
{
	struct td_msg *m;
	uint32_t i;

	for (i = 0; s->kind == PAIR_KSTACK && i < s->nr; i++)
		send_ksym(c, s->addrs[i]);
	m = child_msg(c, TD_STACK, begin_ts);
	m->tid = s->tid;
	m->rec_kind = s->kind;
	m->value = s->nr;
	child_payload(c, s->addrs, s->nr * sizeof(s->addrs[0]));
}

/* Each CPU buffer of each handle, as one number for the matcher. */
static uint32_t buffer_key(const struct td_child *c,
			   const struct tracecmd_input *h, int cpu)
{
	int i;

	for (i = 0; i < c->nr_handles && c->handles[i] != h; i++)
		;
	return (uint32_t)i * 1024 + ((uint32_t)cpu & 1023);
}

static void send_record(struct td_child *c, uint64_t ts,
			const struct vmscan_rec *v)
{
	struct td_msg *m;

	if (v->type != VMSCAN_BEGIN)
		send_comm(c, v->tid);
	m = child_msg(c, TD_RECORD, ts);
	m->type = v->type;
	m->tid = v->tid;
	/* A throttle's reason, a compaction zone event's result. */
	if (v->type == VMSCAN_THROTTLE || v->type == VMSCAN_COMPACT_ZONE)
		m->reason = v->reason;
	else
		m->order = v->order;
	m->rec_kind = v->kind;
	m->value = v->value;
}

static int on_record(struct tracecmd_input *h, struct tep_record *rec, int cpu,
		     void *ctx)
{
	struct td_child *c = ctx;
	uint32_t key = buffer_key(c, h, rec->cpu);
	struct vmscan_rec v;
	uint64_t begin_ts;

	(void)cpu;
	if (rec->missed_events)
		child_msg(c, TD_LOST, rec->ts)->value =
			ftrace_events_lost(&c->events, key, rec->missed_events);
	if (rec->size < 0)
		return 0;
	switch (ftrace_events_decode(&c->events, key, rec->data, rec->size,
				     rec->ts, &v, &begin_ts)) {
	case FTRACE_EVENT_VMSCAN:
		send_record(c, rec->ts, &v);
		break;
	case FTRACE_EVENT_STACK:
		send_stack(c, begin_ts, &c->events.stack);
		break;
	}
	return 0;
}

/*
 * The file is opened, and the libraries loaded, before the sandbox
 * (sandbox.h) closes around the child: libtracecmd parses everything in
 * the file under it.
 */
static void child_open(struct td_child *c, const char *path,
		       const bool *want_stack, bool sandbox)
{
	struct tracecmd_input *top;
	char why[256];
	int fd, n, i;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, sizeof(why), "%s", strerror(errno));
		child_fail(c, why);
	}
	c->file_fd = fd;
	if (sandbox && sandbox_enter(0, why, sizeof(why)))
		child_fail(c, why);
	errno = 0;
	top = sym_tracecmd_open_fd(fd, TRACECMD_FL_LOAD_NO_PLUGINS);
	if (top)
		c->file_fd = -1;
	if (!top) {
		snprintf(why, sizeof(why), "not a readable trace-cmd file (%s)",
			 strerror(errno ? errno : EINVAL));
		child_fail(c, why);
	}
	n = sym_tracecmd_buffer_instances(top);
	c->handles = calloc(n + 1, sizeof(*c->handles));
	if (!c->handles)
		child_fail(c, strerror(ENOMEM));
	c->handles[c->nr_handles++] = top;
	for (i = 0; i < n; i++) {
		c->handles[c->nr_handles] =
			sym_tracecmd_buffer_instance_handle(top, i);
		if (!c->handles[c->nr_handles++])
			child_fail(c, "cannot open one of its buffers");
	}
	c->tep = sym_tracecmd_get_tep(top);
	if (ftrace_events_init(&c->events, c->tep, want_stack, why,
			       sizeof(why)))
		child_fail(c, why);
}

/* The begin event's gfp flag names, as its print fmt in the file has them. */
static void child_send_gfp(struct td_child *c)
{
	struct tep_event *ev =
		sym_tep_find_event(c->tep, c->events.fields.begin_id[0]);
	struct gfp_names g = { 0 };
	struct td_msg *m;
	size_t i;

	if (ev && !gfp_names_from_event(&g, ev))
		for (i = 0; i < g.nr; i++) {
			m = child_msg(c, TD_GFP, 0);
			m->value = g.flags[i].mask;
			m = child_msg(c, TD_GFP, 0);
			strncpy((char *)m, g.flags[i].name, sizeof(*m) - 1);
		}
	gfp_names_free(&g);
}

/* What the child holds, freed (the fuzz targets run it in-process). */
static void child_free(struct td_child *c)
{
	int i;

	for (i = c->nr_handles - 1; i >= 0; i--)
		if (c->handles[i])
			sym_tracecmd_close(c->handles[i]);
	free(c->handles);
	free(c->ksyms_sent);
	ftrace_events_free(&c->events);
	if (c->file_fd >= 0)
		close(c->file_fd);
	free(c);
}

void tracedat_child_run(int fd, const char *path, bool debug,
			const bool *want_stack, bool sandbox)
{
	struct td_child *volatile c = calloc(1, sizeof(*c));
	char why[REASON_LEN];

	if (!c)
		return;
	c->fd = fd;
	c->file_fd = -1;
	if (setjmp(c->out)) {
		child_free(c);
		return;
	}
	if (tracelibs_load_tracecmd(why, sizeof(why)))
		child_fail(c, why);
	sym_tracecmd_set_loglevel(debug ? TEP_LOG_WARNING : TEP_LOG_NONE);
	sym_tep_set_loglevel(debug ? TEP_LOG_WARNING : TEP_LOG_NONE);
	child_open(c, path, want_stack, sandbox);
	child_send_gfp(c);
	child_msg(c, TD_READY, 0);
	child_flush(c);
	sym_tracecmd_iterate_events_multi(c->handles, c->nr_handles, on_record,
					  c);
	child_msg(c, TD_DONE, 0);
	child_flush(c);
	child_free(c);
}

_Noreturn void tracedat_child_main(int fd, const char *path, bool debug,
				   const bool *want_stack, bool sandbox)
{
	tracelibs_contain_crashes();
	signal(SIGPIPE, SIG_DFL);
	tracedat_child_run(fd, path, debug, want_stack, sandbox);
	_exit(0);
}
