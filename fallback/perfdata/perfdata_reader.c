// SPDX-License-Identifier: GPL-2.0
/*
 * A small reader of perf.data as 'perf record' writes it to a file
 * (tools/perf/Documentation/perf.data-file-format.txt), enough for
 * tracepoint samples; this file holds its ops and the replay of what it
 * read, in time order:
 *
 *   header    "PERFILE2", sections for the attrs, the data and (after the
 *             data) one section per feature bit set (perfdata_header.c);
 *   attrs     perf_event_attr + the section of its sample ids, each entry
 *             attr_size bytes: sample_type says how to parse samples;
 *   feature   HEADER_TRACING_DATA: the event formats, laid out as in the
 *             first part of a version 6 trace.dat; only header_page and
 *             the vmscan formats are parsed, with libtraceevent
 *             (perfdata_formats.c);
 *   data      records {u32 type, u16 misc, u16 size}: SAMPLE (raw payload
 *             decoded by field name), COMM and FORK (a new thread has its
 *             parent's comm), LOST, LOST_SAMPLES (perfdata_records.c) and
 *             FINISHED_ROUND; the rest is skipped.
 *
 * Every size and offset is checked against the file before use, records
 * are read through a bounded buffer, and only files in this machine's
 * byte order are accepted. perf writes each CPU's records in order but
 * interleaves CPUs: records are queued and, like perf's ordered events,
 * flushed at each FINISHED_ROUND up to the newest timestamp of the round
 * before it, and half at a time should a file have no rounds.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "perfdata_reader.h"
#include "src/sys/sandbox.h"
#include "src/sys/tracelibs.h"

#define PERF_QUEUE_MAX (1U << 20) /* items held without a round's end */

/* record types */
enum {
	REC_MMAP = 1,
	REC_LOST = 2,
	REC_COMM = 3,
	REC_FORK = 7,
	REC_SAMPLE = 9,
	REC_MMAP2 = 10,
	REC_LOST_SAMPLES = 13,
	REC_FINISHED_ROUND = 68,
	REC_COMPRESSED = 81,
};

/* Who a thread is: the sample's pid, the last COMM said or cmdlines. */
static void task_of(struct file_reader *r, const struct perf_item *it,
		    struct replay_task *t)
{
	const char *comm = comm_table_get(&r->comms, it->rec.tid);

	t->pid = it->pid;
	if (!comm && sym_tep_is_pid_registered(r->tep, it->rec.tid))
		comm = sym_tep_data_comm_from_pid(r->tep, it->rec.tid);
	t->comm = comm;
}

static void inherit_comm(struct file_reader *r, uint32_t parent, uint32_t child)
{
	const char *comm = comm_table_get(&r->comms, parent);
	char copy[DR_COMM_LEN];

	if (!comm)
		return;
	/* Setting may move the table: copy first. */
	memcpy(copy, comm, sizeof(copy));
	if (comm_table_set(&r->comms, child, copy)) {
		r->rp->err = -ENOMEM;
		r->rp->done = true;
	}
}

static int replay_item(const void *rec, void *ctx)
{
	const struct perf_item *it = rec;
	struct file_reader *r = ctx;
	struct replay_task t = { 0 };

	switch (it->kind) {
	case PERF_ITEM_EVENT:
		if (it->rec.type != VMSCAN_BEGIN)
			task_of(r, it, &t);
		replay_record(r->rp, it->stamp.ts, &it->rec, &t);
		if (it->chain)
			perfdata_replay_chain(r, it);
		free(it->chain);
		break;
	case PERF_ITEM_COMM:
		if (comm_table_set(&r->comms, it->tid, it->comm)) {
			r->rp->err = -ENOMEM;
			r->rp->done = true;
		}
		break;
	case PERF_ITEM_FORK:
		inherit_comm(r, it->pid, it->tid);
		break;
	case PERF_ITEM_LOST:
		replay_lost(r->rp, it->stamp.ts, it->lost);
		break;
	}
	return r->rp->done;
}

static int free_item(const void *rec, void *ctx)
{
	free(((const struct perf_item *)rec)->chain);
	return 0;
}

static void drop_items(struct file_reader *r)
{
	time_queue_flush(&r->queue, UINT64_MAX, free_item, NULL);
	time_queue_free(&r->queue);
}

