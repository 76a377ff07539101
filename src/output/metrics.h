/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_METRICS_H
#define DRSNOOP_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "src/lib/event.h"
#include "src/sys/psi.h"

#define METRICS_BUCKETS	    16 /* finite le bounds; +Inf is one more */
#define METRICS_KINDS	    DR_NR_KINDS
#define METRICS_TOP_CGROUPS 10 /* cgroups with a series of their own */
#define METRICS_MAX_CGROUPS 4096 /* cgroups remembered for the ranking */
#define METRICS_ZONES	    8 /* allocstall_<zone> lines of /proc/vmstat */

/* The stalls of one label set and kind: Prometheus's histogram and more. */
struct metrics_hist {
	uint64_t bucket[METRICS_BUCKETS + 1]; /* per bound, not cumulative */
	uint64_t count;
	uint64_t sum_ns;
	uint64_t pages;
};

/*
 * One value of the cgroup label (or none): a histogram per kind, and the
 * throttles nested in each kind of reclaim (DR_NESTED), whose time is in
 * that reclaim's histogram and so not in throttle's.
 */
struct metrics_series {
	struct metrics_hist kind[METRICS_KINDS];
	struct metrics_hist throttled_in[METRICS_KINDS];
	char *cgroup; /* the label; NULL when free or unlabelled */
};

/* A cgroup met in a stall: its path and stall time rank it. */
struct metrics_cgroup {
	uint64_t id;
	uint64_t total_ns;
	char *path; /* "unknown" when the path could not be found */
	int slot; /* its series in top[], or -1: "other" */
};

/* The kernel's direct reclaim counters, by zone, since boot. */
struct metrics_allocstall {
	char zone[METRICS_ZONES][16];
	uint64_t value[METRICS_ZONES];
	unsigned int nr;
};

/* Memory PSI's totals when the metrics are written. */
struct metrics_psi {
	struct psi_totals system; /* /proc/pressure/memory */
	int err; /* system's read: 0 or -errno */
	char why[PSI_WHY_LEN]; /* with err */
	struct psi_totals top[METRICS_TOP_CGROUPS]; /* top[i]'s cgroup's */
	bool has_top[METRICS_TOP_CGROUPS]; /* its memory.pressure was read */
	const char *no_cgroups; /* by cgroup: why none can be read, or NULL */
};

/*
 * Counters since drsnoop started: never reset, so that Prometheus's
 * rate() works across writes. By cgroup, the METRICS_TOP_CGROUPS cgroups
 * (by path) with the most stall time have their own series and the rest
 * add up under cgroup="other". A cgroup's series counts from when it
 * entered the top; when it leaves, its counts move into "other", which
 * so only ever grows.
 */
struct dr_metrics {
	bool by_cgroup;
	unsigned int kinds; /* kinds traced: DR_KIND_BIT()s */
	unsigned int page_bytes;
	uint64_t lost; /* stalls lost, set by the pipeline before a write */
	struct metrics_series rest; /* everything, or cgroup="other" */
	struct metrics_series top[METRICS_TOP_CGROUPS];
	struct metrics_cgroup *cgroups;
	size_t nr;
	uint32_t *index; /* open addressing by id: 1 + cgroups index */
	size_t cap; /* slots of index, a power of two; cgroups holds cap/2 */
	/* The path of cgroup id, or NULL; called once per new cgroup. */
	const char *(*cgroup_path)(void *ctx, uint64_t id);
	void *ctx;
	/* By cgroup: where the paths' memory.pressure are; NULL in cgroup v1 */
	const char *cgroup_mount;
};

void metrics_init(struct dr_metrics *m, bool by_cgroup, unsigned int kinds,
		  unsigned int page_bytes);
void metrics_free(struct dr_metrics *m);

/* Count a stall that passed the filters. Returns 0 or -ENOMEM. */
int metrics_add(struct dr_metrics *m, const struct dr_event *e);

/* Choose the cgroups with series of their own. Returns 0 or -ENOMEM. */
int metrics_rank(struct dr_metrics *m);

/* The text exposition format. Returns 0 or -errno. */
int metrics_print(const struct dr_metrics *m,
		  const struct metrics_allocstall *a,
		  const struct metrics_psi *psi, FILE *f);

/*
 * Rank, then replace path with the metrics and the kernel's counters
 * now, atomically: written to a temporary file beside it (which
 * node_exporter's textfile collector ignores: it reads *.prom) and
 * renamed over it. Returns 0 or -errno.
 */
int metrics_write(struct dr_metrics *m, const char *path);

#endif /* DRSNOOP_METRICS_H */
