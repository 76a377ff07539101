// SPDX-License-Identifier: GPL-2.0
/*
 * -s: per-process totals, a log2 latency histogram printed the way bcc's
 * biolatency prints one, and a capture line that says how complete the
 * run was.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "src/lib/json.h"
#include "summary.h"

#define STARS_MAX 40

void summary_init(struct dr_summary *s, bool by_tid, bool with_stacks)
{
	*s = (struct dr_summary){ .by_tid = by_tid,
				  .with_stacks = with_stacks };
	stack_table_init(&s->stacks);
}

void summary_free(struct dr_summary *s)
{
	stack_table_free(&s->stacks);
	free(s->procs);
	free(s->index);
	s->procs = NULL;
	s->index = NULL;
	s->nr = s->cap = 0;
}

void summary_reset(struct dr_summary *s)
{
	if (s->index)
		memset(s->index, 0, s->cap * sizeof(*s->index));
	s->nr = 0;
	s->stalls = 0;
	s->total_ns = 0;
	s->nested_throttles = s->nested_throttle_ns = 0;
	memset(s->hist, 0, sizeof(s->hist));
	memset(s->cap_line.seen, 0, sizeof(s->cap_line.seen));
	s->cap_line.compact_got = s->cap_line.compact_failed = 0;
	s->cap_line.background = 0;
	stack_table_free(&s->stacks);
	stack_table_init(&s->stacks);
}

static uint32_t hash(uint32_t id, bool has_id, const char *comm)
{
	uint32_t h = has_id ? id * 2654435761u : 0x9e3779b9u;
	size_t i;

	for (i = 0; i < DR_COMM_LEN && comm[i]; i++)
		h = (h ^ (unsigned char)comm[i]) * 16777619u;
	return h;
}

static bool same(const struct summary_proc *p, uint32_t id, bool has_id,
		 const char *comm)
{
	return p->has_id == has_id && (!has_id || p->id == id) &&
	       !strncmp(p->comm, comm, DR_COMM_LEN);
}

/* The slot of (id, comm): its row, or the free slot it would take. */
static uint32_t *lookup(struct dr_summary *s, uint32_t id, bool has_id,
			const char *comm)
{
	size_t mask = s->cap - 1, i = hash(id, has_id, comm) & mask;

	while (s->index[i] &&
	       !same(&s->procs[s->index[i] - 1], id, has_id, comm))
		i = (i + 1) & mask;
	return &s->index[i];
}

static int grow(struct dr_summary *s)
{
	size_t cap = s->cap ? 2 * s->cap : 64, i;
	struct summary_proc *procs =
		realloc(s->procs, cap / 2 * sizeof(*procs));
	uint32_t *index = calloc(cap, sizeof(*index));
	struct summary_proc *p;

	if (procs)
		s->procs = procs;
	if (!procs || !index) {
		free(index);
		return -ENOMEM;
	}
	free(s->index);
	s->index = index;
	s->cap = cap;
	for (i = 0; i < s->nr; i++) {
		p = &s->procs[i];
		*lookup(s, p->id, p->has_id, p->comm) = i + 1;
	}
	return 0;
}

unsigned int summary_slot(uint64_t lat_ns)
{
	uint64_t us = lat_ns / 1000;
	unsigned int slot = 0;

	while (us >>= 1)
		slot++;
	return slot;
}

int summary_add(struct dr_summary *s, const struct dr_event *e)
{
	bool has_id = s->by_tid || dr_event_has(e, DR_HAS_PID);
	uint32_t id = s->by_tid ? e->tid : has_id ? e->pid : 0;
	char comm[DR_COMM_LEN] = "";
	struct summary_proc *p;
	uint32_t *slot;

	if (dr_event_has(e, DR_NESTED)) {
		s->nested_throttles++;
		s->nested_throttle_ns += e->lat_ns;
		return 0;
	}
	if (dr_event_has(e, DR_HAS_COMM))
		memcpy(comm, e->comm, strnlen(e->comm, DR_COMM_LEN - 1));
	if (2 * (s->nr + 1) > s->cap && grow(s))
		return -ENOMEM;
	slot = lookup(s, id, has_id, comm);
	if (!*slot) {
		p = &s->procs[s->nr++];
		*p = (struct summary_proc){ .id = id, .has_id = has_id };
		memcpy(p->comm, comm, sizeof(comm));
		*slot = s->nr;
	}
	p = &s->procs[*slot - 1];
	p->stalls++;
	p->total_ns += e->lat_ns;
	p->pages += e->nr_reclaimed;
	if (e->lat_ns > p->max_ns)
		p->max_ns = e->lat_ns;
	s->hist[summary_slot(e->lat_ns)]++;
	s->stalls++;
	s->total_ns += e->lat_ns;
	return 0;
}

