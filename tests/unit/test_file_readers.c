// SPDX-License-Identifier: GPL-2.0
/*
 * The offline readers (drsnoop -i) against the fixtures in tests/fixtures.
 *
 * The oracle is independent of drsnoop: trace-cmd report and perf script
 * print every event of the file, which this test pairs the way the
 * fixtures' README says (a thread's end completes its latest begin). Its
 * totals must equal the README's "count:" lines and the literals below,
 * and the readers must report exactly the oracle's stalls: thread, begin,
 * latency and pages; with -p, -t and -n; with -d windows measured from
 * the first event; and with -T counted from it. How many stalls each case
 * keeps is a literal too, never what drsnoop's own filter says.
 * Truncated and garbage files must fail cleanly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "src/core/filter.h"
#include "fallback/file/file_reader.h"

#define MAX_RECS 100000

struct oracle_rec {
	uint64_t ts;
	uint64_t pages;
	uint32_t pid; /* 0: not in the file */
	uint32_t tid;
	bool end;
	char comm[DR_COMM_LEN];
};

struct oracle {
	struct oracle_rec *recs;
	size_t nr;
};

struct capture {
	struct dr_sink sink;
	const struct dr_options *o;
	struct dr_event *events;
	size_t nr;
	uint64_t lost;
	uint64_t origin;
};

/*
 * What each fixture holds, written here as numbers rather than computed
 * by drsnoop code. Derived with trace-cmd report -N -t -i trace.dat and
 * perf script -i perf.data -F comm,pid,tid,time,event,trace --ns, then
 * awk: a thread's end pairs with its latest begin (the README's rule);
 * first_ns is the first event's time; lat_ns and pages are summed over
 * the pairs. The pid and tids agree with the README's "workload:" lines.
 */
struct fixture {
	const char *path;
	const struct file_reader_ops *ops;
	unsigned int stalls;
	uint64_t first_ns;
	uint64_t lat_ns; /* sum over the stalls */
	uint64_t pages; /* sum over the stalls */
	uint32_t pid; /* 0: a trace.dat holds no pids */
	uint32_t main_tid; /* 2 stalls growing the hugetlb pool */
	uint32_t worker_tid; /* the other 198, THP faults */
	/* Stalls that end within 1 ms, 50 ms, 300 ms and 1 s of first_ns. */
	unsigned int in_window[4];
};

static const uint64_t windows[] = { 1000000, 50000000, 300000000, 1000000000 };

static const struct fixture fixtures[] = {
	{ .path = "tests/fixtures/trace.dat",
	  .ops = &tracedat_reader,
	  .stalls = 200,
	  .first_ns = 1602282185625,
	  .lat_ns = 12615824,
	  .pages = 196443,
	  .main_tid = 13918,
	  .worker_tid = 13920,
	  .in_window = { 1, 2, 53, 200 } },
	{ .path = "tests/fixtures/perf.data",
	  .ops = &perfdata_reader,
	  .stalls = 200,
	  .first_ns = 1604144910753,
	  .lat_ns = 14528214,
	  .pages = 100349,
	  .pid = 13956,
	  .main_tid = 13956,
	  .worker_tid = 13958,
	  .in_window = { 1, 2, 15, 200 } },
};

/* The stalls a test expects: those of the oracle that pass its own test. */
struct selection {
	uint64_t window_ns; /* -d; 0: the whole file */
	uint32_t tid; /* -t; 0: any */
	uint32_t pid; /* -p; 0: any */
	const char *name; /* -n; NULL: any */
};

static struct oracle oracles[2];

/* "SECONDS.NANOSECONDS:" to ns. */
static uint64_t parse_ts(const char *s)
{
	char *dot;
	uint64_t sec = strtoull(s, &dot, 10), ns;
	char *end;

	ns = strtoull(dot + 1, &end, 10);
	while (end - dot - 1 < 9) {
		ns *= 10;
		dot--;
	}
	return sec * 1000000000ULL + ns;
}

static bool parse_common(const char *line, struct oracle_rec *r)
{
	const char *p = strstr(line, "nr_reclaimed=");

	if (!strstr(line, "mm_vmscan_direct_reclaim_"))
		return false;
	r->end = strstr(line, "mm_vmscan_direct_reclaim_end") != NULL;
	r->pages = p ? strtoull(p + 13, NULL, 10) : 0;
	return true;
}

