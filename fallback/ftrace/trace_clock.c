// SPDX-License-Identifier: GPL-2.0
/*
 * The ftrace backend keeps the instance's default trace clock, local
 * (sched_clock): setting another resets the buffer, which waits for two
 * RCU grace periods, 20-40 ms here and most of the backend's start-up.
 * The local clock is read on each CPU, and is only good for the latency
 * of a stall that migrates if the CPUs' clocks agree. A CPU's stats file
 * prints the trace clock's "now ts" as read on the CPU that reads the
 * file, so reading it from each CPU in turn, between two CLOCK_MONOTONIC
 * reads, gives each CPU's offset: when they agree, one offset turns the
 * stamps into CLOCK_MONOTONIC time; when they do not, the caller sets the
 * mono clock after all.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "trace_clock.h"

#define NSEC_PER_SEC   1000000000ULL
#define RENEW_NS       NSEC_PER_SEC /* the two clocks drift apart (NTP) */
#define MAX_READS      5 /* per CPU; the narrowest window is kept */
#define GOOD_WINDOW_NS 10000 /* a read this short needs no retry */

uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

struct clock_reading {
	int64_t offset;
	uint64_t window; /* ns between the two CLOCK_MONOTONIC reads */
	uint64_t at;
};

static int read_once(int fd, struct clock_reading *r)
{
	unsigned long long sec, usec;
	uint64_t before, after;
	char buf[512], *p;
	ssize_t n;

	before = mono_ns();
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	after = mono_ns();
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	p = strstr(buf, "now ts:");
	if (!p || sscanf(p, "now ts: %llu.%llu", &sec, &usec) != 2)
		return -EINVAL;
	/* The read's midpoint, against the middle of the microsecond. */
	r->offset = (int64_t)((before + after) / 2) -
		    (int64_t)(sec * NSEC_PER_SEC + usec * 1000 + 500);
	r->window = after - before;
	r->at = after;
	return 0;
}

/* The reading with the narrowest window: the least disturbed. */
static int read_best(int fd, struct clock_reading *best)
{
	struct clock_reading r;
	int i, err;

	best->window = UINT64_MAX;
	for (i = 0; i < MAX_READS && best->window > GOOD_WINDOW_NS; i++) {
		err = read_once(fd, &r);
		if (err)
			return err;
		if (r.window < best->window)
			*best = r;
	}
	return 0;
}

void trace_clock_init_mono(struct trace_clock *c)
{
	*c = (struct trace_clock){ .stats_fd = -1 };
}

/* An offline CPU records nothing; any other must be measured. */
static bool cpu_offline(int cpu)
{
	char path[64], state = '1';
	FILE *f;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online",
		 cpu);
	f = fopen(path, "re");
	if (!f)
		return false;
	if (fread(&state, 1, 1, f) != 1)
		state = '1';
	fclose(f);
	return state == '0';
}

static int pin_to(int cpu, cpu_set_t *set, size_t size)
{
	CPU_ZERO_S(size, set);
	CPU_SET_S(cpu, size, set);
	return sched_setaffinity(0, size, set) ? -errno : 0;
}

/* Each CPU's offset: the lowest and highest, and the best reading. */
static int read_cpus(int fd, const int *cpus, int nr_cpus, cpu_set_t *set,
		     size_t size, struct clock_reading *best, uint64_t *skew)
{
	int64_t lo = INT64_MAX, hi = INT64_MIN;
	struct clock_reading r;
	int i, err = 0;

	best->window = UINT64_MAX;
	for (i = 0; i < nr_cpus && !err; i++) {
		err = pin_to(cpus[i], set, size);
		if (err == -EINVAL && cpu_offline(cpus[i])) {
			err = 0;
			continue;
		}
		if (!err)
			err = read_best(fd, &r);
		if (err)
			break;
		lo = r.offset < lo ? r.offset : lo;
		hi = r.offset > hi ? r.offset : hi;
		if (r.window < best->window)
			*best = r;
	}
	*skew = hi >= lo ? (uint64_t)(hi - lo) : 0;
	if (!err && best->window == UINT64_MAX)
		err = -ENODEV;
	return err;
}

int trace_clock_sync(struct trace_clock *c, int stats_fd, const int *cpus,
		     int nr_cpus, uint64_t max_skew_ns, uint64_t *skew_ns)
{
	long nr_conf = sysconf(_SC_NPROCESSORS_CONF);
	int i, max_cpu = nr_conf > 0 ? nr_conf - 1 : 0, err;
	struct clock_reading best = { 0 };
	cpu_set_t *old, *set;
	size_t size;

	*c = (struct trace_clock){ .stats_fd = stats_fd };
	for (i = 0; i < nr_cpus; i++)
		max_cpu = cpus[i] > max_cpu ? cpus[i] : max_cpu;
	size = CPU_ALLOC_SIZE(max_cpu + 1);
	old = CPU_ALLOC(max_cpu + 1);
	set = CPU_ALLOC(max_cpu + 1);
	if (!old || !set)
		err = -ENOMEM;
	else if (sched_getaffinity(0, size, old))
		err = -errno;
	else {
		err = read_cpus(stats_fd, cpus, nr_cpus, set, size, &best,
				skew_ns);
		/* Where we were allowed to run before: always allowed. */
		sched_setaffinity(0, size, old);
	}
	CPU_FREE(old);
	CPU_FREE(set);
	if (err)
		return err;
	if (*skew_ns > max_skew_ns)
		return -EXDEV;
	c->offset = best.offset;
	c->measured_ns = best.at;
	return 0;
}

int trace_clock_renew(struct trace_clock *c, uint64_t mono_now)
{
	struct clock_reading r;
	int err;

	if (c->stats_fd < 0 || mono_now - c->measured_ns < RENEW_NS)
		return 0;
	err = read_best(c->stats_fd, &r);
	if (err)
		return err;
	c->offset = r.offset;
	c->measured_ns = r.at;
	return 0;
}

void trace_clock_free(struct trace_clock *c)
{
	if (c->stats_fd >= 0)
		close(c->stats_fd);
	c->stats_fd = -1;
}