int summary_by_total(const void *a, const void *b)
{
	const struct summary_proc *x = a, *y = b;

	if (x->total_ns != y->total_ns)
		return x->total_ns > y->total_ns ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return strncmp(x->comm, y->comm, DR_COMM_LEN);
}

int summary_add_stack(struct dr_summary *s, const struct stack_key *key,
		      uint64_t lat_ns)
{
	return stack_table_add(&s->stacks, key, lat_ns);
}

/* The index no longer matches the rows: this is done once, at the end. */
void summary_sort(struct dr_summary *s)
{
	if (s->nr)
		qsort(s->procs, s->nr, sizeof(*s->procs), summary_by_total);
	stack_table_sort(&s->stacks);
}

static double ms(uint64_t ns)
{
	return (double)ns / 1e6;
}

static void print_table(const struct dr_summary *s, FILE *f)
{
	const struct summary_proc *p;
	size_t i;

	fprintf(f, "%-14s %-6s %8s %12s %10s %10s %8s\n", "COMM",
		s->by_tid ? "TID" : "PID", "STALLS", "TOTAL(ms)", "AVG(ms)",
		"MAX(ms)", "PAGES");
	for (i = 0; i < s->nr; i++) {
		p = &s->procs[i];
		fprintf(f, "%-14.14s ", p->comm[0] ? p->comm : "-");
		if (p->has_id)
			fprintf(f, "%-6u", p->id);
		else
			fprintf(f, "%-6s", "-");
		fprintf(f, " %8" PRIu64 " %12.2f %10.2f %10.2f %8" PRIu64 "\n",
			p->stalls, ms(p->total_ns), ms(p->total_ns) / p->stalls,
			ms(p->max_ns), p->pages);
	}
}

/* The last slot with a count, or -1. */
static int last_slot(const struct dr_summary *s)
{
	int i;

	for (i = SUMMARY_SLOTS - 1; i >= 0; i--)
		if (s->hist[i])
			return i;
	return -1;
}

static void slot_range(int i, uint64_t *low, uint64_t *high)
{
	*high = i == 63 ? UINT64_MAX : (1ULL << (i + 1)) - 1;
	*low = (*high >> 1) + 1;
	if (*low == *high)
		*low = 0;
}

/* bcc's print_log2_hist(): the same header, columns and star bar. */
void summary_print_hist(const struct dr_summary *s, FILE *f)
{
	int idx_max = last_slot(s), width, stars, i, n;
	uint64_t val_max = 0, low, high;

	if (idx_max < 0)
		return;
	for (i = 0; i <= idx_max; i++)
		if (s->hist[i] > val_max)
			val_max = s->hist[i];
	stars = idx_max <= 32 ? STARS_MAX : STARS_MAX / 2;
	width = idx_max <= 32 ? 10 : 20;
	fprintf(f, "\n%*s%-*s : count    distribution\n",
		idx_max <= 32 ? 5 : 15, "", idx_max <= 32 ? 19 : 29, "usecs");
	for (i = 0; i <= idx_max; i++) {
		slot_range(i, &low, &high);
		fprintf(f, "%*" PRIu64 " -> %-*" PRIu64 " : %-8" PRIu64 " |",
			width, low, width, high, s->hist[i]);
		n = s->hist[i] * stars / val_max;
		fprintf(f, "%.*s%*s|\n", n,
			"****************************************", stars - n,
			"");
	}
}

/* Reclaims always: the capture line compares them with allocstall. */
static bool capture_shows(const struct summary_capture *c, uint32_t k)
{
	return k < DR_NR_RECLAIM_KINDS || (c->kinds & DR_KIND_BIT(k));
}

/*
 * --compaction: compact_stall beside the attempts seen, the outcomes
 * where drsnoop saw them, and the zone compactions of kcompactd and the
 * like, which are nobody's stall.
 */
