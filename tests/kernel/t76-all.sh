#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# --all: every kind of stall the kernel can show, a one-line note for each
# it cannot. Over one window, on both backends (-j, no filter), the
# workloads of the other tests, each under its own name:
#
#   t76-wl      reclaim-pressure, then tests/helpers/fragment: direct
#               reclaim and direct compaction (t74);
#   t76-memcg   a read of a 300 MiB sparse file in a 32 MiB group: memcg
#               reclaim (t60);
#   t76-writer  four dd writers in another 32 MiB group, of cgroup v1's
#               memory controller (memcg_v1, as t73): reclaim throttled
#               on writeback (t73; 130 here: as many as a tracefs
#               instance of the test's own counts);
#   t76-high    where a backend can trace memory.high (kprobes or fentry,
#               cgroup2): a read in a group with memory.high 16 MiB (t75),
#               once the other groups are gone and the controller is
#               back on cgroup2.
#
# Each kind the kernel has shows lines of its workload; each it lacks
# (here: high, no kprobes and no fentry; throttle before 5.16) is named
# on stderr in one line "drsnoop: not tracing KIND stalls: ...", with no
# line of it, and nothing else is said to be missing. -s (both backends)
# prints its Tracing line without the kinds not traced, and its capture
# line, over the whole window with no filter, the direct and compact
# stalls seen equal to the rises of allocstall and compact_stall, with
# the psi line beside. Every drsnoop exits 0 on SIGINT and leaves no instance or
# kprobe event.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/memcg-lib.sh"
require_root
require_btf
require_vmscan
require_memcg
command -v jq >/dev/null || fail_all "jq is not installed"
FRAGMENT=$top/.output/fragment
[ -x "$FRAGMENT" ] || fail_all "tests/helpers/fragment not built (make test-build)"
T=$(tracefs_dir)

# What each backend should trace, as t74, t75 and t73 decide it.
has_compact=
[ -d "$T/events/compaction/mm_compaction_try_to_compact_pages" ] &&
	[ -e /sys/kernel/mm/transparent_hugepage/enabled ] && has_compact=1
has_throttle=
[ -d "$T/events/vmscan/mm_vmscan_throttled" ] && has_throttle=1
hf=$(high_func)
high_bpf= high_ftrace=
if [ -n "$hf" ] && [ "$MEMCG_LIMIT" = memory.max ]; then
	can_fentry "$hf" && high_bpf=1
	can_kprobe "$hf" && high_bpf=1 high_ftrace=1
fi
diag "compact ${has_compact:-no}, throttle ${has_throttle:-no}, high: bpf ${high_bpf:-no}, ftrace ${high_ftrace:-no}"

hold_reclaim_lock
if [ -n "$has_throttle" ] && ! memcg_v1; then
	diag "no cgroup v1 memory controller: the writers in a cgroup2 group"
	find_memcg
fi
make_memcg drsnoop-t76-w-$$ 32 || fail_all "cannot create a memory cgroup"
wgroup=$memcg_dir wfile=$memcg_file
wdir=/var/tmp/drsnoop-t76-$$
at_exit "rm -rf '$wdir'"
mkdir -p "$wdir" && cp /bin/dd "$wdir/t76-writer" || fail_all "cannot set up $wdir"
make_memcg drsnoop-t76-r-$$ 32 || fail_all "cannot create a memory cgroup"
rgroup=$memcg_dir rfile=$memcg_file

# The throttles as the kernel records them (t73): the writers' in one
# instance, all of them (kswapd's too: -s's count) in another.
if [ -n "$has_throttle" ]; then
	inst=$T/instances/t76-count-$$ inst_all=$T/instances/t76-all-$$
	for i in "$inst" "$inst_all"; do
		at_exit "rmdir '$i'"
		mkdir "$i" && echo 4096 >"$i/buffer_size_kb" ||
			fail_all "cannot set up tracefs instance $i"
	done
	echo 'comm == "t76-writer"' >"$inst/events/vmscan/mm_vmscan_throttled/filter" &&
		echo 1 >"$inst/events/vmscan/mm_vmscan_throttled/enable" &&
		echo 1 >"$inst_all/events/vmscan/mm_vmscan_throttled/enable" ||
		fail_all "cannot enable the instances' throttle events"
fi

for b in bpf ftrace; do
	start_drsnoop_quiet $b --backend=$b --all -j ||
		fail_all "the $b backend does not start with --all"
	start_drsnoop_quiet ${b}s --backend=$b --all -s || not_ok "$b -s started"
done

# The workloads, one after the other.
memcg_dir=$rgroup memcg_file=$rfile
memcg_read t76-memcg || not_ok "the memcg reader exited 0"
memcg_write "$wgroup" "$wdir/t76-writer" 4 300
rm -f "$wdir"/f*
if [ -n "$high_bpf" ]; then
	remove_memcg "$wgroup" "$wfile"
	remove_memcg "$rgroup" "$rfile"
	memcg_v1_release || fail_all "the memory controller did not go back to cgroup2"
	memcg_high drsnoop-t76-h-$$ 16 || fail_all "cannot create a group with memory.high"
	memcg_read t76-high || not_ok "the memory.high reader exited 0"
	diag "the memory.high group's memory.events: $(paste -sd' ' "$memcg_dir/memory.events")"
