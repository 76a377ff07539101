#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# -s over one reclaim-pressure run, with the reclaim lock held so that the
# allocstall counters move for this workload alone. One drsnoop prints
# JSON lines and the JSON summary (-s --lines -j): each process's totals
# are exactly the sums of its lines, the histogram adds up to the stall
# count, and the capture line's allocstall rise is /proc/vmstat's. A text
# -s beside it shows the same counts in biolatency's layout.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/memcg-lib.sh"
require_root
require_btf
require_vmscan
command -v jq >/dev/null || fail_all "no jq (scripts/install-deps)"

hold_reclaim_lock
before=$(allocstall_total)
start_drsnoop_quiet js --backend=bpf -s --lines -j || fail_all "the bpf backend does not start"
start_drsnoop_quiet ts --backend=ftrace -s || not_ok "ftrace -s started"
run_pressure -n drsnoop-sum || not_ok "workload ran"
sleep 0.3
expect_stopped js
expect_stopped ts
after=$(allocstall_total)
rise=$((after - before))

j=$tmp/js.out
n=$(jq -s 'map(select(has("summary") | not)) | length' "$j")
diag "$n stall lines; allocstall rose by $rise"
test_expect "the summary is the one last line, after $n stall lines" \
	"[ $n -gt 0 ] && tail -1 '$j' | jq -e '.summary' >/dev/null &&
	 [ \$(grep -c '\"summary\"' '$j') -eq 1 ]"
test_expect "per-process totals equal the sums of the lines" \
	"jq -se '
		(map(select(has(\"summary\") | not)) | group_by([.comm, .pid]) |
		 map({comm: .[0].comm, pid: .[0].pid, stalls: length,
		      total_ns: (map(.lat_ns) | add), max_ns: (map(.lat_ns) | max),
		      pages: (map(.pages) | add)}) | sort_by(.comm, .pid)) ==
		(last.summary.processes | map(del(.avg_ns)) | sort_by(.comm, .pid))
	' '$j' >/dev/null"
test_expect "rows sorted by total stall time" \
	"tail -1 '$j' | jq -e '.summary.processes | map(.total_ns) | . == (sort | reverse)' >/dev/null"
test_expect "the histogram counts add up to the stalls" \
	"tail -1 '$j' | jq -e '.summary | (.histogram.slots | map(.count) | add) == .stalls and .stalls == $n' >/dev/null"
test_expect "the capture line: stalls seen = allocstall rise = /proc/vmstat's ($rise)" \
	"tail -1 '$j' | jq -e '.summary.capture | .direct == $n and .allocstall_rise == $rise and .lost == 0' >/dev/null"

t=$tmp/ts.out
diag "$(grep '^capture:' "$t")"
test_expect "text: the capture line says the same" \
	"grep -qx 'capture: $rise direct, 0 memcg, 0 softlimit stalls seen; allocstall rose by $rise; 0 stalls lost' '$t'"
test_expect "text: table stalls and histogram counts add up to $rise" \
	"[ \$(awk '/^COMM/ { t = 1; next } /^\$/ { t = 0 } t { n += \$3 } END { print n + 0 }' '$t') -eq $rise ] &&
	 [ \$(awk -F'[:|]' '/ -> / { n += \$2 } END { print n + 0 }' '$t') -eq $rise ]"
test_expect "text: no per-stall lines without --lines" \
	"! grep -q '^COMM .*LAT(ms)' '$t'"
done_testing
