// SPDX-License-Identifier: GPL-2.0
/*
 * --report's HTML (report_html.h). The numbers come from what -s and
 * --folded count (out->summary, out->folded) and the heat map; the page's
 * script draws the heat maps from them and sorts the table.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include "flamegraph.h"
#include "markup.h"
#include "output.h"

/* Rows of the process table; the rest add up to one more. */
#define TABLE_ROWS 100

static const char style[] =
	"body { font: 14px sans-serif; margin: 1em 2em; color: #222; }\n"
	"h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 1.5em; }\n"
	"table { border-collapse: collapse; }\n"
	"td, th { padding: 2px 8px; border-bottom: 1px solid #ddd; }\n"
	"th { background: #eee; text-align: left; }\n"
	"table.sortable th { cursor: pointer; }\n"
	"td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; "
	"}\n"
	"pre { background: #f6f6f6; padding: 6px; white-space: pre-wrap; }\n"
	"table.head th { background: none; width: 8em; }\n"
	"svg text { font: 11px sans-serif; }\n"
	"#flame svg text { font: 12px monospace; }\n"
	"#tip { position: absolute; display: none; background: #ffd; "
	"border: 1px solid #999; padding: 2px 6px; font-size: 12px; }\n"
	"@media print { #flame-search { display: none; } }\n";

static void put_time(FILE *f, time_t t)
{
	struct tm tm;

	if (gmtime_r(&t, &tm))
		fprintf(f, "%04d-%02d-%02d %02d:%02d:%02d UTC",
			tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void head_row(FILE *f, const char *name)
{
	fprintf(f, "<tr><th>%s</th><td>", name);
}

static void write_command(const struct dr_options *o, FILE *f)
{
	int i;

	head_row(f, "Command");
	fputs("<code>", f);
	for (i = 0; i < o->argc; i++) {
		if (i)
			fputc(' ', f);
		markup_text(f, o->argv[i]);
	}
	fputs("</code></td></tr>\n", f);
}

/* The host, its kernel, where the stalls came from, and when. */
static void write_head(struct dr_output *out, FILE *f)
{
	const struct dr_summary *s = &out->summary;
	struct utsname u;

	fputs("<table class=\"head\">\n", f);
	if (!uname(&u)) {
		head_row(f, "Host");
		markup_text(f, u.nodename);
		fputs("</td></tr>\n", f);
		head_row(f, "Kernel");
		fprintf(f, "%s %s ", u.sysname, u.release);
		markup_text(f, u.version);
		fprintf(f, " %s</td></tr>\n", u.machine);
	}
	head_row(f, "Source");
	if (out->o->input) {
		fputs("the recording ", f);
		markup_text(f, out->o->input);
	} else {
		fprintf(f, "live tracing, backend %s",
			out->backend ? out->backend : "?");
		if (out->attach[0]) {
			fputs(" (", f);
			markup_text(f, out->attach);
			fputc(')', f);
		}
	}
	fputs("</td></tr>\n", f);
	write_command(out->o, f);
	head_row(f, "Start");
	put_time(f, out->report->start);
	fputs("</td></tr>\n", f);
	head_row(f, "End");
	put_time(f, time(NULL));
	fputs("</td></tr>\n", f);
	head_row(f, "Stalls");
	fprintf(f, "%" PRIu64 ", %.3f ms in total</td></tr>\n</table>\n",
		s->stalls, s->total_ns / 1e6);
}

/* A part of -s's text, as -s prints it. */
static void write_pre(const struct dr_summary *s, FILE *f,
		      void (*print)(const struct dr_summary *s, FILE *f))
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);

	if (!m)
		return;
	print(s, m);
	if (!fclose(m)) {
		fputs("<pre>", f);
		markup_text(f, text);
		fputs("</pre>\n", f);
	}
	free(text);
}

/*
 * A row: its name (else its comm), with_id its PID or TID column, then
 * -s's columns, the stalls and the total marked for the self-check.
 */