fi
# reclaim-pressure first: run after fragment, it made no direct reclaim
# on this machine's 6.18 (allocstall +0 in two make check runs; in this
# order 200, with 197 and 364 compaction attempts).
run_pressure -n t76-wl || not_ok "reclaim-pressure exited 0"
avail=$(awk '$1 == "MemAvailable:" { print int($2 / 1024) }' /proc/meminfo)
frag=$((avail - 200))
[ $frag -le 2048 ] || frag=2048
"$FRAGMENT" t76-wl $frag $((frag / 2)) 30 >/dev/null || not_ok "fragment exited 0"
sleep 0.5

throttles=0
if [ -n "$has_throttle" ]; then
	echo 0 >"$inst/tracing_on"
	echo 0 >"$inst_all/tracing_on"
	throttles=$(grep -c 'mm_vmscan_throttled:' "$inst/trace")
	diag "the instances counted $throttles throttles of the writers," \
		"$(grep -c 'mm_vmscan_throttled:' "$inst_all/trace") in all"
fi

pids=()
for d in bpf ftrace bpfs ftraces; do
	pids+=("$(eval echo "\$$(pid_var $d)")")
	expect_stopped $d
done

# lines B KIND COMM: how many KIND lines of COMM B's -j output has.
lines() {
	jq -r --arg k "$2" --arg c "$3" \
		'select(.kind == $k and .comm == $c) | .tid' "$tmp/$1.out" | wc -l
}

# shows B KIND COMM WHETHER: B has KIND lines of COMM, and no note for
# KIND (WHETHER set), or none and one note (WHETHER empty).
shows() {
	local n
	n=$(lines "$1" "$2" "$3")
	if [ -n "$4" ]; then
		test_expect "$1: $n $2 stalls of $3" \
			"[ $n -gt 0 ] && ! grep -q '^drsnoop: not tracing $2 ' '$tmp/$1.err'"
	else
		test_expect "$1: no $2 line, one note that says so" \
			"! jq -e -s 'any(.[]; .kind == \"$2\")' '$tmp/$1.out' >/dev/null &&
			 [ \$(grep -c '^drsnoop: not tracing $2 stalls: ' '$tmp/$1.err') -eq 1 ]"
	fi
}

for b in bpf ftrace; do
	grep '^drsnoop: not tracing' "$tmp/$b.err" | sed "s/^/# $b: /"
	shows $b direct t76-wl 1
	shows $b memcg t76-memcg 1
	shows $b compact t76-wl "$has_compact"
	if [ -n "$has_throttle" ]; then
		n=$(lines $b throttle t76-writer)
		test_expect "$b: $n throttle stalls of t76-writer, as many as the kernel's ($throttles)" \
			"[ $n -eq $throttles ] && ! grep -q '^drsnoop: not tracing throttle ' '$tmp/$b.err'"
	else
		shows $b throttle t76-writer ""
	fi
	eval "h=\$high_$b"
	shows $b high t76-high "$h"
	want=$(( !has_compact + !has_throttle + !h ))
	test_expect "$b: $want notes, no other complaint" \
		"[ \$(grep -c '^drsnoop: not tracing' '$tmp/$b.err') -eq $want ] &&
		 ! grep -q '^drsnoop: lost' '$tmp/$b.err'"
done

for b in bpf ftrace; do
	tracing=$(grep '^Tracing' "$tmp/${b}s.err")
	diag "$b -s: $tracing"
	eval "h=\$high_$b"
	if [ -n "$h" ]; then
		test_expect "$b -s: the Tracing line names high" "grep -q 'high' <<<'$tracing'"
	else
		test_expect "$b -s: the Tracing line names direct, not high" \
			"grep -q direct <<<'$tracing' && ! grep -q high <<<'$tracing'"
	fi

	# The whole window is -s's, unfiltered: each kind with a kernel
	# count of its own equals it, and PSI stands beside them.
	capture=$(grep '^capture:' "$tmp/${b}s.out")
	diag "$b -s: $capture"
	diag "$b -s: $(grep '^psi:' "$tmp/${b}s.out")"
	n=$(sed -nE 's/^capture: ([0-9]+) direct.*/\1/p' <<<"$capture")
	r=$(sed -nE 's/.*allocstall rose by ([0-9]+);.*/\1/p' <<<"$capture")
	test_expect "$b -s: direct stalls seen ($n) = the allocstall rise ($r)" \
		"[ -n '$n' ] && [ '$n' = '$r' ]"
	if [ -n "$has_compact" ]; then
		n=$(sed -nE 's/.* ([0-9]+) compact[, ].*/\1/p' <<<"$capture")
		r=$(sed -nE 's/.*compact_stall rose by ([0-9]+) .*/\1/p' <<<"$capture")
		test_expect "$b -s: compact stalls seen ($n) = the compact_stall rise ($r)" \
			"[ -n '$n' ] && [ '$n' = '$r' ]"
	fi
	test_expect "$b -s: the psi line beside it" "grep -q '^psi: stalls shown' '$tmp/${b}s.out'"
done

test_expect "no instance or kprobe event of drsnoop left" "no_drsnoop_left ${pids[*]}"

done_testing