static void print_compact(const struct summary_capture *c, FILE *f)
{
	if (c->has_compact)
		fprintf(f,
			"compact_stall rose by %" PRIu64 " (success %" PRIu64
			", fail %" PRIu64 "); ",
			c->compact_end.stall - c->compact_start.stall,
			c->compact_end.success - c->compact_start.success,
			c->compact_end.fail - c->compact_start.fail);
	if (c->compact_got + c->compact_failed)
		fprintf(f,
			"attempts that got their page %" PRIu64
			", did not %" PRIu64 "; ",
			c->compact_got, c->compact_failed);
	fprintf(f, "%" PRIu64 " background zone compactions; ", c->background);
}

static void print_capture(const struct summary_capture *c, FILE *f)
{
	uint32_t k;

	fputs("\ncapture:", f);
	for (k = 0; k < DR_NR_KINDS; k++)
		if (capture_shows(c, k))
			fprintf(f, "%s %" PRIu64 " %s", k ? "," : "",
				c->seen[k], dr_kind_name(k));
	fputs(" stalls seen; ", f);
	if (c->has_allocstall)
		fprintf(f, "allocstall rose by %" PRIu64 "; ",
			c->allocstall_end - c->allocstall_start);
	else
		fprintf(f, "allocstall not read; ");
	if (c->kinds & DR_KIND_BIT(DR_KIND_COMPACT))
		print_compact(c, f);
	fprintf(f, "%" PRIu64 " stalls lost\n", c->lost);
}

static void print_psi_window(const char *where, const struct psi_window *w,
			     FILE *f)
{
	fprintf(f, "; %s ", where);
	if (w->err) {
		fputs(w->why, f);
		return;
	}
	fprintf(f, "some %.2f ms, full ", ms(psi_window_some_us(w) * 1000));
	if (psi_window_has_full(w))
		fprintf(f, "%.2f ms", ms(psi_window_full_us(w) * 1000));
	else
		fputs("not given", f);
}

/* The stall time shown beside the kernel's: how much the lines explain. */
static void print_psi(const struct dr_summary *s, FILE *f)
{
	const struct summary_capture *c = &s->cap_line;

	fprintf(f, "psi: stalls shown %.2f ms", ms(s->total_ns));
	if (!c->psi.read) {
		fputs("; memory PSI not read\n", f);
		return;
	}
	print_psi_window("system-wide", &c->psi, f);
	if (c->cgroup)
		print_psi_window(c->cgroup, &c->cgroup_psi, f);
	fputc('\n', f);
}

static void print_stack(const struct stack_row *r, FILE *f)
{
	uint32_t i;

	fprintf(f, "%8" PRIu64 " %12.2f %10.2f %10.2f\n", r->count,
		ms(r->total_ns), ms(r->total_ns) / r->count, ms(r->max_ns));
	for (i = 0; i < r->nr_k; i++)
		fprintf(f, "    %s\n", stack_row_frame(r, i));
	if (r->nr_k && r->nr_u)
		fputs("    --\n", f);
	for (i = 0; i < r->nr_u; i++)
		fprintf(f, "    %s\n", stack_row_frame(r, r->nr_k + i));
	if (!r->nr_k && !r->nr_u)
		fputs("    [no stack]\n", f);
}

/* The rows past SUMMARY_TOP_STACKS, summed, so that the totals add up. */
static void print_other_stacks(const struct stack_table *t, FILE *f)
{
	uint64_t count = 0, total = 0, max = 0;
	size_t i;

	for (i = SUMMARY_TOP_STACKS; i < t->nr; i++) {
		count += t->rows[i].count;
		total += t->rows[i].total_ns;
		if (t->rows[i].max_ns > max)
			max = t->rows[i].max_ns;
	}
	fprintf(f,
		"%8" PRIu64 " %12.2f %10.2f %10.2f\n    [%zu other stacks]\n",
		count, ms(total), ms(total) / count, ms(max),
		t->nr - SUMMARY_TOP_STACKS);
}

