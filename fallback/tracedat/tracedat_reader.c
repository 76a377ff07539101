// SPDX-License-Identifier: GPL-2.0
/*
 * trace-cmd's trace.dat, read with libtracecmd: the top-level buffer and
 * every instance buffer, merged in time order. Comms come from the file's
 * saved cmdlines. trace.dat keeps no tgids, so the process id is unknown.
 *
 * libtracecmd parses every event format in the file with libtraceevent,
 * whose parser crashes on some hostile formats (found by
 * tests/fuzz/fuzz_tracedat.c). So the library runs in a child process,
 * tracedat_child.c, that sends the decoded records down a pipe
 * (tracedat.h); this file, the reader's ops, replays them. If the child
 * dies, the file is reported unreadable and drsnoop goes on to exit
 * cleanly. The child is also where libtracecmd (and libzstd, which it
 * needs) is loaded.
 *
 * Messages are 32 bytes, and a thread's comm is sent once, before its
 * first stall's end (again if another thread took its slot in the comm
 * cache): the pipe carried 88 bytes per record before. With -K or
 * --user-stack, the child matches the file's stack events to their
 * begins (ftrace_events.c) and sends each matched stack after its begin,
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
#include "fallback/file/file_reader.h"
#include "src/sys/gfp.h"
#include "src/sys/sandbox.h"
#include "tracedat.h"

#define PIPE_SIZE (1 << 20)

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
		tracedat_child_main(fds[1], path, debug, want_stack, sandbox);
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
	bool has_reason =
		m->type == VMSCAN_THROTTLE || m->type == VMSCAN_COMPACT_ZONE;
	struct vmscan_rec v = {
		.type = m->type,
		.tid = m->tid,
		.order = has_reason ? -1 : m->order,
		.kind = m->rec_kind,
		.reason = has_reason ? m->reason : 0,
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