/* "INSTANCE:   COMM-TID [CPU]  SEC.NSEC: EVENT: FIELDS" */
static bool parse_tracecmd(const char *line, struct oracle_rec *r)
{
	const char *cpu = strstr(line, " ["), *start, *dash;

	if (!cpu || !parse_common(line, r))
		return false;
	for (start = cpu; start > line && start[-1] != ' '; start--)
		;
	for (dash = cpu; dash > start && *dash != '-'; dash--)
		;
	r->tid = strtoul(dash + 1, NULL, 10);
	snprintf(r->comm, sizeof(r->comm), "%.*s", (int)(dash - start), start);
	r->ts = parse_ts(strchr(cpu, ']') + 1);
	return true;
}

/* "COMM PID/TID SEC.NSEC: vmscan:EVENT: FIELDS" */
static bool parse_perf(const char *line, struct oracle_rec *r)
{
	char comm[64];
	unsigned int pid, tid;
	int n;

	if (!parse_common(line, r) ||
	    sscanf(line, "%63s %u/%u %n", comm, &pid, &tid, &n) != 3)
		return false;
	r->pid = pid;
	r->tid = tid;
	snprintf(r->comm, sizeof(r->comm), "%.15s", comm);
	r->ts = parse_ts(line + n);
	return true;
}

static void load_oracle(int i)
{
	static const char *const cmds[] = {
		"trace-cmd report -N -t -i %s 2>/dev/null",
		"perf script -i %s -F comm,pid,tid,time,event,trace --ns "
		"2>/dev/null",
	};
	struct oracle *o = &oracles[i];
	char cmd[256], line[1024];
	FILE *f;

	snprintf(cmd, sizeof(cmd), cmds[i], fixtures[i].path);
	f = popen(cmd, "r");
	assert_non_null(f);
	o->recs = calloc(MAX_RECS, sizeof(*o->recs));
	while (fgets(line, sizeof(line), f) && o->nr < MAX_RECS)
		if (i ? parse_perf(line, &o->recs[o->nr]) :
			parse_tracecmd(line, &o->recs[o->nr]))
			o->nr++;
	assert_int_equal(pclose(f), 0);
}

/* The README's "count: FILE begin=N end=N pairs=N" for this fixture. */
static void readme_counts(int i, unsigned int *b, unsigned int *e,
			  unsigned int *p)
{
	FILE *f = fopen("tests/fixtures/README", "r");
	const char *name = strrchr(fixtures[i].path, '/') + 1;
	char line[256], file[64];

	assert_non_null(f);
	*b = *e = *p = ~0U;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "count: %63s begin=%u end=%u pairs=%u", file,
			   b, e, p) == 4 &&
		    !strcmp(file, name))
			break;
	fclose(f);
	assert_int_not_equal(*p, ~0U);
}

static bool selected(const struct selection *s, uint64_t first,
		     const struct oracle_rec *end)
{
	if (s->window_ns && end->ts - first >= s->window_ns)
		return false;
	if (s->tid && end->tid != s->tid)
		return false;
	if (s->pid && end->pid != s->pid)
		return false;
	return !s->name || strstr(end->comm, s->name);
}

/* A thread's end pairs with its latest begin; s picks which pairs. */
static size_t oracle_pairs(const struct oracle *o, const struct selection *s,
			   struct oracle_rec *begins, struct oracle_rec *ends)
{
	size_t i, j, n = 0;

	for (i = 0; i < o->nr; i++) {
		const struct oracle_rec *r = &o->recs[i];

		if (!r->end || !selected(s, o->recs[0].ts, r))
			continue;
		for (j = i; j-- > 0;) {
			if (o->recs[j].tid != r->tid)
				continue;
			if (!o->recs[j].end) {
				begins[n] = o->recs[j];
				ends[n++] = *r;
			}
			break;
		}
	}
	return n;
}

/* The pipeline's filter (src/pipeline.c) stands between reader and sink. */
static int capture_event(struct dr_sink *sink, const struct dr_event *e)
{
	struct capture *c = (struct capture *)sink;

	if (filter_match(c->o, e))
		c->events[c->nr++] = *e;
	return 0;
}

static void capture_lost(struct dr_sink *sink, uint64_t count)
{
	((struct capture *)sink)->lost += count;
}

static void capture_origin(struct dr_sink *sink, uint64_t ts)
{
	((struct capture *)sink)->origin = ts;
}

static void capture_init(struct capture *c, const struct dr_options *o)
{
	*c = (struct capture){
		.sink = { capture_event, capture_lost, capture_origin },
		.o = o,
		.events = calloc(MAX_RECS, sizeof(struct dr_event)),
	};
}

