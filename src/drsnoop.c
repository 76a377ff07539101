// SPDX-License-Identifier: GPL-2.0
/*
 * drsnoop: trace direct reclaim stalls, one line each.
 *
 * main() parses options, opens a backend, prints the header once the
 * backend is attached, then polls until Ctrl-C, SIGTERM, SIGHUP, the end
 * of -d, or a closed stdout, ending --interval's intervals on the way.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "src/core/backend.h"
#include "src/core/options.h"
#include "pipeline.h"
#include "src/sys/confine.h"
#include "src/symbols/usyms.h"
#include "src/lib/util.h"

#define POLL_MS 100

static volatile sig_atomic_t exiting;

static void on_signal(int sig)
{
	(void)sig;
	exiting = 1;
}

static void setup_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* A closed stdout shows up as EPIPE from the write instead. */
	signal(SIGPIPE, SIG_IGN);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

/*
 * Poll in short steps so that signals, the -d deadline and --interval act
 * promptly. The capture window (-s) closes when tracing stops, before the
 * drain.
 */
static int trace_loop(struct dr_backend *b, unsigned int duration,
		      struct dr_pipeline *p)
{
	uint64_t start = now_ms(), now;
	uint64_t deadline = duration ? start + duration * 1000ULL : 0;
	int timeout = POLL_MS;
	int ret;

	while (!exiting) {
		now = now_ms();
		if (deadline) {
			if (now >= deadline)
				break;
			if (deadline - now < POLL_MS)
				timeout = deadline - now;
		}
		/* After the deadline's test: -d ends on an interval's end. */
		ret = pipeline_tick(p, now - start);
		if (ret)
			return ret;
		ret = b->ops->poll(b, timeout);
		if (ret == DR_POLL_END) {
			pipeline_stop(p);
			return 0;
		}
		if (ret == DR_POLL_FAILED || (ret < 0 && ret != -EINTR))
			return ret;
	}
	pipeline_stop(p);
	/* Stalls that ended before we stopped are still in the buffers. */
	ret = b->ops->poll(b, 0);
	return ret == DR_POLL_END || ret == -EINTR ? 0 : ret;
}

/*
 * The directory of an output file (--metrics, --report, --flamegraph,
 * --record),
 * where it is made and renamed over.
 */
static const char *output_dir(const char *file, char *buf, size_t len)
{
	const char *slash = strrchr(file, '/');

	if (!slash)
		return ".";
	if (slash == file)
		return "/";
	snprintf(buf, len, "%.*s", (int)(slash - file), file);
	return buf;
}

/*
 * Attached and started: confine the process to what the backend and the
 * outputs still need (confine.h), so that a bug from now on cannot be
 * turned into the privileges drsnoop started with. A recording's reader
 * is in its own sandbox already.
 */
static int confine(const struct dr_backend *b, const struct dr_pipeline *p,
		   const struct dr_options *o)
{
	struct confine_plan plan = {
		.keep_caps = b->keep_caps,
		.broker_caps = pipeline_keep_caps(p),
		.symbolizer = &usyms_symbolizer,
		.bpf_maps = b->bpf_maps,
		.debug = o->debug,
	};
	const char *outputs[] = { o->metrics, o->report, o->flamegraph,
				  o->record };
	char why[PATH_MAX + 64], dirs[ARRAY_SIZE(outputs)][PATH_MAX];
	bool full = false;
	size_t i;

	if (b->ops->replay)
		return 0;
	for (i = 0; i < DR_BACKEND_WRITES && b->writes[i].path; i++)
		full |= confine_add(&plan, b->writes[i].path,
				    b->writes[i].access) != 0;
	for (i = 0; i < ARRAY_SIZE(outputs); i++)
		if (outputs[i])
			full |= confine_add(&plan,
					    output_dir(outputs[i], dirs[i],
						       sizeof(dirs[i])),
					    CONFINE_FILES) != 0;
	if (full)
		snprintf(why, sizeof(why), "too many paths to write");
	else if (!confine_enter(&plan, why, sizeof(why)))
		return 0;
	fprintf(stderr, "drsnoop: %s\n", why);
	return -1;
}

int main(int argc, char **argv)
{
	struct dr_pipeline pipeline;
	struct dr_options opts;
	struct dr_backend *b;
	int ret, err;

	ret = options_parse(&opts, argc, argv);
	if (ret)
		return ret == OPTIONS_EXIT ? 0 : 2;
	opts.sandbox = opts.input != NULL;
	setup_signals();
	pipeline_init(&pipeline, &opts, stdout, sysconf(_SC_PAGESIZE) / 1024);
	/* A recording is read in a sandbox that opens no file. */
	if (report_open(&pipeline.out)) {
		pipeline_free(&pipeline);
		return 1;
	}
	b = backend_open(&opts, &pipeline.sink);
	if (!b) {
		pipeline_free(&pipeline);
		return 1;
	}
	pipeline.out.batch = b->ops->replay;
	if (pipeline_start(&pipeline, b) || confine(b, &pipeline, &opts)) {
		b->ops->close(b);
		pipeline_free(&pipeline);
		return 1;
	}
	ret = output_header(&pipeline.out);
	if (!ret)
		pipeline_say_tracing(&pipeline, b);
	if (!ret)
		ret = trace_loop(b, b->ops->replay ? 0 : opts.duration,
				 &pipeline);
	if (!ret && fflush(stdout))
		ret = -errno;
	b->ops->close(b);
	err = pipeline_finish(&pipeline);
	if (!ret)
		ret = err;
	if (ret == -EPIPE)
		return 0;
	if (ret == DR_POLL_FAILED)
		return 1;
	if (ret < 0) {
		fprintf(stderr, "drsnoop: tracing failed: %s\n",
			strerror(-ret));
		return 1;
	}
	return 0;
}
