#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The default programs' begin slots (raw_tp mode): arrays by tid's low
# bits, claimed atomically, one for begins and one for -K's stack
# records, whose taken slots send a begin or a record to the hash by tid.
# With a single slot (DRSNOOP_BPF_SLOTS=1) every stall that begins while
# another thread is in reclaim takes the hashes; over one window of many
# stalling threads (reclaim-pressure -j 64), that drsnoop, the same with
# -K, and one with the default slots must each report exactly the
# allocstall rise and the same stalls, each of -K's with its kernel
# stack, and some stalls must have overlapped another thread's (else the
# hashes were not used, and the window is tried again).

. "$(dirname "$0")/lib.sh"
require_root
hold_reclaim_lock

# BPF atomics (the slots' compare-and-swap) came in Linux 5.12.
kernel_before 5.12 && skip_all "the kernel has no BPF atomics (before 5.12)"
require_btf

# Stalls of NAME's -j output that began while another thread's stall was
# open.
overlapping() {
	jq -r '[.begin_ns, .end_ns, .tid] | @tsv' "$tmp/$1.out" | sort -n |
		awk '{ for (i in end) if (end[i] > $1 && tid[i] != $3) {
				n++; break }
			end[NR] = $2; tid[NR] = $3 }
		END { print n + 0 }'
}

# stalls_of NAME: each stall's tid and pages, sorted.
stalls_of() {
	jq -r '"\(.tid) \(.pages)"' "$tmp/$1.out" | sort
}

for attempt in 1 2; do
	DR_ENV="DRSNOOP_BPF_ATTACH=raw_tp DRSNOOP_BPF_SLOTS=1" \
		start_drsnoop_quiet one --backend=bpf -j ||
		fail_all "drsnoop with one begin slot does not start"
	DR_ENV="DRSNOOP_BPF_ATTACH=raw_tp DRSNOOP_BPF_SLOTS=1" \
		start_drsnoop_quiet oneK --backend=bpf -j -K ||
		fail_all "drsnoop -K with one slot does not start"
	DR_ENV="DRSNOOP_BPF_ATTACH=raw_tp" start_drsnoop_quiet all \
		--backend=bpf -j || fail_all "drsnoop does not start"
	test_expect "one slot: attached as raw_tp" \
		"grep -q '^drsnoop: attached as raw_tp,' '$tmp/one.err'"
	before=$(allocstall_total)
	DRSNOOP_PRESSURE_STALLS=400 run_pressure -n drsnoop-slots -j 64 ||
		not_ok "workload ran"
	sleep 0.3
	after=$(allocstall_total)
	expect_stopped one
	expect_stopped oneK
	expect_stopped all
	# -j prints no header: every line is a stall.
	for n in one oneK all; do
		c=$(wc -l <"$tmp/$n.out")
		diag "$n: $c stalls, allocstall rose by $((after - before))"
		test_expect "$n: stalls equal the allocstall rise" \
			"[ $c -gt 0 ] && [ $c -eq $((after - before)) ]"
		test_expect "$n: no lost events" \
			"! grep -q '^drsnoop: lost ' '$tmp/$n.err'"
	done
	test_expect "one slot: the same stalls (tid, pages) as the default slots" \
		"diff <(stalls_of one) <(stalls_of all) >/dev/null"
	test_expect "one slot, -K: the same stalls as the default slots" \
		"diff <(stalls_of oneK) <(stalls_of all) >/dev/null"
	diag "oneK: $(jq -c 'select(.kstack | length == 0)' "$tmp/oneK.out" | wc -l) stalls without a kernel stack"
	test_expect "one slot, -K: each stall with its kernel stack" \
		"[ \$(jq -c 'select(.kstack | length > 0)' '$tmp/oneK.out' | wc -l) = \$(wc -l <'$tmp/oneK.out') ]"
	n=$(overlapping all)
	diag "attempt $attempt: $n stalls began while another thread was in reclaim"
	[ "$n" -gt 0 ] && break
done
test_expect "one slot: stalls that overlapped another thread's took the hash" \
	"[ $n -gt 0 ]"
done_testing