/* Replay a file through its reader, with a window of window_ns. */
static int replay(int i, const char *path, const struct dr_options *o,
		  uint64_t window_ns, struct capture *c)
{
	const struct file_reader_ops *ops = fixtures[i].ops;
	struct file_replay rp;
	struct file_reader *r;
	char why[256];
	int err;

	capture_init(c, o);
	assert_int_equal(replay_init(&rp, &c->sink, 0), 0);
	rp.window_ns = window_ns;
	r = ops->open(path, &rp, false, why, sizeof(why));
	if (!r) {
		replay_free(&rp);
		return -1;
	}
	err = ops->read(r, why, sizeof(why));
	ops->close(r);
	replay_free(&rp);
	return err;
}

static void set_options(struct dr_options *o, const struct selection *s)
{
	*o = (struct dr_options){ .backend = "auto",
				  .has_tid = s->tid != 0,
				  .tid = s->tid,
				  .has_pid = s->pid != 0,
				  .pid = s->pid };
	if (s->name)
		snprintf(o->name, sizeof(o->name), "%s", s->name);
}

/*
 * Replay fixture i with the options s stands for: the reader reports
 * exactly the want stalls that s picks from the oracle, in its order.
 */
static void check_stalls(int i, const struct selection *s, unsigned int want)
{
	const struct oracle * or = &oracles[i];
	struct oracle_rec *b = calloc(or->nr, sizeof(*b));
	struct oracle_rec *e = calloc(or->nr, sizeof(*e));
	size_t n = oracle_pairs(or, s, b, e), k;
	struct dr_options o;
	struct capture c;

	assert_int_equal(n, want);
	set_options(&o, s);
	assert_int_equal(replay(i, fixtures[i].path, &o, s->window_ns, &c), 0);
	assert_int_equal(c.nr, want);
	for (k = 0; k < n; k++) {
		const struct dr_event *ev = &c.events[k];

		assert_int_equal(ev->tid, e[k].tid);
		assert_int_equal(ev->begin_ns, b[k].ts);
		assert_int_equal(ev->lat_ns, e[k].ts - b[k].ts);
		assert_int_equal(ev->nr_reclaimed, e[k].pages);
		assert_string_equal(ev->comm, e[k].comm);
		if (fixtures[i].pid)
			assert_int_equal(ev->pid, e[k].pid);
		else
			assert_false(dr_event_has(ev, DR_HAS_PID));
	}
	assert_int_equal(c.origin, fixtures[i].first_ns);
	assert_int_equal(c.lost, 0);
	free(c.events);
	free(b);
	free(e);
}

/* The oracle reads the files as the README and the literals say. */
static void check_counts(int i)
{
	const struct oracle * or = &oracles[i];
	const struct fixture *f = &fixtures[i];
	struct oracle_rec *b = calloc(or->nr, sizeof(*b));
	struct oracle_rec *e = calloc(or->nr, sizeof(*e));
	unsigned int begins = 0, ends = 0, rb, re, rp;
	uint64_t lat = 0, pages = 0;
	struct selection all = { 0 };
	size_t k, n;

	readme_counts(i, &rb, &re, &rp);
	for (k = 0; k < or->nr; k++)
		or->recs[k].end ? ends++ : begins++;
	assert_int_equal(begins, rb);
	assert_int_equal(ends, re);
	n = oracle_pairs(or, &all, b, e);
	assert_int_equal(n, rp);
	assert_int_equal(n, f->stalls);
	assert_int_equal(or->recs[0].ts, f->first_ns);
	for (k = 0; k < n; k++) {
		lat += e[k].ts - b[k].ts;
		pages += e[k].pages;
	}
	assert_int_equal(lat, f->lat_ns);
	assert_int_equal(pages, f->pages);
	free(b);
	free(e);
}

static void test_counts(void **state)
{
	check_counts(0);
	check_counts(1);
}

/* Every stall, and the literal sums of their latencies and pages. */
static void test_all_stalls(void **state)
{
	struct selection all = { 0 };
	struct dr_options o;
	struct capture c;
	uint64_t lat, pages;
	size_t i, k;

	set_options(&o, &all);
	for (i = 0; i < 2; i++) {
		check_stalls(i, &all, fixtures[i].stalls);
		assert_int_equal(replay(i, fixtures[i].path, &o, 0, &c), 0);
		for (lat = pages = k = 0; k < c.nr; k++) {
			lat += c.events[k].lat_ns;
			pages += c.events[k].nr_reclaimed;
		}
		assert_int_equal(lat, fixtures[i].lat_ns);
		assert_int_equal(pages, fixtures[i].pages);
		free(c.events);
	}
}

