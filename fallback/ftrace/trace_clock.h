/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_TRACE_CLOCK_H
#define DRSNOOP_TRACE_CLOCK_H

#include <stdint.h>

/*
 * A tracefs instance's trace clock related to CLOCK_MONOTONIC, the clock
 * of bpf_ktime_get_ns(), so that both live backends report the same times.
 */
struct trace_clock {
	int stats_fd; /* the instance's per_cpu/cpuN/stats; -1 when mono */
	int64_t offset; /* CLOCK_MONOTONIC minus the trace clock, ns */
	uint64_t measured_ns; /* CLOCK_MONOTONIC, when offset was measured */
};

/* The instance's clock is mono: stamps are CLOCK_MONOTONIC already. */
void trace_clock_init_mono(struct trace_clock *c);

/* The instance's trace clock, as trace_clock names it: mono or local. */
static inline const char *trace_clock_name(const struct trace_clock *c)
{
	return c->stats_fd < 0 ? "mono" : "local";
}

/*
 * The offset of the instance's local clock, read through stats_fd (which
 * c then owns) on each of cpus[] in turn. Fails with -EXDEV when the CPUs'
 * clocks are more than max_skew_ns apart; *skew_ns tells by how much.
 */
int trace_clock_sync(struct trace_clock *c, int stats_fd, const int *cpus,
		     int nr_cpus, uint64_t max_skew_ns, uint64_t *skew_ns);

/* Measure the offset again, on this CPU, if it is older than a second. */
int trace_clock_renew(struct trace_clock *c, uint64_t mono_now);

static inline uint64_t trace_clock_to_mono(const struct trace_clock *c,
					   uint64_t ts)
{
	return ts + c->offset;
}

static inline uint64_t trace_clock_from_mono(const struct trace_clock *c,
					     uint64_t mono)
{
	return mono - c->offset;
}

void trace_clock_free(struct trace_clock *c);

uint64_t mono_ns(void);

#endif /* DRSNOOP_TRACE_CLOCK_H */
