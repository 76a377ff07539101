// SPDX-License-Identifier: GPL-2.0
/*
 * trace-cmd's trace.dat, read with libtracecmd: the top-level buffer and
 * every instance buffer, merged in time order. Comms come from the file's
 * saved cmdlines. trace.dat keeps no tgids, so the process id is unknown.
 *
 * libtracecmd parses every event format in the file with libtraceevent,
 * whose parser crashes on some hostile formats (found by
 * tests/fuzz/fuzz_tracedat.c). So the library runs in a child process
 * that sends the decoded records down a pipe; if it dies, the file is
 * reported unreadable and drsnoop goes on to exit cleanly. The child is
 * also where libtracecmd (and libzstd, which it needs) is loaded.
 *
 * Messages are 32 bytes, and a thread's comm is sent once, before its
 * first stall's end (again if another thread took its slot in the comm
 * cache): the pipe carried 88 bytes per record before. With -K or
 * --user-stack, the child matches the file's stack events to their
 * begins (ftrace_stack.c) and sends each matched stack after its begin,
 * its frames in the messages that follow; before a kernel stack, the
 * symbols of its frames not sent yet, as the file's kallsyms names them
 * (libtraceevent's function map, which libtracecmd fills from the file).
 *
 * In the child: losses are flagged on the first record after them
 * (missed_events; tracecmd_follow_missed_events() would say the same, but
 * 3.1.6 never frees its followers), and the whole file is iterated:
 * 3.1.6 ignores a positive return from the callback. The parent stops
 * early (-d, a closed stdout) by killing the child.
 */
#define _GNU_SOURCE /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "file_reader.h"
#include "ftrace_stack.h"
#include "gfp.h"
#include "sandbox.h"
#include "tracelibs.h"

enum td_kind {
	TD_GFP, /* one gfp flag: its name is the next message */
	TD_READY, /* the file opened: records follow */
	TD_FAIL, /* REASON_LEN bytes of reason follow */
	TD_RECORD,
	TD_COMM, /* the comm of tid, for its records that follow */
	TD_LOST,
	TD_DONE,
	TD_STACK, /* value frames of the begin at ts follow, 4 a message */
	TD_KSYM, /* a symbol at ts: value bytes of its name follow */
};

/* One message from the child. */
struct td_msg {
	uint64_t ts;
	uint32_t kind; /* enum td_kind */
	uint32_t tid;
	union {
		struct {
			uint64_t value; /* gfp_flags, nr_reclaimed, lost */
			int32_t order;
			uint16_t type; /* enum vmscan_rec_type */
			uint16_t rec_kind; /* enum dr_kind, pair_stack_kind */
		};
		/* TD_COMM: from the saved cmdlines, or "" */
		char comm[DR_COMM_LEN];
	};
};

#define BATCH	      2048 /* messages per write */
#define PIPE_SIZE     (1 << 20)
#define REASON_LEN    256
#define COMM_SLOTS    4096 /* the comm cache: by tid, direct-mapped */
#define KSYM_NAME_MAX 512 /* the kernel's KSYM_NAME_LEN */

struct td_sent {
	uint32_t tid;
	bool valid;
};

struct file_reader {
	struct file_replay *rp;
	pid_t child;
	int fd;
	struct td_msg buf[BATCH];
	size_t len; /* messages in buf */
	size_t off; /* the next one to replay */
	size_t bytes; /* bytes in buf, a partial message included */
	char comms[COMM_SLOTS][DR_COMM_LEN]; /* as the child sent them */
};

/* The child's side: libtracecmd, its tep, and the batch being filled. */
struct td_child {
	struct tracecmd_input **handles; /* the top buffer, then instances */
	int nr_handles;
	struct tep_handle *tep;
	struct vmscan_fields vf;
	int fd;
	struct td_msg buf[BATCH];
	size_t len;
	struct td_sent sent[COMM_SLOTS]; /* the tids whose comm was sent */
	bool want_stack[PAIR_NR_STACKS];
	struct ftrace_stack_fields sf; /* when a stack is wanted and in it */
	bool has_stacks;
	struct stack_matcher matcher;
	struct ftrace_stack stack;
	uint64_t *ksyms_sent; /* sorted starts of the symbols sent */
	size_t nr_ksyms_sent;
};

