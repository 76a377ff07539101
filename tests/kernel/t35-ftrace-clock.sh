#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The ftrace backend's clock. It keeps the instance's local trace clock
# when the CPUs' clocks agree, and turns its stamps into CLOCK_MONOTONIC
# time; DRSNOOP_FTRACE_CLOCK=mono makes it set the mono clock instead, the
# path taken where the CPUs disagree. Over one reclaim-pressure run, both
# report exactly the allocstall rise, and for the workload's stalls the
# same begin times (within 50 us) and latencies (within 5% or 20 us) as
# the BPF backend, which reads bpf_ktime_get_ns(): but for 1 stall in 20,
# for what runs between two tracers' probes is in one tracer's window only
# (see t30).

. "$(dirname "$0")/lib.sh"
require_root
require_btf
require_vmscan
command -v jq >/dev/null || fail_all "no jq (scripts/install-deps)"

hold_reclaim_lock

# window CLOCK [VAR=value]: the bpf backend and an ftrace backend over one
# workload run; two ftrace tracers at once would delay each other's stamps
# (a reader's wake-up is an IPI of 20-90 us on this VM).
window() {
	local clock=$1 n t
	shift
	# Root, BTF and the events are there: this fails, and after the
	# first window's checks, its plan shows them.
	start_drsnoop_quiet bpf_$clock --backend=bpf -j ||
		fail_all "$clock: the bpf backend did not start"
	DR_ENV="$*" start_drsnoop_quiet $clock --backend=ftrace -j ||
		not_ok "$clock: ftrace backend started"
	before=$(allocstall_total)
	run_pressure -n drsnoop-clock || not_ok "$clock: workload ran"
	sleep 0.3
	after=$(allocstall_total)
	expect_stopped bpf_$clock
	expect_stopped $clock
	rise=$((after - before))

	test_expect "$clock: the ftrace backend used the $clock trace clock" \
		"grep -q '^drsnoop: trace clock $clock' '$tmp/$clock.err'"
	for t in bpf_$clock $clock; do
		n=$(wc -l <"$tmp/$t.out")
		diag "$t: $n stalls, allocstall rose by $rise"
		test_expect "$t: stalls equal the allocstall rise ($rise)" \
			"[ $rise -gt 0 ] && [ $n -eq $rise ]"
		test_expect "$t: no lost events, no sanitizer report" \
			"! grep -q '^drsnoop: lost' '$tmp/$t.err' && clean_stderr $t"
		jq -r --argjson p "$wl_pid" 'select(.pid == $p) |
			"\(.pages) \(.begin_ns) \(.lat_ns)"' "$tmp/$t.out" >"$tmp/$t.wl"
	done
	compare bpf_$clock $clock
}

# compare BPF FTRACE: PAGES must match in order; begin times within 50 us
# and latencies within 5% or 20 us, but for 1 stall in 20.
compare() {
	local status
	test_expect "$2: the workload's stalls have the bpf backend's pages, in order" \
		"[ -s '$tmp/$1.wl' ] &&
		 cmp -s <(cut -d' ' -f1 '$tmp/$1.wl') <(cut -d' ' -f1 '$tmp/$2.wl')"
	paste -d' ' "$tmp/$1.wl" "$tmp/$2.wl" | awk '
		function abs(x) { return x < 0 ? -x : x }
		{
			db = abs($2 - $5); dl = abs($3 - $6)
			m = $3 > $6 ? $3 : $6
			if (db > maxb) maxb = db
			if (dl > maxl) maxl = dl
			if (db > 50000 || (dl > 20000 && dl > 0.05 * m)) {
				off++
				printf "# off: begin %+d ns, latency bpf %d ns, ftrace %d ns\n", $5 - $2, $3, $6
			}
		}
		END {
			printf "# %d stalls: begin times within %d ns, latencies within %d ns; %d off\n", NR, maxb, maxl, off
			exit NR == 0 || 20 * off > NR
		}' >"$tmp/$2.cmp"
	status=$?
	cat "$tmp/$2.cmp"
	test_expect "$2: begin times and latencies agree with bpf's (but for 1 stall in 20)" \
		"[ $status -eq 0 ]"
}

window local
window mono DRSNOOP_FTRACE_CLOCK=mono

done_testing
