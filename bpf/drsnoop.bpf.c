// SPDX-License-Identifier: GPL-2.0
/*
 * The CO-RE programs, for -v, --memcg, --throttle and --cgroup, and for
 * kernels where
 * drsnoop_fast.bpf.c's cannot run: tp_btf, raw_tp with a hash by tid
 * (kernels without raw_tp task storage), and classic tracepoints.
 */
#include "drsnoop.bpf.h"

SEC("tp_btf/mm_vmscan_direct_reclaim_begin")
int direct_begin_btf(unsigned long long *ctx)
{
	return begin_args(IN_TASK | CORE, ctx);
}

SEC("tp_btf/mm_vmscan_direct_reclaim_end")
int direct_end_btf(unsigned long long *ctx)
{
	return on_end(IN_TASK | CORE, ctx, ctx[0]);
}

SEC("raw_tp/mm_vmscan_direct_reclaim_begin")
int direct_begin_raw(unsigned long long *ctx)
{
	return begin_args(CORE, ctx);
}

SEC("raw_tp/mm_vmscan_direct_reclaim_end")
int direct_end_raw(unsigned long long *ctx)
{
	return on_end(CORE, ctx, ctx[0]);
}

/*
 * A classic tracepoint program's return value says whether the event goes
 * on to the tracepoint's perf events: 0 would hide it from every perf user
 * of the tracepoint (perf record -e vmscan:...) while drsnoop runs.
 */
#define TP_PASS_ON 1

SEC("tracepoint/vmscan/mm_vmscan_direct_reclaim_begin")
int direct_begin_tp(
	struct trace_event_raw_mm_vmscan_direct_reclaim_begin_template *ctx)
{
	on_begin(CORE, ctx, DRSNOOP_KIND_DIRECT, ctx->order, ctx->gfp_flags);
	return TP_PASS_ON;
}

SEC("tracepoint/vmscan/mm_vmscan_direct_reclaim_end")
int direct_end_tp(
	struct trace_event_raw_mm_vmscan_direct_reclaim_end_template *ctx)
{
	on_end(CORE, ctx, ctx->nr_reclaimed);
	return TP_PASS_ON;
}

/*
 * --memcg: reclaim at a memory cgroup's limit and soft limit. The events
 * share direct reclaim's templates; these programs load only with --memcg.
 */
SEC("tp_btf/mm_vmscan_memcg_reclaim_begin")
int memcg_begin_btf(unsigned long long *ctx)
{
	return begin_kind_args(IN_TASK | CORE, DRSNOOP_KIND_MEMCG, ctx);
}

SEC("tp_btf/mm_vmscan_memcg_reclaim_end")
int memcg_end_btf(unsigned long long *ctx)
{
	return on_end(IN_TASK | CORE, ctx, ctx[0]);
}

SEC("tp_btf/mm_vmscan_memcg_softlimit_reclaim_begin")
int softlimit_begin_btf(unsigned long long *ctx)
{
	return begin_kind_args(IN_TASK | CORE, DRSNOOP_KIND_SOFTLIMIT, ctx);
}

SEC("tp_btf/mm_vmscan_memcg_softlimit_reclaim_end")
int softlimit_end_btf(unsigned long long *ctx)
{
	return on_end(IN_TASK | CORE, ctx, ctx[0]);
}

SEC("raw_tp/mm_vmscan_memcg_reclaim_begin")
int memcg_begin_raw(unsigned long long *ctx)
{
	return begin_kind_args(CORE, DRSNOOP_KIND_MEMCG, ctx);
}

SEC("raw_tp/mm_vmscan_memcg_reclaim_end")
int memcg_end_raw(unsigned long long *ctx)
{
	return on_end(CORE, ctx, ctx[0]);
}

SEC("raw_tp/mm_vmscan_memcg_softlimit_reclaim_begin")
int softlimit_begin_raw(unsigned long long *ctx)
{
	return begin_kind_args(CORE, DRSNOOP_KIND_SOFTLIMIT, ctx);
}

SEC("raw_tp/mm_vmscan_memcg_softlimit_reclaim_end")
int softlimit_end_raw(unsigned long long *ctx)
{
	return on_end(CORE, ctx, ctx[0]);
}

SEC("tracepoint/vmscan/mm_vmscan_memcg_reclaim_begin")
int memcg_begin_tp(
	struct trace_event_raw_mm_vmscan_direct_reclaim_begin_template *ctx)
{
	on_begin(CORE, ctx, DRSNOOP_KIND_MEMCG, ctx->order, ctx->gfp_flags);
	return TP_PASS_ON;
}

SEC("tracepoint/vmscan/mm_vmscan_memcg_reclaim_end")
int memcg_end_tp(
	struct trace_event_raw_mm_vmscan_direct_reclaim_end_template *ctx)
{
	on_end(CORE, ctx, ctx->nr_reclaimed);
	return TP_PASS_ON;
}

SEC("tracepoint/vmscan/mm_vmscan_memcg_softlimit_reclaim_begin")
int softlimit_begin_tp(
	struct trace_event_raw_mm_vmscan_direct_reclaim_begin_template *ctx)
{
	on_begin(CORE, ctx, DRSNOOP_KIND_SOFTLIMIT, ctx->order, ctx->gfp_flags);
	return TP_PASS_ON;
}

SEC("tracepoint/vmscan/mm_vmscan_memcg_softlimit_reclaim_end")
int softlimit_end_tp(
	struct trace_event_raw_mm_vmscan_direct_reclaim_end_template *ctx)
{
	on_end(CORE, ctx, ctx->nr_reclaimed);
	return TP_PASS_ON;
}

/*
 * --throttle: reclaim_throttle()'s sleeps, Linux 5.16 and later; these
 * programs load only with --throttle. Arguments: nid, usec_timeout,
 * usec_delayed, reason (the enum: the record holds its bit).
 */
SEC("tp_btf/mm_vmscan_throttled")
int throttle_btf(unsigned long long *ctx)
{
	return on_throttle(IN_TASK | CORE, ctx, ctx[2], reason_bit(ctx[3]));
}

SEC("raw_tp/mm_vmscan_throttled")
int throttle_raw(unsigned long long *ctx)
{
	return on_throttle(CORE, ctx, ctx[2], reason_bit(ctx[3]));
}

SEC("tracepoint/vmscan/mm_vmscan_throttled")
int throttle_tp(struct trace_event_raw_mm_vmscan_throttled *ctx)
{
	on_throttle(CORE, ctx, ctx->usec_delayed, ctx->reason);
	return TP_PASS_ON;
}

char LICENSE[] SEC("license") = "GPL";
