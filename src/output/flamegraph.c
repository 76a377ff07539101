// SPDX-License-Identifier: GPL-2.0
/*
 * The flame graph of --flamegraph and --report (flamegraph.h): the tree,
 * then an SVG laid out as flamegraph.pl lays its out (the root at the
 * bottom, children by name), with a script for zoom and search.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "flamegraph.h"
#include "markup.h"

#define WIDTH	1200
#define PAD	10
#define FRAME_H 16
#define TOP	48 /* the title and the search line */
#define BOTTOM	24 /* what the pointer is over */
#define CHAR_W	7 /* 12px monospace, for the labels that fit */

static struct flame_node *child_of(struct flame_node *parent, const char *name,
				   enum flame_type type)
{
	struct flame_node **p = &parent->children, *n;
	int c = 1;

	while (*p && (c = strcmp((*p)->name, name)) < 0)
		p = &(*p)->next;
	if (*p && !c && (*p)->type == type)
		return *p;
	n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	*n = (struct flame_node){ .name = name, .type = type, .next = *p };
	*p = n;
	return n;
}

/* The row's frames from the root: comm, user outermost, kernel outermost. */
static int add_row(struct flamegraph *g, const struct stack_row *r)
{
	struct flame_node *n = child_of(&g->root, r->comm, FLAME_COMM);
	uint32_t i, nr = r->nr_k + r->nr_u;
	unsigned int depth = 1;

	for (i = 0; n && i < nr; i++, depth++) {
		n->ns += r->total_ns;
		n = child_of(n, stack_row_frame(r, nr - 1 - i),
			     i < r->nr_u ? FLAME_USER : FLAME_KERNEL);
	}
	if (!n)
		return -ENOMEM;
	n->ns += r->total_ns;
	if (depth > g->depth)
		g->depth = depth;
	return 0;
}

static void free_children(struct flame_node *n)
{
	struct flame_node *c, *next;

	for (c = n->children; c; c = next) {
		next = c->next;
		free_children(c);
		free(c);
	}
	n->children = NULL;
}

void flamegraph_free(struct flamegraph *g)
{
	free_children(&g->root);
	*g = (struct flamegraph){ .root = { .name = "all" } };
}

int flamegraph_build(struct flamegraph *g, const struct stack_table *t)
{
	uint64_t total = 0, other = 0;
	struct flame_node *o;
	size_t i;

	*g = (struct flamegraph){ .root = { .name = "all" } };
	for (i = 0; i < t->nr; i++)
		total += t->rows[i].total_ns;
	g->root.ns = total;
	for (i = 0; i < t->nr; i++) {
		if (t->rows[i].total_ns * FLAME_MIN_SHARE < total) {
			other += t->rows[i].total_ns;
			g->other_stacks++;
			continue;
		}
		if (add_row(g, &t->rows[i]))
			goto out_free;
	}
	if (!other)
		return 0;
	o = child_of(&g->root, "[other stacks]", FLAME_OTHER);
	if (!o)
		goto out_free;
	o->ns = other;
	if (!g->depth)
		g->depth = 1;
	return 0;
out_free:
	flamegraph_free(g);
	return -ENOMEM;
}

