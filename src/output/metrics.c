// SPDX-License-Identifier: GPL-2.0
/*
 * --metrics: stall latency, reclaimed bytes and lost stalls as counters
 * in Prometheus's text exposition format, for node_exporter's textfile
 * collector, with the kernel's allocstall counters and memory PSI beside
 * them.
 */
#define _GNU_SOURCE /* mkostemp */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "src/sys/meminfo.h"
#include "metrics.h"

/* Latency bounds, as Prometheus's Go client would print them. */
static const struct {
	uint64_t ns;
	const char *le;
} bounds[METRICS_BUCKETS] = {
	{ 10000, "1e-05" },   { 25000, "2.5e-05" },  { 50000, "5e-05" },
	{ 100000, "0.0001" }, { 250000, "0.00025" }, { 500000, "0.0005" },
	{ 1000000, "0.001" }, { 2500000, "0.0025" }, { 5000000, "0.005" },
	{ 10000000, "0.01" }, { 25000000, "0.025" }, { 50000000, "0.05" },
	{ 100000000, "0.1" }, { 250000000, "0.25" }, { 500000000, "0.5" },
	{ 1000000000, "1" },
};

void metrics_init(struct dr_metrics *m, bool by_cgroup, unsigned int kinds,
		  unsigned int page_bytes)
{
	*m = (struct dr_metrics){ .by_cgroup = by_cgroup,
				  .kinds = kinds,
				  .page_bytes = page_bytes };
}

void metrics_free(struct dr_metrics *m)
{
	size_t i;

	for (i = 0; i < m->nr; i++)
		free(m->cgroups[i].path);
	for (i = 0; i < METRICS_TOP_CGROUPS; i++)
		free(m->top[i].cgroup);
	free(m->cgroups);
	free(m->index);
	m->cgroups = NULL;
	m->index = NULL;
	m->nr = m->cap = 0;
}

static void hist_add(struct metrics_hist *h, const struct dr_event *e)
{
	unsigned int i = 0;

	while (i < METRICS_BUCKETS && e->lat_ns > bounds[i].ns)
		i++;
	h->bucket[i]++;
	h->count++;
	h->sum_ns += e->lat_ns;
	h->pages += e->nr_reclaimed;
}

static void hist_merge(struct metrics_hist *to, const struct metrics_hist *h)
{
	unsigned int i;

	for (i = 0; i <= METRICS_BUCKETS; i++)
		to->bucket[i] += h->bucket[i];
	to->count += h->count;
	to->sum_ns += h->sum_ns;
	to->pages += h->pages;
}

static uint32_t *lookup(struct dr_metrics *m, uint64_t id)
{
	size_t mask = m->cap - 1, i = (id * 0x9e3779b97f4a7c15ULL) >> 32 & mask;

	while (m->index[i] && m->cgroups[m->index[i] - 1].id != id)
		i = (i + 1) & mask;
	return &m->index[i];
}

static int reindex(struct dr_metrics *m, size_t cap)
{
	uint32_t *index = calloc(cap, sizeof(*index));
	size_t i;

	if (!index)
		return -ENOMEM;
	free(m->index);
	m->index = index;
	m->cap = cap;
	for (i = 0; i < m->nr; i++)
		*lookup(m, m->cgroups[i].id) = i + 1;
	return 0;
}

static int grow(struct dr_metrics *m)
{
	size_t cap = m->cap ? 2 * m->cap : 64;
	struct metrics_cgroup *c =
		realloc(m->cgroups, cap / 2 * sizeof(*m->cgroups));

	if (!c)
		return -ENOMEM;
	m->cgroups = c;
	return reindex(m, cap);
}

static int slot_of(const struct dr_metrics *m, const char *path)
{
	int i;

	for (i = 0; i < METRICS_TOP_CGROUPS; i++)
		if (m->top[i].cgroup && !strcmp(m->top[i].cgroup, path))
			return i;
	return -1;
}