static void proc_row(const struct summary_proc *p, const char *name,
		     bool with_id, FILE *f)
{
	fputs("<tr><td>", f);
	markup_text(f, name ? name : p->comm[0] ? p->comm : "-");
	if (with_id && p->has_id)
		fprintf(f, "</td><td class=\"n\">%u", p->id);
	else if (with_id)
		fputs("</td><td class=\"n\">-", f);
	fprintf(f,
		"</td><td class=\"n\" data-stalls=\"%" PRIu64 "\">%" PRIu64
		"</td><td class=\"n\" data-ns=\"%" PRIu64 "\">%.2f</td>"
		"<td class=\"n\">%.2f</td><td class=\"n\">%.2f</td>"
		"<td class=\"n\">%" PRIu64 "</td></tr>\n",
		p->stalls, p->stalls, p->total_ns, p->total_ns / 1e6,
		p->total_ns / 1e6 / p->stalls, p->max_ns / 1e6, p->pages);
}

static void add_up(struct summary_proc *sum, const struct summary_proc *p)
{
	sum->stalls += p->stalls;
	sum->total_ns += p->total_ns;
	sum->pages += p->pages;
	if (p->max_ns > sum->max_ns)
		sum->max_ns = p->max_ns;
}

/* The rows past TABLE_ROWS, as one, so that the columns add up. */
static void other_row(const struct summary_proc *sum, bool with_id, FILE *f)
{
	fputs("<tfoot>\n", f);
	proc_row(sum, "[the others]", with_id, f);
	fputs("</tfoot>\n", f);
}

/* A table's head: its id, its first column, with_id the PID or TID one. */
static void table_head(const char *id, const char *first, const char *id_col,
		       FILE *f)
{
	fprintf(f,
		"<table class=\"sortable\" id=\"%s\">\n<thead><tr>"
		"<th>%s</th>",
		id, first);
	if (id_col)
		fprintf(f, "<th class=\"n\">%s</th>", id_col);
	fputs("<th class=\"n\">STALLS</th>"
	      "<th class=\"n\">TOTAL(ms)</th><th class=\"n\">AVG(ms)</th>"
	      "<th class=\"n\">MAX(ms)</th><th class=\"n\">PAGES</th>"
	      "</tr></thead>\n<tbody>\n",
	      f);
}

/*
 * -s's table, sorted as -s sorts it, on a copy: with --interval the
 * summary goes on counting into its own rows.
 */
static void write_procs(const struct dr_summary *s, FILE *f)
{
	struct summary_proc *rows = malloc((s->nr ? s->nr : 1) * sizeof(*rows));
	struct summary_proc others = { .has_id = false };
	size_t i;

	if (!rows)
		return;
	if (s->nr) {
		memcpy(rows, s->procs, s->nr * sizeof(*rows));
		qsort(rows, s->nr, sizeof(*rows), summary_by_total);
	}
	table_head("procs", "COMM", s->by_tid ? "TID" : "PID", f);
	for (i = 0; i < s->nr && i < TABLE_ROWS; i++)
		proc_row(&rows[i], NULL, true, f);
	fputs("</tbody>\n", f);
	for (i = TABLE_ROWS; i < s->nr; i++)
		add_up(&others, &rows[i]);
	if (s->nr > TABLE_ROWS)
		other_row(&others, true, f);
	fputs("</table>\n", f);
	free(rows);
}

static int cgroup_by_total(const void *a, const void *b)
{
	const struct report_cgroup *x = a, *y = b;

	if (x->row.total_ns != y->row.total_ns)
		return x->row.total_ns > y->row.total_ns ? -1 : 1;
	return strcmp(x->path, y->path);
}

/*
 * With cgroups (--memcg, --cgroup): the stalls by cgroup, sorted by total
 * stall time as the processes are (the report's rows, sorted in place).
 */
static void write_cgroups(struct dr_report *r, FILE *f)
{
	struct summary_proc others = { .has_id = false };
	size_t i;

	fputs("<h2>Cgroups</h2>\n", f);
	if (r->nr_cgroups)
		qsort(r->cgroups, r->nr_cgroups, sizeof(*r->cgroups),
		      cgroup_by_total);
	table_head("cgroups", "CGROUP", NULL, f);
	for (i = 0; i < r->nr_cgroups && i < TABLE_ROWS; i++)
		proc_row(&r->cgroups[i].row, r->cgroups[i].path, false, f);
	fputs("</tbody>\n", f);
	for (i = TABLE_ROWS; i < r->nr_cgroups; i++)
		add_up(&others, &r->cgroups[i].row);
	if (r->nr_cgroups > TABLE_ROWS)
		other_row(&others, false, f);
	fputs("</table>\n", f);
}

