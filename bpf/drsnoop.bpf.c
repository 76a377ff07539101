// SPDX-License-Identifier: GPL-2.0
/*
 * The CO-RE programs, for -v, --memcg, --throttle, --compaction, --high
 * and --cgroup, and for kernels where
 * drsnoop_fast.bpf.c's cannot run: tp_btf, raw_tp with a hash by tid
 * (kernels without raw_tp task storage), and classic tracepoints.
 */
#define DRSNOOP_STALL_KINDS 1
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

/*
 * --compaction, exact: __alloc_pages_direct_compact(gfp_mask, order,
 * alloc_flags, ac, prio, compact_result), returning the page or NULL.
 * These and the programs below load in every attach mode, as user space
 * chooses (fentry, else kprobe, else the tracepoints).
 */
SEC("fentry/__alloc_pages_direct_compact")
int compact_enter_fentry(unsigned long long *ctx)
{
	return compact_enter(ctx[1], ctx[0], 0);
}

/*
 * The verifier of 6.1 refuses to load compact_result, a pointer to an
 * enum, from the context ("arg5 type ENUM is not a struct"): read the
 * slot instead, as memory.
 */
SEC("fexit/__alloc_pages_direct_compact")
int compact_exit_fexit(unsigned long long *ctx)
{
	__u64 result_ptr = 0;

	bpf_probe_read_kernel(&result_ptr, sizeof(result_ptr), &ctx[5]);
	return compact_exit(ctx, result_ptr, ctx[6] != 0);
}

SEC("kprobe/__alloc_pages_direct_compact")
int compact_enter_kprobe(struct pt_regs *ctx)
{
	return compact_enter(KPROBE_ARG2(ctx), KPROBE_ARG1(ctx),
			     KPROBE_ARG6(ctx));
}

SEC("kretprobe/__alloc_pages_direct_compact")
int compact_exit_kretprobe(struct pt_regs *ctx)
{
	return compact_exit(ctx, 0, KPROBE_RET(ctx) != 0);
}

/*
 * --compaction where the kernel has neither: the tracepoints, classic
 * ones in every attach mode, whose records (unlike mm_compaction_begin's
 * and _end's arguments) are the same from 4.x to 6.18.
 */
SEC("tracepoint/compaction/mm_compaction_try_to_compact_pages")
int compact_try_tpc(
	struct trace_event_raw_mm_compaction_try_to_compact_pages *ctx)
{
	compact_try(ctx, ctx->order, ctx->gfp_mask);
	return TP_PASS_ON;
}

SEC("tracepoint/compaction/mm_compaction_suitable")
int compact_suitable_tpc(
	struct trace_event_raw_mm_compaction_suitable_template *ctx)
{
	compact_zone(ctx, DRSNOOP_ZONE_SUITABLE, ctx->ret);
	return TP_PASS_ON;
}

SEC("tracepoint/compaction/mm_compaction_deferred")
int compact_deferred_tpc(void *ctx)
{
	compact_zone(ctx, DRSNOOP_ZONE_DEFERRED, 0);
	return TP_PASS_ON;
}

SEC("tracepoint/compaction/mm_compaction_begin")
int compact_begin_tpc(void *ctx)
{
	compact_zone(ctx, DRSNOOP_ZONE_BEGIN, 0);
	return TP_PASS_ON;
}

SEC("tracepoint/compaction/mm_compaction_end")
int compact_end_tpc(struct trace_event_raw_mm_compaction_end *ctx)
{
	compact_zone(ctx, DRSNOOP_ZONE_END, ctx->status);
	return TP_PASS_ON;
}

/*
 * The exact hooks' count of background zone compactions: those begun
 * outside direct compaction (kcompactd, proactive compaction,
 * compact_memory writes).
 */
SEC("tracepoint/compaction/mm_compaction_begin")
int compact_background_exact(void *ctx)
{
	if (!in_direct_compaction())
		count_background();
	return TP_PASS_ON;
}

/* A zone's success, the only sign of one whose watermark was met at once. */
SEC("tracepoint/compaction/mm_compaction_defer_reset")
int compact_defer_reset_tpc(void *ctx)
{
	compact_zone(ctx, DRSNOOP_ZONE_DEFER_RESET, 0);
	return TP_PASS_ON;
}

/*
 * --high: mem_cgroup_handle_over_high(), __mem_cgroup_handle_over_high()
 * since 6.10; user space sets the name it finds.
 */
SEC("fentry/mem_cgroup_handle_over_high")
int high_enter_fentry(unsigned long long *ctx)
{
	return high_enter();
}

SEC("fexit/mem_cgroup_handle_over_high")
int high_exit_fexit(unsigned long long *ctx)
{
	return high_exit(ctx);
}

SEC("kprobe")
int high_enter_kprobe(struct pt_regs *ctx)
{
	return high_enter();
}

SEC("kretprobe")
int high_exit_kretprobe(struct pt_regs *ctx)
{
	return high_exit(ctx);
}

char LICENSE[] SEC("license") = "GPL";