/* Hot colours for the kernel, cool for user space, grey for the rest. */
static void fill(FILE *f, const struct flame_node *n)
{
	uint32_t h = 2166136261u;
	const char *s;

	for (s = n->name; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	switch (n->type) {
	case FLAME_KERNEL:
		if (n->name[0] == '[')
			fprintf(f, "rgb(%u,%u,230)", 170 + h % 40,
				110 + (h >> 8) % 40);
		else
			fprintf(f, "rgb(%u,%u,%u)", 225 + h % 30,
				80 + (h >> 8) % 110, (h >> 16) % 55);
		break;
	case FLAME_USER:
		fprintf(f, "rgb(%u,%u,%u)", 40 + h % 50, 150 + (h >> 8) % 60,
			190 + (h >> 16) % 60);
		break;
	default:
		fprintf(f, "rgb(%u,%u,%u)", 190 + h % 20, 190 + h % 20,
			200 + h % 20);
	}
}

static const char *const type_class[] = {
	[FLAME_ROOT] = "r",   [FLAME_COMM] = "c",  [FLAME_USER] = "u",
	[FLAME_KERNEL] = "k", [FLAME_OTHER] = "o",
};

/*
 * The name, cut to what fits in w pixels (the script does so on zoom);
 * none where too little fits: text costs the browser time to lay out.
 */
static void label(FILE *f, const char *name, double x, unsigned int y, double w)
{
	long fit = (long)((w - 6) / CHAR_W);
	char buf[256];
	size_t len = strlen(name);

	if (fit < 3)
		return;
	fprintf(f, "<text x=\"%.2f\" y=\"%u\">", x + 3, y + FRAME_H - 4);
	if ((size_t)fit >= len) {
		markup_text(f, name);
	} else {
		if (fit > (long)sizeof(buf) - 3)
			fit = sizeof(buf) - 3;
		memcpy(buf, name, fit - 2);
		memcpy(buf + fit - 2, "..", 3);
		markup_text(f, buf);
	}
	fputs("</text>", f);
}

struct layout {
	uint64_t total;
	unsigned int depth;
};

/* ns from the left edge, in hundredths of a pixel, rounded. */
static long long hundredths(const struct layout *l, uint64_t ns)
{
	unsigned __int128 span = (WIDTH - 2 * PAD) * 100;

	if (!l->total)
		return 0;
	return (span * ns + l->total / 2) / l->total;
}

/*
 * x and widths in hundredths of a pixel, rounded at each end: the
 * children of a frame then sum exactly to at most its width.
 */
static void write_node(FILE *f, const struct layout *l,
		       const struct flame_node *n, uint64_t start,
		       unsigned int depth)
{
	long long xs = hundredths(l, start), xe = hundredths(l, start + n->ns);
	double x = PAD + xs / 100.0, w = (xe - xs) / 100.0;
	unsigned int y = TOP + (l->depth - depth) * FRAME_H;
	const struct flame_node *c;

	fprintf(f, "<g class=\"f %s\"", type_class[n->type]);
	if (n->type == FLAME_ROOT)
		fprintf(f, " id=\"drsnoop-flame-root\" data-ns=\"%" PRIu64 "\"",
			n->ns);
	fputs("><title>", f);
	markup_text(f, n->name);
	fprintf(f,
		" (%.3f ms, %.2f%%)</title><rect x=\"%.2f\" y=\"%u\" "
		"width=\"%.2f\" height=\"%u\" rx=\"2\" fill=\"",
		n->ns / 1e6, l->total ? 100.0 * n->ns / l->total : 0.0, x, y, w,
		FRAME_H - 1);
	fill(f, n);
	fputs("\"/>", f);
	label(f, n->name, x, y, w);
	fputs("</g>\n", f);
	for (c = n->children; c; c = c->next) {
		write_node(f, l, c, start, depth + 1);
		start += c->ns;
	}
}

/* Zoom, search, and the line that names the frame under the pointer. */
static const char script[] =
	"(function () {\n"
	"var svg = document.getElementById('drsnoop-flame');\n"
	"var W = +svg.getAttribute('data-width');\n"
	"var PAD = +svg.getAttribute('data-pad');\n"
	"var frames = [].slice.call(svg.querySelectorAll('g.f'));\n"
	"var root = document.getElementById('drsnoop-flame-root');\n"
	"var info = document.getElementById('drsnoop-flame-info');\n"
	"var matched = document.getElementById('drsnoop-flame-matched');\n"
	"frames.forEach(function (g) {\n"
	"  var r = g.querySelector('rect'), t = g.querySelector('title');\n"
	"  var s = t.textContent;\n"
	"  g.fx = +r.getAttribute('x'); g.fw = +r.getAttribute('width');\n"
	"  g.fy = +r.getAttribute('y'); g.fill = r.getAttribute('fill');\n"
	"  g.fname = s.substring(0, s.lastIndexOf(' ('));\n"
	"  g.addEventListener('click', function () { zoom(g); });\n"
	"  g.addEventListener('mouseover', function () {\n"
	"    info.textContent = s; });\n"
	"  g.addEventListener('mouseout', function () {\n"
	"    info.textContent = ' '; });\n"
	"});\n"
	"/* The text of a frame, made when it first has room for one. */\n"
	"function text(g) {\n"
	"  var t = g.querySelector('text');\n"
	"  if (!t) {\n"
	"    t = document.createElementNS('http://www.w3.org/2000/svg',\n"
	"      'text');\n"
	"    t.setAttribute('y', g.fy + 12);\n"
	"    g.appendChild(t);\n"
	"  }\n"
	"  return t;\n"
	"}\n"
	"function place(g, x, w) {\n"
	"  var r = g.querySelector('rect'), n = Math.floor((w - 6) / 7);\n"
	"  var s = g.fname, t = g.querySelector('text');\n"
	"  r.setAttribute('x', x.toFixed(2));\n"
	"  r.setAttribute('width', w.toFixed(2));\n"
	"  g.style.display = '';\n"
	"  if (n < 3) {\n"
	"    if (t) t.textContent = '';\n"
	"    return;\n"
	"  }\n"
	"  t = text(g);\n"
	"  t.setAttribute('x', (x + 3).toFixed(2));\n"
	"  t.textContent = s.length <= n ? s : s.substring(0, n - 2) + '..';\n"
	"}\n"
	"function zoom(z) {\n"
	"  var x0 = z.fx, x1 = z.fx + z.fw, s = (W - 2 * PAD) / z.fw;\n"
	"  frames.forEach(function (g) {\n"
	"    if (g.fy <= z.fy && g.fx >= x0 - 0.005 && g.fx + g.fw <= x1 + "
	"0.005)\n"
	"      place(g, PAD + (g.fx - x0) * s, g.fw * s);\n"
	"    else if (g.fy > z.fy && g.fx <= x0 + 0.005 && g.fx + g.fw >= x1 - "
	"0.005)\n"
	"      place(g, PAD, W - 2 * PAD);\n"
	"    else g.style.display = 'none';\n"
	"  });\n"
	"}\n"
	"function matcher(term) {\n"
	"  try { var re = new RegExp(term);\n"
	"    return function (s) { return re.test(s); };\n"
	"  } catch (e) { return function (s) { return s.indexOf(term) >= 0; }; "
	"}\n"
	"}\n"
	"/* The share of stall time under matching frames, each counted once. "
	"*/\n"
	"function search(term) {\n"
	"  var test = matcher(term), spans = [], sum = 0, end = -1;\n"
	"  frames.forEach(function (g) {\n"
	"    var hit = term !== '' && test(g.fname);\n"
	"    g.querySelector('rect').setAttribute('fill',\n"
	"      hit ? 'rgb(230,0,230)' : g.fill);\n"
	"    if (hit) spans.push([g.fx, g.fx + g.fw]);\n"
	"  });\n"
	"  spans.sort(function (a, b) { return a[0] - b[0]; });\n"
	"  spans.forEach(function (s) {\n"
	"    var from = Math.max(s[0], end);\n"
	"    if (s[1] > from) sum += s[1] - from;\n"
	"    end = Math.max(end, s[1]);\n"
	"  });\n"
	"  var share = root.fw > 0 ? 100 * sum / root.fw : 0;\n"
	"  matched.textContent = term === '' ? ' ' :\n"
	"    'Matched: ' + share.toFixed(2) + '% of stall time';\n"
	"  return share;\n"
	"}\n"
	"window.drsnoopFlameSearch = search;\n"
	"window.drsnoopFlameUnzoom = function () { zoom(root); };\n"
	"var b = document.getElementById('drsnoop-flame-search');\n"
	"if (b) b.addEventListener('click', function () {\n"
	"  var t = prompt('Search frames (a regular expression)', '');\n"
	"  if (t !== null) search(t); });\n"
	"document.getElementById('drsnoop-flame-unzoom')\n"
	"  .addEventListener('click', function () { zoom(root); });\n"
	"})();\n";

static void write_head(FILE *f, unsigned int height, bool standalone)
{
	if (standalone)
		fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fprintf(f,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
		"id=\"drsnoop-flame\" data-width=\"%u\" data-pad=\"%u\" "
		"width=\"%u\" "
		"height=\"%u\" viewBox=\"0 0 %u %u\">\n"
		"<style>text { font: 12px monospace; fill: #000; } "
		"g.f { cursor: pointer; } g.f text { pointer-events: none; } "
		".b { cursor: pointer; fill: #124; }</style>\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"#f8f8f4\"/>\n"
		"<text x=\"%u\" y=\"20\" style=\"font-size: 16px\">"
		"Stall time by stack</text>\n"
		"<text x=\"%u\" y=\"38\" class=\"b\" "
		"id=\"drsnoop-flame-unzoom\">"
		"Reset zoom</text>\n",
		WIDTH, PAD, WIDTH, height, WIDTH, height, PAD, PAD);
	if (standalone)
		fprintf(f,
			"<text x=\"%u\" y=\"20\" class=\"b\" "
			"id=\"drsnoop-flame-search\" text-anchor=\"end\">"
			"Search</text>\n",
			WIDTH - PAD);
	fprintf(f,
		"<text x=\"%u\" y=\"38\" id=\"drsnoop-flame-matched\" "
		"text-anchor=\"end\"> </text>\n"
		"<text x=\"%u\" y=\"%u\" id=\"drsnoop-flame-info\"> </text>\n",
		WIDTH - PAD, PAD, height - 8);
}

void flamegraph_write(const struct flamegraph *g, FILE *f, bool standalone)
{
	struct layout l = { .total = g->root.ns, .depth = g->depth };
	unsigned int height = TOP + (g->depth + 1) * FRAME_H + BOTTOM;

	write_head(f, height, standalone);
	fputs("<g id=\"drsnoop-flame-frames\">\n", f);
	write_node(f, &l, &g->root, 0, 0);
	fprintf(f, "</g>\n<script><![CDATA[\n%s]]></script>\n</svg>\n", script);
}