static void write_all(int fd, const void *p, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(1); /* the parent stopped reading */
		p = (const char *)p + n;
		len -= n;
	}
}

static void child_flush(struct td_child *c)
{
	write_all(c->fd, c->buf, c->len * sizeof(c->buf[0]));
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
	write_all(c->fd, reason, sizeof(reason));
	_exit(0);
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

	if (!c->want_stack[s->kind] || !s->nr)
		return;
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

/* A stack event: sent if it follows its begin in the same buffer. */
static bool on_stack(struct td_child *c, struct tep_record *rec, uint32_t key)
{
	uint64_t begin_ts;

	if (!c->has_stacks ||
	    !ftrace_stack_decode(&c->sf, rec->data, rec->size, &c->stack))
		return false;
	if (stack_matcher_next(&c->matcher, key, STACK_REC_STACK, c->stack.tid,
			       rec->ts, &begin_ts))
		send_stack(c, begin_ts, &c->stack);
	return true;
}

static int on_record(struct tracecmd_input *h, struct tep_record *rec, int cpu,
		     void *ctx)
{
	struct td_child *c = ctx;
	uint32_t key = buffer_key(c, h, rec->cpu);
	struct vmscan_rec v;
	struct td_msg *m;

	(void)cpu;
	if (rec->missed_events) {
		child_msg(c, TD_LOST, rec->ts)->value =
			rec->missed_events > 0 ? rec->missed_events : 0;
		stack_matcher_next(&c->matcher, key, STACK_REC_OTHER, 0, 0,
				   NULL);
	}
	if (rec->size < 0 || on_stack(c, rec, key))
		return 0;
	vmscan_decode(&c->vf, rec->data, rec->size, &v);
	stack_matcher_next(&c->matcher, key,
			   v.type == VMSCAN_BEGIN ? STACK_REC_BEGIN :
						    STACK_REC_OTHER,
			   v.tid, rec->ts, NULL);
	if (v.type == VMSCAN_OTHER)
		return 0;
	if (v.type == VMSCAN_END)
		send_comm(c, v.tid);
	m = child_msg(c, TD_RECORD, rec->ts);
	m->type = v.type;
	m->tid = v.tid;
	m->order = v.order;
	m->rec_kind = v.kind;
	m->value = v.value;
	return 0;
}

/*
 * The file is opened, and the libraries loaded, before the sandbox
 * (sandbox.h) closes around the child: libtracecmd parses everything in
 * the file under it.
 */
static void child_open(struct td_child *c, const char *path, bool sandbox)
{
	struct tracecmd_input *top;
	char why[256];
	int fd, n, i;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, sizeof(why), "%s", strerror(errno));
		child_fail(c, why);
	}
	if (sandbox && sandbox_enter(0, why, sizeof(why)))
		child_fail(c, why);
	errno = 0;
	top = sym_tracecmd_open_fd(fd, TRACECMD_FL_LOAD_NO_PLUGINS);
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
	if (vmscan_fields_init(&c->vf, c->tep, why, sizeof(why)))
		child_fail(c, why);
	if (c->want_stack[PAIR_KSTACK] || c->want_stack[PAIR_USTACK])
		c->has_stacks = ftrace_stack_fields_init(&c->sf, c->tep);
}

