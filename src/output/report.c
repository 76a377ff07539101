// SPDX-License-Identifier: GPL-2.0
/*
 * The output mode of --report and --flamegraph (report.h): it counts each
 * stall where -s and --folded would, if they are not asked for, and in
 * the heat map, then writes the files: report_html.c makes the page,
 * flamegraph.c the SVG.
 */
#define _GNU_SOURCE /* mkostemp() */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "src/core/backend.h"
#include "flamegraph.h"
#include "output_modes.h"
#include "output_shared.h"
#include "report_html.h"

static FILE *open_early(const char *path)
{
	FILE *f = fopen(path, "we");

	if (!f)
		fprintf(stderr, "drsnoop: cannot write '%s': %s\n", path,
			strerror(errno));
	return f;
}

/* The janitor: the files opened early, less those it hears were kept. */
static void __attribute__((noreturn))
janitor_main(const struct dr_options *o, int fd)
{
	unsigned char kept = 0;

	while (read(fd, &kept, 1) < 0 && errno == EINTR)
		;
	if (!(kept & REPORT_KEPT_HTML) && o->report)
		unlink(o->report);
	if (!(kept & REPORT_KEPT_SVG) && o->flamegraph)
		unlink(o->flamegraph);
	_exit(0);
}

/* 0, or -1 when it said why, the files then removed by their opener. */
static int start_janitor(const struct dr_options *o, struct dr_report *r)
{
	int fds[2];

	if (pipe2(fds, O_CLOEXEC)) {
		fprintf(stderr, "drsnoop: %s\n", strerror(errno));
		return -1;
	}
	fflush(NULL);
	r->janitor = fork();
	if (r->janitor == 0) {
		close(fds[1]);
		janitor_main(o, fds[0]);
	}
	close(fds[0]);
	if (r->janitor < 0) {
		fprintf(stderr, "drsnoop: %s\n", strerror(errno));
		r->janitor = 0;
		close(fds[1]);
		return -1;
	}
	r->janitor_fd = fds[1];
	return 0;
}

/* Tell the janitor what was written, and wait for it to remove the rest. */
static void stop_janitor(struct dr_report *r)
{
	unsigned char kept = r->kept;

	if (!r->janitor)
		return;
	if (write(r->janitor_fd, &kept, 1) != 1)
		kept = 0;
	close(r->janitor_fd);
	while (waitpid(r->janitor, NULL, 0) < 0 && errno == EINTR)
		;
	r->janitor = 0;
}

/* Before the sandbox: a file opened, not written, is removed at once. */
static void remove_unwritten(const struct dr_options *o, struct dr_report *r)
{
	if (r->html && !(r->kept & REPORT_KEPT_HTML))
		unlink(o->report);
	if (r->svg && !(r->kept & REPORT_KEPT_SVG))
		unlink(o->flamegraph);
}

int report_open(struct dr_output *out)
{
	const struct dr_options *o = out->o;
	struct dr_report *r;

	if (!o->report && !o->flamegraph)
		return 0;
	r = calloc(1, sizeof(*r));
	if (!r) {
		fprintf(stderr, "drsnoop: %s\n", strerror(ENOMEM));
		return -1;
	}
	out->report = r;
	r->start = time(NULL);
	/* glibc's gmtime_r() reads /etc/localtime once: before the sandbox. */
	tzset();
	if (!o->input)
		return 0;
	if ((o->report && !(r->html = open_early(o->report))) ||
	    (o->flamegraph && !(r->svg = open_early(o->flamegraph))) ||
	    start_janitor(o, r)) {
		remove_unwritten(o, r);
		return -1;
	}
	return 0;
}

void report_free(struct dr_output *out)
{
	struct dr_report *r = out->report;

	if (!r)
		return;
	heatmap_free(&r->map);
	while (r->nr_cgroups)
		free(r->cgroups[--r->nr_cgroups].path);
	free(r->cgroups);
	if (r->html)
		fclose(r->html);
	if (r->svg)
		fclose(r->svg);
	stop_janitor(r);
	free(r);
	out->report = NULL;
}

/* A recording's map starts where its TIME(s) does. */
static void start_map(struct dr_output *out, const struct dr_event *e)
{
	struct dr_report *r = out->report;

	heatmap_init(&r->map,
		     out->started ? out->first_us * 1000 : dr_event_end_ns(e));
	r->map_started = true;
}

