// SPDX-License-Identifier: GPL-2.0
/*
 * The offline readers (drsnoop -i) against the fixtures in tests/fixtures.
 *
 * The oracle is independent of drsnoop: trace-cmd report and perf script
 * print every event of the file, which this test pairs the way the
 * fixtures' README says (a thread's end completes its latest begin). Its
 * totals must equal the README's "count:" lines, and the readers must
 * report exactly the oracle's stalls: thread, begin, latency and pages;
 * with -p, -t and -n; with -d windows measured from the first event; and
 * with -T counted from it. Truncated and garbage files must fail cleanly.
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

static const char *const fixtures[] = { "tests/fixtures/trace.dat",
					"tests/fixtures/perf.data" };
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

	snprintf(cmd, sizeof(cmd), cmds[i], fixtures[i]);
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
	const char *name = strrchr(fixtures[i], '/') + 1;
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

/* A thread's end pairs with its latest begin; a window ends at from+w. */
static size_t oracle_pairs(const struct oracle *o, uint64_t window,
			   struct oracle_rec *begins, struct oracle_rec *ends)
{
	size_t i, j, n = 0;

	for (i = 0; i < o->nr; i++) {
		const struct oracle_rec *r = &o->recs[i];

		if (window && r->ts - o->recs[0].ts >= window)
			break;
		if (!r->end)
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
	const struct file_reader_ops *ops =
		i ? &perfdata_reader : &tracedat_reader;
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

static void check_all(int i, const struct dr_options *o, uint64_t window)
{
	const struct oracle * or = &oracles[i];
	struct oracle_rec *b = calloc(or->nr, sizeof(*b));
	struct oracle_rec *e = calloc(or->nr, sizeof(*e));
	size_t n = oracle_pairs(or, window, b, e), k, want = 0;
	struct capture c;

	assert_int_equal(replay(i, fixtures[i], o, window, &c), 0);
	for (k = 0; k < n; k++) {
		const struct dr_event *ev = &c.events[want];
		struct dr_event probe = { .pid = e[k].pid,
					  .tid = e[k].tid,
					  .fields = DR_HAS_COMM };

		if (e[k].pid)
			probe.fields |= DR_HAS_PID;
		memcpy(probe.comm, e[k].comm, sizeof(probe.comm));
		if (!filter_match(o, &probe))
			continue;
		assert_true(want < c.nr);
		assert_int_equal(ev->tid, e[k].tid);
		assert_int_equal(ev->begin_ns, b[k].ts);
		assert_int_equal(ev->lat_ns, e[k].ts - b[k].ts);
		assert_int_equal(ev->nr_reclaimed, e[k].pages);
		assert_string_equal(ev->comm, e[k].comm);
		if (i)
			assert_int_equal(ev->pid, e[k].pid);
		else
			assert_false(dr_event_has(ev, DR_HAS_PID));
		want++;
	}
	assert_int_equal(c.nr, want);
	assert_int_equal(c.origin, or->recs[0].ts);
	assert_int_equal(c.lost, 0);
	free(c.events);
	free(b);
	free(e);
}

static void check_counts(int i)
{
	const struct oracle * or = &oracles[i];
	struct oracle_rec *b = calloc(or->nr, sizeof(*b));
	struct oracle_rec *e = calloc(or->nr, sizeof(*e));
	unsigned int begins = 0, ends = 0, rb, re, rp;
	size_t k;

	readme_counts(i, &rb, &re, &rp);
	for (k = 0; k < or->nr; k++)
		or->recs[k].end ? ends++ : begins++;
	assert_int_equal(begins, rb);
	assert_int_equal(ends, re);
	assert_int_equal(oracle_pairs(or, 0, b, e), rp);
	free(b);
	free(e);
}

static void test_counts(void **state)
{
	check_counts(0);
	check_counts(1);
}

static void test_all_stalls(void **state)
{
	struct dr_options o = { .backend = "auto" };

	check_all(0, &o, 0);
	check_all(1, &o, 0);
}

static void test_windows(void **state)
{
	static const uint64_t windows[] = { 1000000, 50000000, 300000000,
					    1000000000 };
	struct dr_options o = { .backend = "auto" };
	size_t w;

	for (w = 0; w < sizeof(windows) / sizeof(windows[0]); w++) {
		check_all(0, &o, windows[w]);
		check_all(1, &o, windows[w]);
	}
}

static void test_filters(void **state)
{
	struct dr_options o = { .backend = "auto" };
	int i;

	for (i = 0; i < 2; i++) {
		o = (struct dr_options){ .backend = "auto", .has_tid = true };
		o.tid = oracles[i].recs[oracles[i].nr - 1].tid;
		check_all(i, &o, 0);
		o = (struct dr_options){ .backend = "auto", .name = "pressu" };
		check_all(i, &o, 0);
		o = (struct dr_options){ .backend = "auto", .name = "nomatch" };
		check_all(i, &o, 0);
	}
	o = (struct dr_options){ .backend = "auto", .has_pid = true };
	o.pid = oracles[1].recs[0].pid;
	check_all(1, &o, 0);
	o.pid++;
	check_all(1, &o, 0);
}

/* Through the backend: -p on a trace.dat, which knows no pids, fails. */
static void test_backend_options(void **state)
{
	struct dr_options o = { .backend = "auto", .input = fixtures[0] };
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
	assert_int_equal(c.nr, oracles[0].nr / 2);
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
		data = slurp(fixtures[i], &len);
		for (cut = 0; cut < len; cut += len / 37 + 1) {
			write_file(path, data, cut);
			err = replay(i, path, &o, 0, &c);
			assert_true(err || c.nr <= oracles[i].nr / 2);
			free(c.events);
		}
		free(data);
	}
	/* perf.data loses its feature sections last: that fails too. */
	data = slurp(fixtures[1], &len);
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
		data = slurp(fixtures[i], &len);
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