/* The begin event's gfp flag names, as its print fmt in the file has them. */
static void child_send_gfp(struct td_child *c)
{
	struct tep_event *ev = sym_tep_find_event(c->tep, c->vf.begin_id[0]);
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

static void child_main(int fd, const char *path, bool debug,
		       const bool *want_stack, bool sandbox)
{
	static struct td_child c;
	char why[REASON_LEN];

	tracelibs_contain_crashes();
	signal(SIGPIPE, SIG_DFL);
	c.fd = fd;
	memcpy(c.want_stack, want_stack, sizeof(c.want_stack));
	if (tracelibs_load_tracecmd(why, sizeof(why)))
		child_fail(&c, why);
	sym_tracecmd_set_loglevel(debug ? TEP_LOG_WARNING : TEP_LOG_NONE);
	sym_tep_set_loglevel(debug ? TEP_LOG_WARNING : TEP_LOG_NONE);
	child_open(&c, path, sandbox);
	child_send_gfp(&c);
	child_msg(&c, TD_READY, 0);
	child_flush(&c);
	sym_tracecmd_iterate_events_multi(c.handles, c.nr_handles, on_record,
					  &c);
	child_msg(&c, TD_DONE, 0);
	child_flush(&c);
	_exit(0);
}

/* The parent's side. */

static void stop_child(struct file_reader *r)
{
	if (r->child <= 0)
		return;
	kill(r->child, SIGKILL);
	waitpid(r->child, NULL, 0);
	r->child = 0;
}

/* Why the child ended without a word: it crashed, or could not start. */
static void child_died(struct file_reader *r, char *why, size_t len)
{
	int status = 0;

	waitpid(r->child, &status, 0);
	r->child = 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) > 128)
		status = WEXITSTATUS(status) - 128;
	else if (WIFSIGNALED(status))
		status = WTERMSIG(status);
	else
		status = 0;
	if (status)
		snprintf(why, len, "libtracecmd crashed reading it (%s)",
			 strsignal(status));
	else
		snprintf(why, len, "its reader ended early");
}

/* The next message, or NULL at the end of the pipe. */
static struct td_msg *next_msg(struct file_reader *r)
{
	size_t whole = sizeof(r->buf[0]);
	ssize_t n;

	if (r->off < r->len)
		return &r->buf[r->off++];
	memmove(r->buf, (char *)r->buf + r->len * whole, r->bytes % whole);
	r->bytes %= whole;
	r->off = r->len = 0;
	while (r->bytes < whole) {
		n = read(r->fd, (char *)r->buf + r->bytes,
			 sizeof(r->buf) - r->bytes);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return NULL;
		r->bytes += n;
	}
	r->len = r->bytes / whole;
	return &r->buf[r->off++];
}

/* The reason that follows a TD_FAIL: partly read with it, maybe. */
static void read_reason(struct file_reader *r, char *why, size_t len)
{
	size_t start = r->off * sizeof(r->buf[0]), have = 0;
	char reason[REASON_LEN] = "";
	ssize_t n;

	if (r->bytes > start)
		have = r->bytes - start < sizeof(reason) ? r->bytes - start :
							   sizeof(reason);
	memcpy(reason, (char *)r->buf + start, have);
	while (have < sizeof(reason)) {
		n = read(r->fd, reason + have, sizeof(reason) - have);
		if (n <= 0)
			break;
		have += n;
	}
	reason[sizeof(reason) - 1] = '\0';
	snprintf(why, len, "%s", reason);
}

static void tracedat_close(struct file_reader *r)
{
	stop_child(r);
	if (r->fd >= 0)
		close(r->fd);
	free(r);
}

static struct file_reader *start_child(const char *path, bool debug,
				       const bool *want_stack, bool sandbox,
				       char *why, size_t len)
{
	struct file_reader *r = calloc(1, sizeof(*r));
	int fds[2];

	if (!r || pipe2(fds, O_CLOEXEC)) {
		snprintf(why, len, "%s", strerror(r ? errno : ENOMEM));
		free(r);
		return NULL;
	}
	/* 1 MiB (the default limit), not 64 KiB: fewer wake-ups either side. */
	fcntl(fds[1], F_SETPIPE_SZ, PIPE_SIZE);
	fflush(NULL);
	r->child = fork();
	if (r->child == 0) {
		close(fds[0]);
		child_main(fds[1], path, debug, want_stack, sandbox);
	}
	close(fds[1]);
	r->fd = fds[0];
	if (r->child < 0) {
		snprintf(why, len, "cannot start its reader: %s",
			 strerror(errno));
		tracedat_close(r);
		return NULL;
	}
	/* The parent reads only the child's messages from now on. */
	if (sandbox && sandbox_enter(r->child, why, len)) {
		tracedat_close(r);
		return NULL;
	}
	return r;
}

