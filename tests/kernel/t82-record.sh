#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# --record FILE.dat on the ftrace backend, during real reclaim with no
# filter: the live run reports as many stalls as allocstall rose; the
# trace.dat it wrote shows each of them through the plugin in 'trace-cmd
# report'; KernelShark's library (libkshark, tests/helpers/kshark-count)
# loads a begin and an end entry for each, and a stack entry each with
# -K; and drsnoop -i of it prints the live run's lines (its PID
# column aside: a recording names threads, not processes), with -K
# their kernel stacks too. No FILE.dat.cpuN is left behind, on success
# or on a failed start.

. "$(dirname "$0")/lib.sh"
require_root
require_vmscan
command -v trace-cmd >/dev/null || fail_all "no trace-cmd (scripts/install-deps)"
KSHARK_COUNT=$top/.output/kshark-count
[ -x "$KSHARK_COUNT" ] || fail_all "tests/helpers/kshark-count not built (make test-build)"
hold_reclaim_lock

# NAME's stall lines with the PID column as -i prints it ("-").
no_pid() {
	awk '{ if (NF >= 4 && ($2 ~ /^[0-9]+$/ || $2 == "-")) $2 = "-"; print }' "$1"
}

# record NAME ARGS...: a counted window recorded into $tmp/NAME.dat, then
# the recording checked against the live lines.
record() {
	local name=$1 dat=$tmp/$1.dat live stalls
	shift
	count_window "$name" --backend=ftrace --record "$dat" "$@" || return
	live=$(stalls "$name" | grep -c '^[^ ]')
	test_expect "$name: the trace.dat is there, its FILE.cpuN are not" "
		[ -s '$dat' ] && ! ls '$dat'.cpu* 2>/dev/null | grep -q .
	"
	TRACEEVENT_PLUGIN_DIR=$top/.output trace-cmd report "$dat" \
		>"$tmp/$name.report" 2>"$tmp/$name.report.err"
	stalls=$(grep -c 'LAT(ms)=' "$tmp/$name.report")
	diag "$name: $live live stalls, $stalls in trace-cmd report"
	test_expect "$name: trace-cmd report shows every stall ($live)" "
		[ '$stalls' -eq '$live' ] &&
		! grep -qi 'error\|plugin' '$tmp/$name.report.err'
	"
	"$KSHARK_COUNT" "$dat" >"$tmp/$name.kshark" 2>&1
	sed "s/^/# $name: kernelshark: /" "$tmp/$name.kshark"
	test_expect "$name: KernelShark's library loads a begin and an end of each stall" "
		grep -qx 'vmscan/mm_vmscan_direct_reclaim_begin $live' '$tmp/$name.kshark' &&
		grep -qx 'vmscan/mm_vmscan_direct_reclaim_end $live' '$tmp/$name.kshark'
	"
	[[ " $* " == *" -K "* ]] &&
		test_expect "$name: and a kernel stack of each" \
			"grep -qx 'ftrace/kernel_stack $live' '$tmp/$name.kshark'"
	"$DRSNOOP" -i "$dat" "$@" >"$tmp/$name.off" 2>"$tmp/$name.off.err"
	test_expect "$name: drsnoop -i prints the live lines" "
		diff <(no_pid '$tmp/$name.out') <(no_pid '$tmp/$name.off') \
			>'$tmp/$name.diff' && [ ! -s '$tmp/$name.off.err' ] || {
			head -20 '$tmp/$name.diff' | sed 's/^/# /'
			sed 's/^/# /' '$tmp/$name.off.err'
			false
		}
	"
}

record rec
record reck -K

# A start that fails (FILE.cpu1 is in the way) says why, exits 1 and
# leaves neither FILE nor the FILE.cpu0 it made.
: >"$tmp/busy.dat.cpu1"
"$DRSNOOP" --backend=ftrace --record "$tmp/busy.dat" -d 1 \
	>/dev/null 2>"$tmp/busy.err"
rc=$?
test_expect 'a failed start exits 1, names the file, removes what it made' "
	[ $rc -eq 1 ] && grep -qF '$tmp/busy.dat.cpu1' '$tmp/busy.err' &&
	[ ! -e '$tmp/busy.dat' ] && [ ! -e '$tmp/busy.dat.cpu0' ] &&
	[ -e '$tmp/busy.dat.cpu1' ]
"

done_testing