/* The cgroup of e, added (in "other") the first time it stalls. */
static struct metrics_cgroup *cgroup_of(struct dr_metrics *m,
					const struct dr_event *e)
{
	uint64_t id = dr_event_has(e, DR_HAS_CGROUP) ? e->cgroup_id : 0;
	const char *path = NULL;
	struct metrics_cgroup *c;
	uint32_t *slot;

	if (2 * (m->nr + 1) > m->cap && grow(m))
		return NULL;
	slot = lookup(m, id);
	if (*slot)
		return &m->cgroups[*slot - 1];
	if (id && m->cgroup_path)
		path = m->cgroup_path(m->ctx, id);
	c = &m->cgroups[m->nr];
	*c = (struct metrics_cgroup){ .id = id };
	c->path = strdup(path ? path : "unknown");
	if (!c->path)
		return NULL;
	/* A path in the top already (made again after rmdir) is its own. */
	c->slot = slot_of(m, c->path);
	*slot = ++m->nr;
	return c;
}

int metrics_add(struct dr_metrics *m, const struct dr_event *e)
{
	struct metrics_series *s = &m->rest;
	struct metrics_cgroup *c;

	if (e->kind >= METRICS_KINDS)
		return 0;
	if (m->by_cgroup) {
		c = cgroup_of(m, e);
		if (!c)
			return -ENOMEM;
		c->total_ns += e->lat_ns;
		if (c->slot >= 0)
			s = &m->top[c->slot];
	}
	if (dr_event_has(e, DR_NESTED) && e->outer_kind < METRICS_KINDS)
		hist_add(&s->throttled_in[e->outer_kind], e);
	else
		hist_add(&s->kind[e->kind], e);
	return 0;
}

/* A path's stall time: the sum over its cgroups (a path may be reused). */
struct ranked {
	const char *path;
	uint64_t total_ns;
};

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct ranked *)a)->path,
		      ((const struct ranked *)b)->path);
}

static int by_total(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->total_ns != y->total_ns)
		return x->total_ns > y->total_ns ? -1 : 1;
	return strcmp(x->path, y->path);
}

/* The paths, most stall time first. Returns how many, or -ENOMEM. */
static ssize_t rank_paths(const struct dr_metrics *m, struct ranked **out)
{
	struct ranked *r = malloc((m->nr ? m->nr : 1) * sizeof(*r));
	size_t i, n = 0;

	if (!r)
		return -ENOMEM;
	for (i = 0; i < m->nr; i++)
		r[i] = (struct ranked){ m->cgroups[i].path,
					m->cgroups[i].total_ns };
	qsort(r, m->nr, sizeof(*r), by_path);
	for (i = 0; i < m->nr; i++) {
		if (n && !strcmp(r[n - 1].path, r[i].path))
			r[n - 1].total_ns += r[i].total_ns;
		else
			r[n++] = r[i];
	}
	qsort(r, n, sizeof(*r), by_total);
	*out = r;
	return n;
}

static bool in_top(const struct ranked *r, size_t n, const char *path)
{
	size_t i;

	for (i = 0; i < n && i < METRICS_TOP_CGROUPS; i++)
		if (!strcmp(r[i].path, path))
			return true;
	return false;
}

/* Out of the top: its counts go on in "other", which only grows. */
static void demote(struct dr_metrics *m, struct metrics_series *s)
{
	unsigned int k;

	for (k = 0; k < METRICS_KINDS; k++) {
		hist_merge(&m->rest.kind[k], &s->kind[k]);
		hist_merge(&m->rest.throttled_in[k], &s->throttled_in[k]);
	}
	free(s->cgroup);
	*s = (struct metrics_series){ 0 };
}

static int promote(struct dr_metrics *m, const char *path)
{
	int i;

	for (i = 0; i < METRICS_TOP_CGROUPS; i++) {
		if (m->top[i].cgroup)
			continue;
		m->top[i].cgroup = strdup(path);
		return m->top[i].cgroup ? 0 : -ENOMEM;
	}
	return -ENOSPC;
}

/*
 * Forget the cgroups with the least stall time that have no series of
 * their own: their stalls stay counted in "other", they only lose their
 * place in the ranking.
 */
static int prune(struct dr_metrics *m, const struct ranked *r)
{
	uint64_t floor = r[METRICS_MAX_CGROUPS / 2 - 1].total_ns;
	size_t i, kept = 0;

	for (i = 0; i < m->nr; i++) {
		struct metrics_cgroup *c = &m->cgroups[i];

		if (c->slot < 0 && c->total_ns < floor)
			free(c->path);
		else
			m->cgroups[kept++] = *c;
	}
	m->nr = kept;
	return reindex(m, m->cap);
}