/* Each kind's cells, as [column, slot, count] triples flattened. */
static void write_cells(const struct heatmap *h, uint32_t k, FILE *f)
{
	unsigned int c, slot;
	const char *sep = "";
	uint64_t n;

	fprintf(f, "{\"name\":\"%s\",\"cells\":[", dr_kind_name(k));
	for (c = 0; c < h->nr_cols; c++)
		for (slot = 0; slot < SUMMARY_SLOTS; slot++) {
			n = heatmap_cell(h, k, c, slot);
			if (!n)
				continue;
			fprintf(f, "%s%u,%u,%" PRIu64, sep, c, slot, n);
			sep = ",";
		}
	fputs("]}", f);
}

/* Numbers and kind names only: nothing a script element must escape. */
static void write_data(struct dr_output *out, FILE *f)
{
	const struct heatmap *h = &out->report->map;
	const char *sep = "";
	uint32_t k;

	fprintf(f,
		"<script type=\"application/json\" id=\"drsnoop-data\">"
		"{\"col_ns\":%" PRIu64 ",\"nr_cols\":%u,\"stalls\":%" PRIu64
		",\"total_ns\":%" PRIu64 ",\"kinds\":[",
		h->col_ns, h->nr_cols, out->summary.stalls,
		out->summary.total_ns);
	for (k = 0; k < DR_NR_KINDS; k++) {
		if (!h->cells[k])
			continue;
		fputs(sep, f);
		write_cells(h, k, f);
		sep = ",";
	}
	fputs("]}</script>\n", f);
}

static void write_flame(struct dr_output *out, FILE *f)
{
	struct flamegraph g;

	if (!out->stacks.kernel && !out->stacks.user)
		return;
	fputs("<h2>Stall time by stack</h2>\n<p id=\"flame-search\">"
	      "<label>Search frames (a regular expression): <input "
	      "id=\"flame-term\" type=\"search\" size=\"40\"></label> "
	      "<span id=\"flame-share\"></span> <button type=\"button\" "
	      "id=\"flame-unzoom\">Reset zoom</button></p>\n"
	      "<p>Kernel frames are red and orange, user frames blue, stall "
	      "kinds other than reclaim purple; click a frame to zoom.</p>\n"
	      "<div id=\"flame\">\n",
	      f);
	if (!flamegraph_build(&g, &out->folded)) {
		flamegraph_write(&g, f, false);
		flamegraph_free(&g);
	}
	fputs("</div>\n", f);
}

/*
 * The heat maps (SVG from the data), the table's sorting, the search
 * box, and a self-check: the cells drawn, the table's rows and the flame
 * graph's root against the stalls and stall time the summary counted.
 */
