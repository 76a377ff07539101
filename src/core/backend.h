/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_BACKEND_H
#define DRSNOOP_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "src/lib/event.h"
#include "src/sys/confine.h"
#include "options.h"

/*
 * Where a backend delivers what it sees. event() returns a negative errno
 * to make the backend stop (stdout closed, say); lost() reports stalls
 * that were dropped before they could be delivered. origin(), optional,
 * sets the zero of -T when the source knows it better than "the first
 * stall" (a recording: its first event). gfp_names(), optional, hands
 * over the gfp flag names of the source's kernel (a recording's own);
 * live sources leave them to the pipeline, which reads tracefs.
 * ksyms(), optional, hands over the kernel symbols that name the frames
 * of the source's kernel stacks (a recording's kallsyms); the sink takes
 * the table over and frees it. Without it, a live source's frames are
 * named from /proc/kallsyms and a recording's show addresses.
 * untraced() says that a kind asked for cannot be traced here (why: one
 * line), and the rest is; only kinds that may be missing without error
 * (--high always, any with --all) are reported so. background() adds
 * zone compactions that no direct compaction attempt held (kcompactd's,
 * proactive compaction, writes to /proc/sys/vm/compact_memory).
 */
struct gfp_names;
struct ksyms;

struct dr_sink {
	int (*event)(struct dr_sink *sink, const struct dr_event *e);
	void (*lost)(struct dr_sink *sink, uint64_t count);
	void (*origin)(struct dr_sink *sink, uint64_t ts_ns);
	void (*gfp_names)(struct dr_sink *sink, const struct gfp_names *g);
	void (*ksyms)(struct dr_sink *sink, struct ksyms *k);
	void (*untraced)(struct dr_sink *sink, uint32_t kind, const char *why);
	void (*background)(struct dr_sink *sink, uint64_t zone_compactions);
};

struct dr_backend;

/*
 * A source of dr_events. open() attaches and returns a backend that is
 * ready (events from now on will be seen), or NULL with a one-line reason
 * in why. poll() delivers what arrived within timeout_ms: it returns 0 to
 * go on, DR_POLL_END when the source has nothing more (a file),
 * DR_POLL_FAILED when it failed and said why on stderr, or a negative
 * errno. close() detaches and frees everything open() made. A replay
 * backend reads a recording: it applies -d to the recording's own clock,
 * so main() sets no wall-clock deadline.
 */
struct dr_backend_ops {
	const char *name;
	bool replay;
	struct dr_backend *(*open)(const struct dr_options *o,
				   struct dr_sink *sink, char *why,
				   size_t why_len);
	int (*poll)(struct dr_backend *b, int timeout_ms);
	void (*close)(struct dr_backend *b);
};

#define DR_BACKEND_WRITES 4

/*
 * Embedded first in each backend's private state. keep_caps, set by
 * open(), holds the capabilities (PRIVS_CAP() bits) that poll() and
 * close() still need, and writes the paths they still write (ending at
 * a NULL path); main() confines the process to those once open()
 * returns (confine.h). bpf_maps says that they still look up or delete
 * BPF map elements. attach says how it attached, as --debug does
 * (--report's header shows it).
 */
#define DR_ATTACH_LEN 128

struct dr_backend {
	const struct dr_backend_ops *ops;
	struct dr_sink *sink;
	uint64_t keep_caps;
	struct confine_path writes[DR_BACKEND_WRITES];
	bool bpf_maps;
	char attach[DR_ATTACH_LEN];
};

#define DR_POLL_END    1
#define DR_POLL_FAILED 2

extern const struct dr_backend_ops bpf_backend;
extern const struct dr_backend_ops ftrace_backend;
extern const struct dr_backend_ops file_backend;

const struct dr_backend_ops *backend_find(const char *name);
struct dr_backend *backend_open(const struct dr_options *o,
				struct dr_sink *sink);

#endif /* DRSNOOP_BACKEND_H */