static void test_windows(void **state)
{
	size_t i, w;

	for (i = 0; i < 2; i++)
		for (w = 0; w < sizeof(windows) / sizeof(windows[0]); w++) {
			struct selection s = { .window_ns = windows[w] };

			check_stalls(i, &s, fixtures[i].in_window[w]);
		}
}

static void test_filters(void **state)
{
	const struct fixture *f;
	size_t i;

	for (i = 0; i < 2; i++) {
		f = &fixtures[i];
		check_stalls(i, &(struct selection){ .tid = f->worker_tid },
			     198);
		check_stalls(i, &(struct selection){ .tid = f->main_tid }, 2);
		check_stalls(i, &(struct selection){ .name = "pressu" }, 200);
		check_stalls(i, &(struct selection){ .name = "nomatch" }, 0);
	}
	f = &fixtures[1];
	check_stalls(1, &(struct selection){ .pid = f->pid }, 200);
	check_stalls(1, &(struct selection){ .pid = f->pid + 1 }, 0);
	check_stalls(1,
		     &(struct selection){ .pid = f->pid,
					  .tid = f->main_tid,
					  .window_ns = windows[2] },
		     2);
}

/* Through the backend: -p on a trace.dat, which knows no pids, fails. */
static void test_backend_options(void **state)
{
	struct dr_options o = { .backend = "auto", .input = fixtures[0].path };
	struct dr_backend *b;
	struct capture c;
	char why[256];

	capture_init(&c, &o);
	b = file_backend.open(&o, &c.sink, why, sizeof(why));
	assert_non_null(b);
	b->ops = &file_backend;
	b->sink = &c.sink;
	assert_int_equal(file_backend.poll(b, 100), DR_POLL_END);
	assert_int_equal(file_backend.poll(b, 100), DR_POLL_END);
	file_backend.close(b);
	assert_int_equal(c.nr, fixtures[0].stalls);
	o.has_pid = true;
	o.pid = 1;
	assert_null(file_backend.open(&o, &c.sink, why, sizeof(why)));
	assert_non_null(strstr(why, "-t or -n"));
	free(c.events);
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	*len = ftell(f);
	rewind(f);
	buf = malloc(*len);
	assert_int_equal(fread(buf, 1, *len, f), *len);
	fclose(f);
	return buf;
}

/* Cut files fail (or, cut inside the events, give fewer): never crash. */
static void test_truncated(void **state)
{
	struct dr_options o = { .backend = "auto" };
	char path[] = "/tmp/drsnoop-test-XXXXXX";
	size_t len, cut;
	struct capture c;
	char *data;
	int i, fd = mkstemp(path), err;

	assert_true(fd >= 0);
	close(fd);
	for (i = 0; i < 2; i++) {
		data = slurp(fixtures[i].path, &len);
		for (cut = 0; cut < len; cut += len / 37 + 1) {
			write_file(path, data, cut);
			err = replay(i, path, &o, 0, &c);
			assert_true(err || c.nr <= fixtures[i].stalls);
			free(c.events);
		}
		free(data);
	}
	/* perf.data loses its feature sections last: that fails too. */
	data = slurp(fixtures[1].path, &len);
	write_file(path, data, len - 8);
	assert_int_equal(replay(1, path, &o, 0, &c), -1);
	free(c.events);
	free(data);
	unlink(path);
}

static void test_garbage(void **state)
{
	struct dr_options o = { .backend = "auto" };
	char path[] = "/tmp/drsnoop-test-XXXXXX";
	unsigned char junk[4096];
	struct capture c;
	size_t len, k;
	char *data;
	int i, fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	srand(1);
	for (k = 0; k < sizeof(junk); k++)
		junk[k] = rand();
	write_file(path, junk, sizeof(junk));
	assert_int_equal(replay(0, path, &o, 0, &c), -1);
	free(c.events);
	assert_int_equal(replay(1, path, &o, 0, &c), -1);
	free(c.events);
	/* Real headers, garbage after them. */
	for (i = 0; i < 2; i++) {
		data = slurp(fixtures[i].path, &len);
		memcpy(data + 16, junk, len - 16 < 4096 ? len - 16 : 4096);
		write_file(path, data, len);
		assert_int_equal(replay(i, path, &o, 0, &c), -1);
		free(c.events);
		free(data);
	}
	unlink(path);
}

static int setup(void **state)
{
	load_oracle(0);
	load_oracle(1);
	return 0;
}

static int teardown(void **state)
{
	free(oracles[0].recs);
	free(oracles[1].recs);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_all_stalls),
		cmocka_unit_test(test_windows),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_backend_options),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_garbage),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
