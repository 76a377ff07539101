#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# With no filter, drsnoop reports exactly as many direct reclaims as the
# kernel's allocstall_* counters rose over the same window, in each BPF
# attach mode and with either event buffer.

. "$(dirname "$0")/lib.sh"
require_root
require_btf
require_vmscan

# Nothing of ours may reclaim inside the window but the workload.
hold_reclaim_lock

# count_window NAME ENV...: drsnoop (with ENV) around one workload run.
count_window() {
	local name=$1 before after reported ran=1
	shift
	if ! DR_ENV="$*" start_drsnoop "$name" --backend=bpf; then
		not_ok "$name: drsnoop started"
		return
	fi
	before=$(allocstall_total)
	run_pressure -n drsnoop-wl || ran=
	sleep 0.3
	after=$(allocstall_total)
	expect_stopped "$name"
	[ -n "$ran" ] || { not_ok "$name: workload ran"; return; }
	reported=$(stalls "$name" | wc -l)
	diag "$name: allocstall rose by $((after - before)), drsnoop reported $reported"
	if [ $((after - before)) -gt 0 ] && [ "$reported" -eq $((after - before)) ]; then
		ok "$name: reported stalls equal the allocstall rise ($reported)"
	else
		not_ok "$name: reported $reported stalls, allocstall rose by $((after - before))"
	fi
	test_expect "$name: no lost events" "! grep -q lost '$tmp/$name.err'"
}

count_window tp_btf DRSNOOP_BPF_ATTACH=tp_btf
count_window raw_tp DRSNOOP_BPF_ATTACH=raw_tp
count_window raw_tp-compat DRSNOOP_BPF_ATTACH=raw_tp-compat
count_window tracepoint DRSNOOP_BPF_ATTACH=tracepoint
count_window perfbuf DRSNOOP_BPF_BUFFER=perf

done_testing