static void print_stacks(const struct dr_summary *s, FILE *f)
{
	const struct stack_table *t = &s->stacks;
	size_t i;

	if (!s->with_stacks)
		return;
	fprintf(f, "\ntop stacks by total stall time (%zu distinct):\n", t->nr);
	fprintf(f, "%8s %12s %10s %10s\n", "STALLS", "TOTAL(ms)", "AVG(ms)",
		"MAX(ms)");
	for (i = 0; i < t->nr && i < SUMMARY_TOP_STACKS; i++)
		print_stack(&t->rows[i], f);
	if (t->nr > SUMMARY_TOP_STACKS)
		print_other_stacks(t, f);
}

/* --throttle: the sleeps inside the reclaims above, part of their time. */
static void print_nested(const struct dr_summary *s, FILE *f)
{
	if (!(s->cap_line.kinds & DR_KIND_BIT(DR_KIND_THROTTLE)))
		return;
	fprintf(f,
		"\nof which throttled: %" PRIu64 " sleeps, %.2f ms, inside "
		"the reclaims above (in their time, not added)\n",
		s->nested_throttles, ms(s->nested_throttle_ns));
}

void summary_print_capture(const struct dr_summary *s, FILE *f)
{
	print_capture(&s->cap_line, f);
	print_psi(s, f);
}

void summary_print_text(const struct dr_summary *s, FILE *f)
{
	print_table(s, f);
	print_nested(s, f);
	print_stacks(s, f);
	summary_print_hist(s, f);
	summary_print_capture(s, f);
}

static void json_u64(FILE *f, const char *key, uint64_t v, bool *first)
{
	json_key(f, key, first);
	fprintf(f, "%" PRIu64, v);
}

static void json_proc(const struct dr_summary *s, const struct summary_proc *p,
		      FILE *f)
{
	bool first = true;

	fputc('{', f);
	json_key(f, "comm", &first);
	if (p->comm[0])
		json_string(f, p->comm, DR_COMM_LEN);
	else
		fputs("null", f);
	json_key(f, s->by_tid ? "tid" : "pid", &first);
	if (p->has_id)
		fprintf(f, "%u", p->id);
	else
		fputs("null", f);
	json_u64(f, "stalls", p->stalls, &first);
	json_u64(f, "total_ns", p->total_ns, &first);
	json_u64(f, "avg_ns", p->total_ns / p->stalls, &first);
	json_u64(f, "max_ns", p->max_ns, &first);
	json_u64(f, "pages", p->pages, &first);
	fputc('}', f);
}

static void json_hist(const struct dr_summary *s, FILE *f)
{
	int idx_max = last_slot(s), i;
	uint64_t low, high;

	fputs("\"histogram\":{\"unit\":\"usecs\",\"slots\":[", f);
	for (i = 0; i <= idx_max; i++) {
		slot_range(i, &low, &high);
		fprintf(f,
			"%s{\"low\":%" PRIu64 ",\"high\":%" PRIu64
			",\"count\":%" PRIu64 "}",
			i ? "," : "", low, high, s->hist[i]);
	}
	fputs("]}", f);
}

/* "compaction":{"stall_rise":N|null,"success_rise","fail_rise","got_page","no_page","background"}
 */
static void json_compact(const struct summary_capture *c, FILE *f)
{
	const struct meminfo_compact *a = &c->compact_start,
				     *b = &c->compact_end;
	bool first = true;

	fputs(",\"compaction\":{", f);
	json_key(f, "stall_rise", &first);
	if (c->has_compact)
		fprintf(f,
			"%" PRIu64 ",\"success_rise\":%" PRIu64
			",\"fail_rise\":%" PRIu64,
			b->stall - a->stall, b->success - a->success,
			b->fail - a->fail);
	else
		fputs("null,\"success_rise\":null,\"fail_rise\":null", f);
	json_u64(f, "got_page", c->compact_got, &first);
	json_u64(f, "no_page", c->compact_failed, &first);
	json_u64(f, "background", c->background, &first);
	fputc('}', f);
}

static void json_capture(const struct summary_capture *c, FILE *f)
{
	bool first = true;
	uint32_t k;

	fputs("\"capture\":{", f);
	for (k = 0; k < DR_NR_KINDS; k++)
		if (capture_shows(c, k))
			json_u64(f, dr_kind_name(k), c->seen[k], &first);
	json_key(f, "allocstall_rise", &first);
	if (c->has_allocstall)
		fprintf(f, "%" PRIu64, c->allocstall_end - c->allocstall_start);
	else
		fputs("null", f);
	if (c->kinds & DR_KIND_BIT(DR_KIND_COMPACT))
		json_compact(c, f);
	json_u64(f, "lost", c->lost, &first);
	fputc('}', f);
}