int metrics_rank(struct dr_metrics *m)
{
	struct ranked *r;
	ssize_t n;
	size_t i;
	int err = 0;

	if (!m->by_cgroup)
		return 0;
	n = rank_paths(m, &r);
	if (n < 0)
		return n;
	for (i = 0; i < METRICS_TOP_CGROUPS; i++)
		if (m->top[i].cgroup && !in_top(r, n, m->top[i].cgroup))
			demote(m, &m->top[i]);
	for (i = 0; i < (size_t)n && i < METRICS_TOP_CGROUPS && !err; i++)
		if (slot_of(m, r[i].path) < 0)
			err = promote(m, r[i].path);
	for (i = 0; i < m->nr; i++)
		m->cgroups[i].slot = slot_of(m, m->cgroups[i].path);
	if (!err && (size_t)n > METRICS_MAX_CGROUPS)
		err = prune(m, r);
	free(r);
	return err;
}

/* A label value: backslash, double quote and newline escaped. */
static void put_label(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', f);
		if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

static void put_labels(FILE *f, const struct dr_metrics *m,
		       const struct metrics_series *s, unsigned int kind)
{
	fprintf(f, "{kind=\"%s\"", dr_kind_name(kind));
	if (m->by_cgroup) {
		fputs(",cgroup=\"", f);
		put_label(f, s == &m->rest ? "other" : s->cgroup);
		fputc('"', f);
	}
}

static void print_hist(FILE *f, const struct dr_metrics *m,
		       const struct metrics_series *s, unsigned int kind)
{
	const struct metrics_hist *h = &s->kind[kind];
	uint64_t cum = 0;
	unsigned int i;

	for (i = 0; i <= METRICS_BUCKETS; i++) {
		cum += h->bucket[i];
		fputs("drsnoop_stall_seconds_bucket", f);
		put_labels(f, m, s, kind);
		fprintf(f, ",le=\"%s\"} %" PRIu64 "\n",
			i < METRICS_BUCKETS ? bounds[i].le : "+Inf", cum);
	}
	fputs("drsnoop_stall_seconds_sum", f);
	put_labels(f, m, s, kind);
	fprintf(f, "} %" PRIu64 ".%09" PRIu64 "\n", h->sum_ns / 1000000000,
		h->sum_ns % 1000000000);
	fputs("drsnoop_stall_seconds_count", f);
	put_labels(f, m, s, kind);
	fprintf(f, "} %" PRIu64 "\n", h->count);
}

static void print_bytes(FILE *f, const struct dr_metrics *m,
			const struct metrics_series *s, unsigned int kind)
{
	/* Throttles and compaction reclaim nothing. */
	if (kind == DR_KIND_THROTTLE || kind == DR_KIND_COMPACT)
		return;
	fputs("drsnoop_reclaimed_bytes_total", f);
	put_labels(f, m, s, kind);
	fprintf(f, "} %" PRIu64 "\n", s->kind[kind].pages * m->page_bytes);
}

/* One family: its lines for every series and kind, "other" last. */
static void print_family(FILE *f, const struct dr_metrics *m,
			 void (*print)(FILE *, const struct dr_metrics *,
				       const struct metrics_series *,
				       unsigned int))
{
	unsigned int i, k;

	for (i = 0; i < METRICS_TOP_CGROUPS; i++)
		for (k = 0; m->top[i].cgroup && k < METRICS_KINDS; k++)
			if (m->kinds & DR_KIND_BIT(k))
				print(f, m, &m->top[i], k);
	for (k = 0; k < METRICS_KINDS; k++)
		if (m->kinds & DR_KIND_BIT(k))
			print(f, m, &m->rest, k);
}

/* A kind of reclaim's nested throttles: time inside its own stalls. */
static void print_throttled_seconds(FILE *f, const struct dr_metrics *m,
				    const struct metrics_series *s,
				    unsigned int kind)
{
	const struct metrics_hist *h = &s->throttled_in[kind];

	if (kind >= DR_NR_RECLAIM_KINDS)
		return;
	fputs("drsnoop_throttled_in_reclaim_seconds_total", f);
	put_labels(f, m, s, kind);
	fprintf(f, "} %" PRIu64 ".%09" PRIu64 "\n", h->sum_ns / 1000000000,
		h->sum_ns % 1000000000);
}

static void print_throttled_count(FILE *f, const struct dr_metrics *m,
				  const struct metrics_series *s,
				  unsigned int kind)
{
	if (kind >= DR_NR_RECLAIM_KINDS)
		return;
	fputs("drsnoop_throttled_in_reclaim_total", f);
	put_labels(f, m, s, kind);
	fprintf(f, "} %" PRIu64 "\n", s->throttled_in[kind].count);
}

/* --throttle: the throttles nested in each kind of reclaim. */
static void print_nested(FILE *f, const struct dr_metrics *m)
{
	if (!(m->kinds & DR_KIND_BIT(DR_KIND_THROTTLE)))
		return;
	fputs("# HELP drsnoop_throttled_in_reclaim_seconds_total Time tasks "
	      "slept throttled inside a reclaim of this kind: part of its "
	      "drsnoop_stall_seconds, not of kind=\"throttle\"'s.\n"
	      "# TYPE drsnoop_throttled_in_reclaim_seconds_total counter\n",
	      f);
	print_family(f, m, print_throttled_seconds);
	fputs("# HELP drsnoop_throttled_in_reclaim_total Throttles inside a "
	      "reclaim of this kind.\n"
	      "# TYPE drsnoop_throttled_in_reclaim_total counter\n",
	      f);
	print_family(f, m, print_throttled_count);
}

/* "NAME{[cgroup="PATH",]type="some"} SECONDS", and full's where it is. */
static void print_psi_totals(FILE *f, const char *name, const char *cgroup,
			     const struct psi_totals *t)
{
	const char *type[] = { "some", "full" };
	uint64_t us[] = { t->some_us, t->full_us };
	int i;

	for (i = 0; i < (t->has_full ? 2 : 1); i++) {
		fprintf(f, "%s{", name);
		if (cgroup) {
			fputs("cgroup=\"", f);
			put_label(f, cgroup);
			fputs("\",", f);
		}
		fprintf(f, "type=\"%s\"} %" PRIu64 ".%06" PRIu64 "\n", type[i],
			us[i] / 1000000, us[i] % 1000000);
	}
}

/*
 * PSI's own counters, since boot (or the cgroup's creation): never a
 * zero that looks like a measurement where PSI is off, but a comment.
 * "other" has none: stall time of several cgroups does not add up.
 */
static void print_psi(FILE *f, const struct dr_metrics *m,
		      const struct metrics_psi *p)
{
	unsigned int i;

	if (p->err)
		fprintf(f, "# drsnoop_kernel_psi_memory_seconds_total: %s\n",
			p->why);
	else
		fputs("# HELP drsnoop_kernel_psi_memory_seconds_total Time "
		      "since boot in which some tasks (type=\"some\") or all "
		      "non-idle tasks (type=\"full\") stalled on memory: "
		      "/proc/pressure/memory's totals.\n"
		      "# TYPE drsnoop_kernel_psi_memory_seconds_total "
		      "counter\n",
		      f);
	if (!p->err)
		print_psi_totals(f, "drsnoop_kernel_psi_memory_seconds_total",
				 NULL, &p->system);
	if (!m->by_cgroup)
		return;
	if (p->no_cgroups) {
		fprintf(f,
			"# drsnoop_kernel_cgroup_psi_memory_seconds_total: "
			"%s\n",
			p->no_cgroups);
		return;
	}
	fputs("# HELP drsnoop_kernel_cgroup_psi_memory_seconds_total The "
	      "same for each cgroup with a series of its own: its "
	      "memory.pressure's totals.\n"
	      "# TYPE drsnoop_kernel_cgroup_psi_memory_seconds_total "
	      "counter\n",
	      f);
	for (i = 0; i < METRICS_TOP_CGROUPS; i++)
		if (m->top[i].cgroup && p->has_top[i])
			print_psi_totals(f,
					 "drsnoop_kernel_cgroup_psi_memory_"
					 "seconds_total",
					 m->top[i].cgroup, &p->top[i]);
}

int metrics_print(const struct dr_metrics *m,
		  const struct metrics_allocstall *a,
		  const struct metrics_psi *psi, FILE *f)
{
	unsigned int i;

	fputs("# HELP drsnoop_stall_seconds Time a task spent stalled in "
	      "reclaim, per stall, as drsnoop saw it.\n"
	      "# TYPE drsnoop_stall_seconds histogram\n",
	      f);
	print_family(f, m, print_hist);
	fputs("# HELP drsnoop_reclaimed_bytes_total Memory the stalled tasks "
	      "reclaimed.\n"
	      "# TYPE drsnoop_reclaimed_bytes_total counter\n",
	      f);
	print_family(f, m, print_bytes);
	print_nested(f, m);
	fprintf(f,
		"# HELP drsnoop_lost_stalls_total Stalls drsnoop could not "
		"report (its buffers were full).\n"
		"# TYPE drsnoop_lost_stalls_total counter\n"
		"drsnoop_lost_stalls_total %" PRIu64 "\n",
		m->lost);
	fputs("# HELP drsnoop_kernel_allocstall_total Direct reclaims since "
	      "boot, by zone: /proc/vmstat's allocstall counters.\n"
	      "# TYPE drsnoop_kernel_allocstall_total counter\n",
	      f);
	for (i = 0; i < a->nr; i++)
		fprintf(f,
			"drsnoop_kernel_allocstall_total{zone=\"%s\"} %" PRIu64
			"\n",
			a->zone[i], a->value[i]);
	print_psi(f, m, psi);
	return ferror(f) ? -EIO : 0;
}

/* The root's pressure is the system's: it has no file of its own. */
static void read_psi(const struct dr_metrics *m, struct metrics_psi *p)
{
	char path[2 * PATH_MAX];
	unsigned int i;

	p->err = psi_read(PSI_MEMORY, &p->system);
	if (p->err)
		psi_why(p->err, PSI_MEMORY, p->why, sizeof(p->why));
	if (!m->by_cgroup)
		return;
	if (!m->cgroup_mount) {
		p->no_cgroups = "a cgroup v1 hierarchy has no memory.pressure";
		return;
	}
	for (i = 0; i < METRICS_TOP_CGROUPS; i++) {
		if (!m->top[i].cgroup || !strcmp(m->top[i].cgroup, "/"))
			continue;
		snprintf(path, sizeof(path), "%s%s/memory.pressure",
			 m->cgroup_mount, m->top[i].cgroup);
		p->has_top[i] = !psi_read(path, &p->top[i]);
	}
}

/* The temporary file: f is closed and the file gone on failure. */
static int write_to(const struct dr_metrics *m, int fd, const char *tmp)
{
	struct metrics_allocstall a = { .nr = 0 };
	struct metrics_psi psi = { .err = 0 };
	FILE *f;
	int err;

	/* mkstemp's 0600 would hide the file from node_exporter's user. */
	if (fchmod(fd, 0644)) {
		err = -errno;
		close(fd);
		goto out_unlink;
	}
	f = fdopen(fd, "w");
	if (!f) {
		err = -errno;
		close(fd);
		goto out_unlink;
	}
	a.nr = meminfo_allocstall_zones(a.zone, a.value, METRICS_ZONES);
	read_psi(m, &psi);
	err = metrics_print(m, &a, &psi, f);
	errno = 0;
	if (fclose(f) && !err)
		err = errno ? -errno : -EIO;
	if (!err)
		return 0;
out_unlink:
	unlink(tmp);
	return err;
}

int metrics_write(struct dr_metrics *m, const char *path)
{
	size_t len = strlen(path);
	char *tmp = malloc(len + sizeof(".XXXXXX"));
	int fd, err;

	if (!tmp)
		return -ENOMEM;
	err = metrics_rank(m);
	if (err)
		goto out_free;
	memcpy(tmp, path, len);
	memcpy(tmp + len, ".XXXXXX", sizeof(".XXXXXX"));
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		goto out_free;
	}
	err = write_to(m, fd, tmp);
	if (!err && rename(tmp, path)) {
		err = -errno;
		unlink(tmp);
	}
out_free:
	free(tmp);
	return err;
}