/* Replay the items up to upto; once the replay is done, drop the rest. */
static void replay_upto(struct file_reader *r, uint64_t upto)
{
	if (time_queue_flush(&r->queue, upto, replay_item, r))
		drop_items(r);
}

/* As perf's ordered events: a round's records may reach back one round. */
static void end_round(struct file_reader *r)
{
	replay_upto(r, r->next_flush);
	r->next_flush = r->max_ts;
	if (r->queue.nr > PERF_QUEUE_MAX)
		replay_upto(r, time_queue_median(&r->queue));
}

static int on_record(struct file_reader *r, const uint8_t *rec, uint16_t size)
{
	switch (get_u32(rec)) {
	case REC_SAMPLE:
		return perfdata_on_sample(r, rec, size);
	case REC_COMM:
		return perfdata_on_comm(r, rec, size);
	case REC_MMAP:
		perfdata_on_mmap(r, rec, size, 40);
		return 0;
	case REC_MMAP2:
		perfdata_on_mmap(r, rec, size, 72);
		return 0;
	case REC_FORK:
		return perfdata_on_fork(r, rec, size);
	case REC_LOST:
		return perfdata_on_lost(r, rec, size, 16);
	case REC_LOST_SAMPLES:
		return perfdata_on_lost(r, rec, size, 8);
	case REC_FINISHED_ROUND:
		end_round(r);
		return 0;
	case REC_COMPRESSED:
		return perfdata_fail(
			r,
			"compressed records (perf record -z) are not "
			"supported",
			0);
	}
	return 0;
}

static int perfdata_read(struct file_reader *r, char *why, size_t why_len)
{
	const uint8_t *rec;
	uint16_t size;
	int ret = 0;

	r->why = why;
	r->why_len = why_len;
	while (!r->rp->done && (ret = perfdata_next_record(r, &rec, &size)) > 0)
		if (on_record(r, rec, size))
			return -1;
	if (ret < 0 && !r->rp->done)
		return -1;
	replay_upto(r, UINT64_MAX);
	return 0;
}

static void perfdata_close(struct file_reader *r)
{
	if (r->tep)
		sym_tep_free(r->tep);
	if (r->in.fd >= 0)
		close(r->in.fd);
	drop_items(r);
	ksyms_free(r->file_ksyms);
	ksyms_free(r->host_ksyms);
	comm_table_free(&r->comms);
	free(r->in.buf);
	free(r->ids);
	free(r);
}

static struct file_reader *perfdata_open(const char *path,
					 struct file_replay *rp, bool debug,
					 char *why, size_t why_len)
{
	struct file_reader *r;

	if (tracelibs_load_tracefs(why, why_len))
		return NULL;
	r = calloc(1, sizeof(*r));
	if (!r) {
		snprintf(why, why_len, "%s", strerror(ENOMEM));
		return NULL;
	}
	*r = (struct file_reader){ .rp = rp, .why = why, .why_len = why_len };
	time_queue_init(&r->queue, sizeof(struct perf_item));
	sym_tep_set_loglevel(debug ? TEP_LOG_WARNING : TEP_LOG_NONE);
	r->tep = sym_tep_alloc();
	r->in.buf = malloc(CHUNK + MAX_RECORD);
	r->in.fd = open(path, O_RDONLY | O_CLOEXEC);
	if (r->in.fd < 0 || fstat(r->in.fd, &r->st)) {
		snprintf(why, why_len, "%s", strerror(errno));
		goto out_close;
	}
	if (!r->tep || !r->in.buf) {
		snprintf(why, why_len, "%s", strerror(ENOMEM));
		goto out_close;
	}
	if (rp->want_stack[PAIR_KSTACK])
		perfdata_load_host_ksyms(r);
	/* Open, with its libraries loaded: parse it in the sandbox. */
	if (rp->sandbox && sandbox_enter(0, why, why_len))
		goto out_close;
	if (perfdata_read_header(r))
		goto out_close;
	return r;
out_close:
	perfdata_close(r);
	return NULL;
}

const struct file_reader_ops perfdata_reader = {
	.format = "perf.data",
	.knows_pid = true,
	.open = perfdata_open,
	.read = perfdata_read,
	.close = perfdata_close,
};