/* {"some_us":N,"full_us":N|null,"reason":null}, or nulls and the reason. */
static void json_psi_window(FILE *f, const char *key,
			    const struct psi_window *w, bool *first)
{
	bool inner = true;

	json_key(f, key, first);
	fputc('{', f);
	json_key(f, "some_us", &inner);
	if (w->read && !w->err)
		fprintf(f, "%" PRIu64, psi_window_some_us(w));
	else
		fputs("null", f);
	json_key(f, "full_us", &inner);
	if (psi_window_has_full(w))
		fprintf(f, "%" PRIu64, psi_window_full_us(w));
	else
		fputs("null", f);
	json_key(f, "reason", &inner);
	if (!w->read)
		json_string(f, "not read: a recording", SIZE_MAX);
	else if (w->err)
		json_string(f, w->why, SIZE_MAX);
	else if (!psi_window_has_full(w))
		json_string(f, "no full line", SIZE_MAX);
	else
		fputs("null", f);
	fputc('}', f);
}

static void json_psi(const struct dr_summary *s, FILE *f)
{
	const struct summary_capture *c = &s->cap_line;
	bool first = true;

	fputs("\"psi\":{", f);
	json_u64(f, "shown_ns", s->total_ns, &first);
	json_psi_window(f, "system", &c->psi, &first);
	if (c->cgroup) {
		json_key(f, "cgroup_path", &first);
		json_string(f, c->cgroup, SIZE_MAX);
		json_psi_window(f, "cgroup", &c->cgroup_psi, &first);
	}
	fputc('}', f);
}

static void json_frames(FILE *f, const char *key, const struct stack_row *r,
			bool has, uint32_t from, uint32_t n, bool *first)
{
	uint32_t i;

	json_key(f, key, first);
	if (!has) {
		fputs("null", f);
		return;
	}
	fputc('[', f);
	for (i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		json_string(f, stack_row_frame(r, from + i), SIZE_MAX);
	}
	fputc(']', f);
}

static void json_nested(const struct dr_summary *s, FILE *f)
{
	bool first = true;

	if (!(s->cap_line.kinds & DR_KIND_BIT(DR_KIND_THROTTLE)))
		return;
	fputs("\"throttled_in_reclaim\":{", f);
	json_u64(f, "sleeps", s->nested_throttles, &first);
	json_u64(f, "total_ns", s->nested_throttle_ns, &first);
	fputs("},", f);
}

/* Every stack, not only the top ones: a script can cut the list. */
static void json_stacks(const struct dr_summary *s, FILE *f)
{
	const struct stack_row *r;
	bool first;
	size_t i;

	if (!s->with_stacks)
		return;
	fputs("\"stacks\":[", f);
	for (i = 0; i < s->stacks.nr; i++) {
		r = &s->stacks.rows[i];
		first = true;
		fputs(i ? ",{" : "{", f);
		json_u64(f, "stalls", r->count, &first);
		json_u64(f, "total_ns", r->total_ns, &first);
		json_u64(f, "avg_ns", r->total_ns / r->count, &first);
		json_u64(f, "max_ns", r->max_ns, &first);
		json_frames(f, "kstack", r, r->has_k, 0, r->nr_k, &first);
		json_frames(f, "ustack", r, r->has_u, r->nr_k, r->nr_u, &first);
		fputc('}', f);
	}
	fputs("],", f);
}

void summary_print_json(const struct dr_summary *s, FILE *f)
{
	size_t i;

	fprintf(f, "{\"summary\":{\"stalls\":%" PRIu64 ",\"processes\":[",
		s->stalls);
	for (i = 0; i < s->nr; i++) {
		if (i)
			fputc(',', f);
		json_proc(s, &s->procs[i], f);
	}
	fputs("],", f);
	json_nested(s, f);
	json_stacks(s, f);
	json_hist(s, f);
	fputc(',', f);
	json_capture(&s->cap_line, f);
	fputc(',', f);
	json_psi(s, f);
	fputs("}}\n", f);
}
