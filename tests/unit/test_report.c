// SPDX-License-Identifier: GPL-2.0
/*
 * --report and --flamegraph: a day of stalls stays a small page, the
 * flame graph's frames add up, and names cannot break the markup.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "src/output/flamegraph.h"
#include "src/output/markup.h"
#include "src/output/output.h"
#include "src/output/report_html.h"
#include "src/pipeline.h"

#define SEC	   1000000000ULL
#define DAY_STEP   (SEC / 2) /* a stall every half second */
#define MAX_REPORT (1024 * 1024)

static size_t count(const char *s, const char *what)
{
	size_t n = 0;

	while ((s = strstr(s, what))) {
		n++;
		s += strlen(what);
	}
	return n;
}

/*
 * Stall i: of 3000 processes, one of 5 common stacks or, one stall in
 * seven, one of 2000 rare ones; latencies from 1 us to half a second.
 */
static void day_stall(uint64_t i, struct dr_event *e, uint64_t *kstack)
{
	uint32_t stack = i % 7 ? i % 5 : 5 + i % 2000, f;

	*e = (struct dr_event){
		.begin_ns = SEC + i * DAY_STEP,
		.lat_ns = 1000ULL << (i % 19),
		.nr_reclaimed = i % 64,
		.pid = 1000 + i % 3000,
		.tid = 1000 + i % 3000,
		.fields = DR_HAS_PID | DR_HAS_COMM | DR_HAS_KSTACK,
		.kstack = kstack,
		.kstack_nr = 12,
	};
	snprintf(e->comm, sizeof(e->comm), "worker-%u", (unsigned)(i % 50));
	for (f = 0; f < 12; f++)
		kstack[f] = 0xffffffff81000000ULL + f * 0x1000 +
			    (f < 3 ? stack * 0x10 : 0);
}

static char *render_day(struct dr_output *out, struct dr_options *o,
			size_t *len)
{
	uint64_t kstack[12], i;
	struct dr_event e;
	char *html = NULL;
	FILE *f;

	*o = (struct dr_options){ .report = "day.html", .kernel_stack = true };
	output_init(out, stdout, o, 4);
	stacks_set_ksyms(&out->stacks, NULL);
	assert_int_equal(report_open(out), 0);
	for (i = 0; i < 24 * 3600 * SEC / DAY_STEP; i++) {
		day_stall(i, &e, kstack);
		assert_int_equal(output_event(out, &e), 0);
	}
	f = open_memstream(&html, len);
	assert_non_null(f);
	report_html_write(out, f);
	assert_int_equal(fclose(f), 0);
	return html;
}

/* A day's report: a bounded page, with the day's totals in it. */
static void test_day_size(void **state)
{
	const char *keep = getenv("DRSNOOP_DAY_REPORT");
	struct dr_options o;
	struct dr_output out;
	size_t len;
	char *html = render_day(&out, &o, &len);
	FILE *f;

	print_message("a day's report: %zu bytes, %u heat map columns of "
		      "%llu s\n",
		      len, out.report->map.nr_cols,
		      (unsigned long long)(out.report->map.col_ns / SEC));
	assert_true(len < MAX_REPORT);
	assert_int_equal(out.summary.stalls, 24 * 3600 * SEC / DAY_STEP);
	assert_true(out.report->map.nr_cols <= HEATMAP_COLS);
	assert_true(out.report->map.nr_cols > HEATMAP_COLS / 2);
	/* 100 rows, the header's and the others'. */
	assert_int_equal(count(html, "<tr><td>"), 101);
	assert_non_null(strstr(html, "[the others]"));
	/* The rare stacks, each under 0.1% of stall time, are one frame. */
	assert_non_null(strstr(html, "[other stacks]"));
	assert_non_null(strstr(html, "\"stalls\":172800,"));
	if (keep) {
		f = fopen(keep, "w");
		assert_non_null(f);
		fwrite(html, 1, len, f);
		fclose(f);
	}
	free(html);
	output_free(&out);
}

static void add_row(struct stack_table *t, const char *comm, uint32_t nr_k,
		    const char *const *k, uint64_t ns)
{
	struct stack_key key = {
		.comm = comm, .has_k = true, .nr_k = nr_k, .k = k
	};

	assert_int_equal(stack_table_add(t, &key, ns), 0);
}

/* Sum of the widths of the frames on row y, in hundredths of a pixel. */
static long row_width(const char *svg, unsigned int y)
{
	char needle[32];
	const char *p = svg;
	long sum = 0;
	double w;

	snprintf(needle, sizeof(needle), "y=\"%u\" width=\"", y);
	while ((p = strstr(p, needle))) {
		p += strlen(needle);
		w = strtod(p, NULL);
		sum += (long)(w * 100 + 0.5);
	}
	return sum;
}