static struct file_reader *tracedat_open(const char *path,
					 struct file_replay *rp, bool debug,
					 char *why, size_t len)
{
	struct file_reader *r =
		start_child(path, debug, rp->want_stack, rp->sandbox, why, len);
	struct gfp_names g = { 0 };
	struct td_msg *m, *name;

	if (!r)
		return NULL;
	r->rp = rp;
	while ((m = next_msg(r)) && m->kind == TD_GFP) {
		uint64_t mask = m->value;

		name = next_msg(r);
		if (!name)
			break;
		((char *)name)[sizeof(*name) - 1] = '\0';
		gfp_names_add(&g, mask, (char *)name);
	}
	if (g.nr && rp->sink->gfp_names)
		rp->sink->gfp_names(rp->sink, &g);
	gfp_names_free(&g);
	if (m && m->kind == TD_READY)
		return r;
	if (m && m->kind == TD_FAIL)
		read_reason(r, why, len);
	else
		child_died(r, why, len);
	tracedat_close(r);
	return NULL;
}

static void replay_msg(struct file_reader *r, const struct td_msg *m)
{
	const char *comm = r->comms[m->tid % COMM_SLOTS];
	struct replay_task t = { .comm = comm[0] ? comm : NULL };
	struct vmscan_rec v = {
		.type = m->type,
		.tid = m->tid,
		.order = m->order,
		.kind = m->rec_kind,
		.value = m->value,
	};

	if (m->kind == TD_LOST)
		replay_lost(r->rp, m->ts, m->value);
	else
		replay_record(r->rp, m->ts, &v, &t);
}

/* count bytes that follow a header message; false if the pipe ended. */
static bool read_payload(struct file_reader *r, void *data, size_t count)
{
	struct td_msg *m;
	size_t n;

	while (count) {
		m = next_msg(r);
		if (!m)
			return false;
		n = count < sizeof(*m) ? count : sizeof(*m);
		memcpy(data, m, n);
		data = (char *)data + n;
		count -= n;
	}
	return true;
}

static bool replay_extra(struct file_reader *r, const struct td_msg *m)
{
	uint64_t addrs[DR_STACK_MAX], at = m->ts, nr = m->value;
	uint32_t tid = m->tid, kind = m->rec_kind;
	char name[KSYM_NAME_MAX];

	if (m->kind == TD_KSYM) {
		if (nr > sizeof(name) || !read_payload(r, name, nr))
			return false;
		name[nr ? nr - 1 : 0] = '\0';
		replay_ksym(r->rp, at, name);
		return true;
	}
	if (nr > DR_STACK_MAX || kind >= PAIR_NR_STACKS ||
	    !read_payload(r, addrs, nr * sizeof(addrs[0])))
		return false;
	replay_stack(r->rp, tid, at, kind, addrs, nr);
	return true;
}

static int tracedat_read(struct file_reader *r, char *why, size_t len)
{
	struct td_msg *m;

	while (!r->rp->done && (m = next_msg(r))) {
		if (m->kind == TD_DONE)
			return 0;
		if (m->kind == TD_COMM)
			memcpy(r->comms[m->tid % COMM_SLOTS], m->comm,
			       sizeof(m->comm));
		else if (m->kind == TD_RECORD || m->kind == TD_LOST)
			replay_msg(r, m);
		else if ((m->kind == TD_STACK || m->kind == TD_KSYM) &&
			 !replay_extra(r, m))
			break;
	}
	if (r->rp->done)
		return 0;
	child_died(r, why, len);
	return -1;
}

const struct file_reader_ops tracedat_reader = {
	.format = "trace.dat",
	.knows_pid = false,
	.open = tracedat_open,
	.read = tracedat_read,
	.close = tracedat_close,
};