static const char script[] =
	"(function () {\n"
	"var data = JSON.parse(document.getElementById('drsnoop-data')"
	".textContent);\n"
	"function secs(ns) {\n"
	"  var s = ns / 1e9;\n"
	"  if (s < 120) return +s.toFixed(1) + ' s';\n"
	"  if (s < 7200) return +(s / 60).toFixed(1) + ' min';\n"
	"  return +(s / 3600).toFixed(2) + ' h';\n"
	"}\n"
	"function usecs(us) {\n"
	"  if (us >= 1e6) return +(us / 1e6).toFixed(1) + ' s';\n"
	"  if (us >= 1e3) return +(us / 1e3).toFixed(1) + ' ms';\n"
	"  return us + ' \\u00b5s';\n"
	"}\n"
	"/* -s's slots: 0 -> 1, 2 -> 3, 4 -> 7 ... microseconds */\n"
	"function low(i) { return i ? Math.pow(2, i) : 0; }\n"
	"function high(i) { return Math.pow(2, i + 1) - 1; }\n"
	"function colour(t) {\n"
	"  var a = [255, 237, 160], b = [189, 0, 38], c = [];\n"
	"  for (var i = 0; i < 3; i++)\n"
	"    c.push(Math.round(a[i] + (b[i] - a[i]) * t));\n"
	"  return 'rgb(' + c.join(',') + ')';\n"
	"}\n"
	"/* A canvas: a day's thousands of cells draw in milliseconds. */\n"
	"function heatmap(kind, box) {\n"
	"  var cells = kind.cells, lo = 63, hi = 0, max = 1, i, sum = 0;\n"
	"  for (i = 0; i < cells.length; i += 3) {\n"
	"    lo = Math.min(lo, cells[i + 1]);\n"
	"    hi = Math.max(hi, cells[i + 1]);\n"
	"    max = Math.max(max, cells[i + 2]);\n"
	"  }\n"
	"  var cols = Math.max(data.nr_cols, 1), rows = hi - lo + 1;\n"
	"  var cw = Math.max(1, Math.min(60, 960 / cols));\n"
	"  var ch = 16, L = 80, T = 10, at = {};\n"
	"  var h = document.createElement('h3');\n"
	"  h.textContent = kind.name + ' stalls';\n"
	"  box.appendChild(h);\n"
	"  var cv = document.createElement('canvas');\n"
	"  cv.width = L + cols * cw + 40;\n"
	"  cv.height = T + rows * ch + 24;\n"
	"  cv.className = 'heatmap';\n"
	"  box.appendChild(cv);\n"
	"  var g = cv.getContext('2d');\n"
	"  g.font = '11px sans-serif';\n"
	"  g.fillStyle = '#222';\n"
	"  g.textAlign = 'right';\n"
	"  for (i = lo; i <= hi; i++)\n"
	"    g.fillText(usecs(low(i)), L - 6, T + (hi - i) * ch + 12);\n"
	"  g.textAlign = 'center';\n"
	"  var ticks = Math.min(5, cols);\n"
	"  for (i = 0; i <= ticks; i++) {\n"
	"    var c = Math.round(i * cols / ticks);\n"
	"    g.fillText(secs(c * data.col_ns), L + c * cw,\n"
	"      T + rows * ch + 16);\n"
	"  }\n"
	"  for (i = 0; i < cells.length; i += 3) {\n"
	"    var n = cells[i + 2];\n"
	"    g.fillStyle = colour(Math.log(1 + n) / Math.log(1 + max));\n"
	"    g.fillRect(L + cells[i] * cw, T + (hi - cells[i + 1]) * ch,\n"
	"      cw, ch - 1);\n"
	"    at[cells[i] * 64 + cells[i + 1]] = n;\n"
	"    sum += n;\n"
	"  }\n"
	"  cv.setAttribute('data-cells', sum);\n"
	"  var tip = document.getElementById('tip');\n"
	"  cv.addEventListener('mousemove', function (ev) {\n"
	"    var r = cv.getBoundingClientRect();\n"
	"    var col = Math.floor((ev.clientX - r.left - L) / cw);\n"
	"    var slot = hi - Math.floor((ev.clientY - r.top - T) / ch);\n"
	"    var n = at[col * 64 + slot];\n"
	"    if (col < 0 || col >= cols || slot < lo || slot > hi || !n) {\n"
	"      tip.style.display = 'none';\n"
	"      return;\n"
	"    }\n"
	"    tip.textContent = secs(col * data.col_ns) + ' to ' +\n"
	"      secs((col + 1) * data.col_ns) + ', ' + usecs(low(slot)) +\n"
	"      ' to ' + usecs(high(slot)) + ': ' + n +\n"
	"      (n > 1 ? ' stalls' : ' stall');\n"
	"    tip.style.left = ev.pageX + 12 + 'px';\n"
	"    tip.style.top = ev.pageY + 12 + 'px';\n"
	"    tip.style.display = 'block';\n"
	"  });\n"
	"  cv.addEventListener('mouseleave', function () {\n"
	"    tip.style.display = 'none';\n"
	"  });\n"
	"  var p = document.createElement('p');\n"
	"  p.textContent = 'Time across (a column is ' +\n"
	"    secs(data.col_ns) + '), latency up; the darkest cell ' +\n"
	"    'holds ' + max + ' stalls.';\n"
	"  box.appendChild(p);\n"
	"}\n"
	"var box = document.getElementById('heatmaps');\n"
	"data.kinds.forEach(function (k) { heatmap(k, box); });\n"
	"if (!data.kinds.length) box.textContent = 'No stalls.';\n"
	"[].forEach.call(document.querySelectorAll('table.sortable'),\n"
	"  function (t) {\n"
	"  [].forEach.call(t.tHead.rows[0].cells, function (th, i) {\n"
	"    th.addEventListener('click', function () {\n"
	"      var body = t.tBodies[0], rows = [].slice.call(body.rows);\n"
	"      var up = th.getAttribute('data-up') !== '1';\n"
	"      th.setAttribute('data-up', up ? '1' : '0');\n"
	"      rows.sort(function (a, b) {\n"
	"        var x = a.cells[i].textContent, y = b.cells[i].textContent;\n"
	"        var d = isNaN(x) || isNaN(y) ? x.localeCompare(y) : x - y;\n"
	"        return up ? d : -d;\n"
	"      });\n"
	"      rows.forEach(function (r) { body.appendChild(r); });\n"
	"    });\n"
	"  });\n"
	"});\n"
	"var term = document.getElementById('flame-term');\n"
	"if (term) {\n"
	"  term.addEventListener('input', function () {\n"
	"    var share = window.drsnoopFlameSearch(term.value);\n"
	"    document.getElementById('flame-share').textContent =\n"
	"      term.value ? share.toFixed(2) + '% of stall time' : '';\n"
	"  });\n"
	"  document.getElementById('flame-unzoom').addEventListener('click',\n"
	"    function () { window.drsnoopFlameUnzoom(); });\n"
	"  /* report.html#search=TERM opens with TERM searched. */\n"
	"  var m = /^#search=(.*)$/.exec(location.hash);\n"
	"  if (m) {\n"
	"    term.value = decodeURIComponent(m[1]);\n"
	"    term.dispatchEvent(new Event('input'));\n"
	"  }\n"
	"}\n"
	"var cells = 0;\n"
	"[].forEach.call(document.querySelectorAll('#heatmaps canvas'),\n"
	"  function (c) { cells += +c.getAttribute('data-cells'); });\n"
	"/* A table's stalls and stall time, its rows added up. */\n"
	"function sums(id) {\n"
	"  var s = { stalls: 0, ns: 0 };\n"
	"  [].forEach.call(document.querySelectorAll('#' + id + ' "
	"td[data-ns]'),\n"
	"    function (td) {\n"
	"      s.ns += +td.getAttribute('data-ns');\n"
	"      s.stalls += +td.previousSibling.getAttribute('data-stalls');\n"
	"    });\n"
	"  return s;\n"
	"}\n"
	"var procs = sums('procs'), cg = document.getElementById('cgroups');\n"
	"var cgs = cg ? sums('cgroups') : null;\n"
	"var stalls = procs.stalls, ns = procs.ns;\n"
	"var root = document.getElementById('drsnoop-flame-root');\n"
	"var flame = root ? root.getAttribute('data-ns') : 'none';\n"
	"var ok = cells === data.stalls && stalls === data.stalls &&\n"
	"  ns === data.total_ns && (!root || +flame === data.total_ns) &&\n"
	"  (!cgs || (cgs.stalls === data.stalls && cgs.ns === "
	"data.total_ns));\n"
	"document.getElementById('selfcheck').textContent =\n"
	"  'heatmap_cells=' + cells + ' table_stalls=' + stalls +\n"
	"  ' table_total_ns=' + ns + ' flame_root_ns=' + flame +\n"
	"  (cgs ? ' cgroup_stalls=' + cgs.stalls +\n"
	"    ' cgroup_total_ns=' + cgs.ns : '') +\n"
	"  ' stalls=' + data.stalls + ' total_ns=' + data.total_ns +\n"
	"  ' result=' + (ok ? 'ok' : 'MISMATCH');\n"
	"})();\n";

void report_html_write(struct dr_output *out, FILE *f)
{
	const struct dr_summary *s = &out->summary;

	fprintf(f,
		"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		"<meta charset=\"utf-8\">\n<title>drsnoop report</title>\n"
		"<style>\n%s</style>\n</head>\n<body>\n"
		"<h1>drsnoop: reclaim and compaction stalls</h1>\n",
		style);
	write_head(out, f);
	fputs("<h2>Latency heat map</h2>\n<div id=\"heatmaps\"></div>\n"
	      "<div id=\"tip\"></div>\n"
	      "<h2>Latency histogram and capture</h2>\n",
	      f);
	write_pre(s, f, summary_print_hist);
	write_pre(s, f, summary_print_capture);
	fputs("<h2>Processes</h2>\n<p>Click a column to sort by it.</p>\n", f);
	write_procs(s, f);
	if (out->cgroups.tree)
		write_cgroups(out->report, f);
	write_flame(out, f);
	fputs("<h2>Self-check</h2>\n<pre id=\"selfcheck\">not run: the page's "
	      "script did not run</pre>\n",
	      f);
	write_data(out, f);
	fprintf(f, "<script>\n%s</script>\n</body>\n</html>\n", script);
}
