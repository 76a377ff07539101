/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_PERFDATA_READER_H
#define DRSNOOP_PERFDATA_READER_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <linux/perf_event.h>
#include "fallback/shared/comm_table.h"
#include "src/symbols/ksyms.h"
#include "fallback/file/file_reader.h"
#include "fallback/shared/time_queue.h"
#include "fallback/shared/vmscan_fields.h"

/*
 * The perf.data reader's state, shared by its files: perfdata_reader.c
 * (the ops, and the replay in time order), perfdata_header.c (the header,
 * the event attributes and the feature sections), perfdata_formats.c (the
 * tracing data: event formats and cmdlines), perfdata_gfp.c (the gfp flag
 * names), perfdata_records.c (the data section's records),
 * perfdata_stacks.c (callchains) and, below them all, perfdata_io.c (the
 * reads and checks they share). Functions returning int return 0, or -1
 * with a one-line reason in r->why, unless said otherwise.
 */
#define MAX_ATTRS  256
#define CHUNK	   (1U << 20)
#define MAX_RECORD 65535 /* size is a u16 */

struct perf_section {
	uint64_t offset;
	uint64_t size;
};

struct perf_attr {
	uint64_t sample_type;
	uint64_t read_format;
	bool id_all;
};

struct perf_id {
	uint64_t id;
	uint32_t attr;
};

/* A window on the data section, refilled with pread. */
struct perf_stream {
	int fd;
	uint64_t pos; /* file offset of buf[len] */
	uint64_t end;
	uint8_t *buf;
	size_t len;
	size_t off;
};

/* What the perf.data reader keeps until it can be replayed in time order. */
enum perf_item_kind {
	PERF_ITEM_EVENT, /* a vmscan begin or end */
	PERF_ITEM_COMM,
	PERF_ITEM_FORK, /* tid inherits the comm of pid, the parent thread */
	PERF_ITEM_LOST,
};

struct perf_item {
	struct time_stamp stamp; /* seq: file order */
	uint32_t kind; /* enum perf_item_kind */
	uint32_t pid;
	uint32_t tid; /* COMM, FORK */
	union {
		struct vmscan_rec rec; /* EVENT */
		char comm[DR_COMM_LEN]; /* COMM */
		uint64_t lost; /* LOST: 0 when unknown */
	};
	uint64_t *chain; /* a begin's callchain {nr, ips[nr]} when wanted */
};

struct file_reader {
	struct file_replay *rp;
	struct tep_handle *tep;
	struct vmscan_fields vf;
	struct perf_attr attrs[MAX_ATTRS];
	uint32_t nr_attrs;
	struct perf_id *ids;
	uint32_t nr_ids;
	bool by_identifier; /* samples start with their id */
	struct perf_stream in;
	struct time_queue queue; /* of struct perf_item */
	struct comm_table comms;
	uint64_t next_flush; /* FINISHED_ROUND flushes up to here */
	uint64_t max_ts;
	struct stat st;
	char *why;
	size_t why_len;
	/* Who recorded it, for its kernel frames (perfdata_stacks.c). */
	struct ksyms *file_ksyms; /* the tracing data's kallsyms, if any */
	char hostname[65];
	char osrelease[65];
	uint64_t kernel_text; /* where its kernel's _text was */
	bool has_kernel_text;
	bool ksyms_handed;
	/* This machine's, read before the sandbox (-K only). */
	struct ksyms *host_ksyms;
	uint64_t host_text;
};

static inline uint64_t get_u64(const void *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t get_u32(const void *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* perfdata_io.c */
/* Say why, with fmt's one number n, and return -1. */
int perfdata_fail(struct file_reader *r, const char *fmt, unsigned long long n);
/* Whether section s lies within the file. */
bool perfdata_within(const struct file_reader *r, const struct perf_section *s);
int perfdata_read_at(struct file_reader *r, void *buf, size_t len,
		     uint64_t off);
/* The section of feature bit, if the file has it: 0 or -1, no reason. */
int perfdata_feature(struct file_reader *r, const uint8_t *hdr, int bit,
		     struct perf_section *sec);

/* perfdata_header.c */
/* Checks the header, reads the attrs and the tracing data. */
int perfdata_read_header(struct file_reader *r);
/* The attr of a record whose id, if any, is the u64 at p; NULL if none. */
const struct perf_attr *perfdata_attr_of(const struct file_reader *r,
					 const uint8_t *p);

/* perfdata_formats.c */
int perfdata_parse_tracing_data(struct file_reader *r, const char *buf,
				uint64_t size);

/*
 * perfdata_gfp.c: hand the sink the gfp flag names of the direct-reclaim
 * begin format fmt, if it has them.
 */
void perfdata_gfp_names(struct file_reader *r, const char *fmt, uint64_t size);

/* perfdata_records.c */
/*
 * The next whole record, in place: returns 1 with *rec and *size set, 0 at
 * the end of the data section, -1 on a corrupt or truncated record.
 */
int perfdata_next_record(struct file_reader *r, const uint8_t **rec,
			 uint16_t *size);
/* Each queues its record as a struct perf_item, if it is one to keep. */
int perfdata_on_sample(struct file_reader *r, const uint8_t *rec,
		       uint16_t size);
int perfdata_on_comm(struct file_reader *r, const uint8_t *rec, uint16_t size);
int perfdata_on_fork(struct file_reader *r, const uint8_t *rec, uint16_t size);
/* LOST and LOST_SAMPLES: the count is the u64 at offset at. */
int perfdata_on_lost(struct file_reader *r, const uint8_t *rec, uint16_t size,
		     size_t at);

/* perfdata_stacks.c */
/* With -K: this machine's /proc/kallsyms, for a file recorded here. */
void perfdata_load_host_ksyms(struct file_reader *r);
/* HEADER_HOSTNAME and HEADER_OSRELEASE, where the file has them. */
void perfdata_read_identity(struct file_reader *r, const uint8_t *hdr);
/* MMAP and MMAP2: the kernel's map says where its _text was. */
void perfdata_on_mmap(struct file_reader *r, const uint8_t *rec, uint16_t size,
		      size_t name_at);
/* A copy of a callchain {nr, ips[nr]} of nr frames at p; NULL on ENOMEM. */
uint64_t *perfdata_copy_chain(const uint8_t *p, uint64_t nr);
/* Hand a begin's callchain to the replay as kernel and user stacks. */
void perfdata_replay_chain(struct file_reader *r, const struct perf_item *it);

#endif /* DRSNOOP_PERFDATA_READER_H */