/* The stall into its cgroup's row, as summary_add() into its process's. */
static int add_cgroup(struct dr_report *r, const char *path,
		      const struct dr_event *e)
{
	struct report_cgroup *c = NULL, *grown;
	size_t i;

	if (!path)
		path = "-";
	for (i = 0; i < r->nr_cgroups && !c; i++)
		if (!strcmp(r->cgroups[i].path, path))
			c = &r->cgroups[i];
	if (!c) {
		grown = realloc(r->cgroups, (i + 1) * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		r->cgroups = grown;
		c = &grown[i];
		*c = (struct report_cgroup){ .path = strdup(path) };
		if (!c->path)
			return -ENOMEM;
		r->nr_cgroups++;
	}
	c->row.stalls++;
	c->row.total_ns += e->lat_ns;
	c->row.pages += e->nr_reclaimed;
	if (e->lat_ns > c->row.max_ns)
		c->row.max_ns = e->lat_ns;
	return 0;
}

static int report_event(struct dr_output *out, const struct dr_event *e)
{
	const struct dr_options *o = out->o;
	int err = 0;

	if (!o->summary)
		err = output_summary_add(out, e);
	if (!err && !o->folded)
		err = output_fold_add(out, e);
	if (err || dr_event_has(e, DR_NESTED))
		return err;
	if (out->cgroups.tree)
		err = add_cgroup(out->report, output_cgroup_of(out, e), e);
	if (err)
		return err;
	if (!out->report->map_started)
		start_map(out, e);
	return heatmap_add(&out->report->map, e->kind, dr_event_end_ns(e),
			   e->lat_ns);
}

static void write_svg(struct dr_output *out, FILE *f)
{
	struct flamegraph g;

	if (flamegraph_build(&g, &out->folded)) {
		fputs("<!-- out of memory -->\n", f);
		return;
	}
	flamegraph_write(&g, f, true);
	flamegraph_free(&g);
}

/* Written and closed: 0, or -errno. */
static int finish_file(FILE *f)
{
	int err = ferror(f) ? -EIO : 0;

	errno = 0;
	if (fclose(f) && !err)
		err = errno ? -errno : -EIO;
	return err;
}

/* path.XXXXXX, written, then renamed over path. */
static int replace_file(struct dr_output *out, const char *path,
			void (*emit)(struct dr_output *out, FILE *f))
{
	size_t len = strlen(path);
	char *tmp = malloc(len + sizeof(".XXXXXX"));
	int fd, err;
	FILE *f;

	if (!tmp)
		return -ENOMEM;
	snprintf(tmp, len + sizeof(".XXXXXX"), "%s.XXXXXX", path);
	fd = mkostemp(tmp, O_CLOEXEC);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f) {
		err = -errno;
		if (fd >= 0)
			close(fd);
		goto out_unlink;
	}
	/* mkstemp's 0600 would keep it from the one who asked for it. */
	fchmod(fd, 0644);
	emit(out, f);
	err = finish_file(f);
	if (!err && rename(tmp, path))
		err = -errno;
out_unlink:
	if (err && fd >= 0)
		unlink(tmp);
	free(tmp);
	return err;
}

/*
 * A recording's file, opened by report_open(): written once, at the end,
 * and kept when it was.
 */
static int write_file(struct dr_output *out, const char *path, FILE **early,
		      unsigned int kept,
		      void (*emit)(struct dr_output *out, FILE *f))
{
	int err;

	if (*early) {
		emit(out, *early);
		err = finish_file(*early);
		*early = NULL;
		if (!err)
			out->report->kept |= kept;
	} else {
		err = replace_file(out, path, emit);
	}
	if (err)
		fprintf(stderr, "drsnoop: cannot write '%s': %s\n", path,
			strerror(-err));
	return err ? DR_POLL_FAILED : 0;
}

static int report_refresh(struct dr_output *out)
{
	const struct dr_options *o = out->o;
	struct dr_report *r = out->report;
	int err = 0;

	if (o->report)
		err = write_file(out, o->report, &r->html, REPORT_KEPT_HTML,
				 report_html_write);
	if (!err && o->flamegraph)
		err = write_file(out, o->flamegraph, &r->svg, REPORT_KEPT_SVG,
				 write_svg);
	return err;
}

/* Live, the heat map's time starts with tracing: the backends' clock. */
static int report_header(struct dr_output *out)
{
	struct dr_report *r = out->report;
	struct timespec now;

	r->start = time(NULL);
	if (out->o->input)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	heatmap_init(&r->map, now.tv_sec * 1000000000ULL + now.tv_nsec);
	r->map_started = true;
	/* A path that cannot be written fails now, not at the end. */
	return report_refresh(out);
}

const struct dr_output_mode output_mode_report = {
	.name = "report",
	.header = report_header,
	.event = report_event,
	.finish = report_refresh,
	.refresh = report_refresh,
};
