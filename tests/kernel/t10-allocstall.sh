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

for mode in tp_btf raw_tp raw_tp-compat tracepoint raw_tp-nobtf; do
	DR_ENV=DRSNOOP_BPF_ATTACH=$mode count_window $mode --backend=bpf
done
DR_ENV=DRSNOOP_BPF_BUFFER=perf count_window perfbuf --backend=bpf

done_testing