/*
 * Stacks share their outer frames; one too small to see folds into
 * "other"; each row of frames adds up to the root's width at most, and
 * the row above the root exactly.
 */
static void test_flame(void **state)
{
	const char *a[] = { "shrink_node", "try_to_free_pages", "alloc" };
	const char *b[] = { "compact_zone", "alloc" };
	const char *c[] = { "tiny", "alloc" };
	struct stack_table t;
	struct flamegraph g;
	char *svg = NULL;
	size_t len;
	FILE *f;

	stack_table_init(&t);
	add_row(&t, "app", 3, a, 6000000);
	add_row(&t, "app", 2, b, 3995000);
	add_row(&t, "app", 2, c, 5000); /* 0.05% */
	add_row(&t, "db", 1, a + 2, 1000000);
	assert_int_equal(flamegraph_build(&g, &t), 0);
	assert_int_equal(g.root.ns, 11000000);
	assert_int_equal(g.other_stacks, 1);
	assert_int_equal(g.depth, 4);
	/* By name: app, db, then "[other stacks]" sorts first. */
	assert_string_equal(g.root.children->name, "[other stacks]");
	assert_int_equal(g.root.children->ns, 5000);
	assert_string_equal(g.root.children->next->name, "app");
	assert_int_equal(g.root.children->next->ns, 9995000);
	assert_int_equal(g.root.children->next->children->ns, 9995000);
	f = open_memstream(&svg, &len);
	assert_non_null(f);
	flamegraph_write(&g, f, true);
	assert_int_equal(fclose(f), 0);
	assert_non_null(strstr(svg, "data-ns=\"11000000\""));
	/* Root at y 48 + 4 * 16; each row up 16 pixels. */
	assert_int_equal(row_width(svg, 112), 118000);
	assert_int_equal(row_width(svg, 96), 118000);
	/* "other" (5000 ns: 0.54 px) has no frames above it. */
	assert_int_equal(row_width(svg, 80), 118000 - 54);
	assert_true(row_width(svg, 64) <= 118000);
	assert_true(row_width(svg, 48) <= 118000);
	assert_int_equal(count(svg, "<g class=\"f "), 1 + 3 + 1 + 1 + 2 + 1);
	free(svg);
	flamegraph_free(&g);
	stack_table_free(&t);
}

static bool file_has(const char *path, const char *what)
{
	char text[64 * 1024];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return false;
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	return strstr(text, what) != NULL;
}

/*
 * With --interval, the files are written again at each interval's end,
 * with the whole run so far, and not between.
 */
static void test_interval(void **state)
{
	char dir[] = "/tmp/drsnoop-report-test.XXXXXX", html[64], svg[64];
	struct dr_event e = { .lat_ns = 1000000,
			      .fields = DR_HAS_COMM,
			      .comm = "app" };
	struct dr_options o = { .interval = 1,
				.report = html,
				.flamegraph = svg };
	struct dr_pipeline p;

	assert_non_null(mkdtemp(dir));
	snprintf(html, sizeof(html), "%s/r.html", dir);
	snprintf(svg, sizeof(svg), "%s/f.svg", dir);
	o.kernel_stack = true;
	pipeline_init(&p, &o, stdout, 4);
	stacks_set_ksyms(&p.out.stacks, NULL);
	assert_int_equal(report_open(&p.out), 0);
	assert_int_equal(p.sink.event(&p.sink, &e), 0);
	assert_int_equal(pipeline_tick(&p, 999), 0);
	assert_int_equal(access(html, F_OK), -1);
	assert_int_equal(pipeline_tick(&p, 1000), 0);
	assert_true(file_has(html, "\"stalls\":1,"));
	assert_true(file_has(svg, "data-ns=\"1000000\""));
	assert_int_equal(unlink(html), 0);
	assert_int_equal(p.sink.event(&p.sink, &e), 0);
	assert_int_equal(pipeline_tick(&p, 1999), 0);
	assert_int_equal(access(html, F_OK), -1);
	assert_int_equal(pipeline_tick(&p, 2000), 0);
	assert_true(file_has(html, "\"stalls\":2,"));
	assert_int_equal(pipeline_finish(&p), 0);
	assert_true(file_has(svg, "data-ns=\"2000000\""));
	assert_int_equal(unlink(html), 0);
	assert_int_equal(unlink(svg), 0);
	assert_int_equal(rmdir(dir), 0); /* no temporary file left */
}

/* A task may name itself anything: it stays text. */
static void test_markup(void **state)
{
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	markup_text(f, "</script><b a='1'>&\xff\x01\n");
	assert_int_equal(fclose(f), 0);
	assert_string_equal(text, "&lt;/script&gt;&lt;b a=&#39;1&#39;&gt;"
				  "&amp;\\xff\\x01\n");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_day_size),
		cmocka_unit_test(test_flame),
		cmocka_unit_test(test_interval),
		cmocka_unit_test(test_markup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
