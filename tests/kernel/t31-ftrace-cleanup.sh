#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The ftrace backend removes its drsnoop-<pidns>-<pid> instance on every
# way out: the end of -d, SIGINT, SIGTERM, SIGHUP and a closed stdout,
# with -K and --user-stack too, whose stacktrace trigger and
# userstacktrace option go with the instance. Nothing is left enabled, and no trigger set, in the
# top-level buffer, and no drsnoop-* instance of a dead owner survives.

. "$(dirname "$0")/lib.sh"
require_root
require_vmscan

tdir=$(tracefs_dir)

# ready PID: its instance exists with the end event enabled.
ready() {
	local i
	for i in $(seq 200); do
		[ "$(cat "$(instance_of $1)/events/vmscan/mm_vmscan_direct_reclaim_end/enable" 2>/dev/null)" = 1 ] && return 0
		kill -0 "$1" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}

# clean PID: its instance is gone, the top level has no vmscan event on
# and no trigger set, and every drsnoop instance of our PID namespace
# belongs to a live process.
clean() {
	local d pid ns
	ns=$(stat -L -c %i /proc/self/ns/pid)
	[ ! -e "$(instance_of $1)" ] || return 1
	! grep -qv '^0$' "$tdir"/events/vmscan/mm_vmscan_direct_reclaim_*/enable || return 1
	! grep -qv '^#' "$tdir"/events/vmscan/mm_vmscan_direct_reclaim_begin/trigger || return 1
	for d in "$tdir"/instances/drsnoop-"$ns"-*; do
		pid=${d##*/drsnoop-"$ns"-}
		[[ $pid =~ ^[0-9]+$ ]] || continue
		kill -0 "$pid" 2>/dev/null || return 1
	done
}

# exit_by NAME SIGNAL [ARGS...]: start, wait until tracing, signal, check.
exit_by() {
	local name=$1 sig=$2 pid rc
	shift 2
	"$DRSNOOP" --backend=ftrace "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
	pid=$!
	at_exit "kill -KILL $pid 2>/dev/null"
	ready $pid || { not_ok "$name: drsnoop started"; return; }
	kill -"$sig" $pid
	wait $pid
	rc=$?
	test_expect "$name: exit status 0 (got $rc)" "[ $rc -eq 0 ]"
	test_expect "$name: instance removed, nothing left enabled" "clean $pid"
	test_expect "$name: no sanitizer report" "clean_stderr $name"
}

"$DRSNOOP" --backend=ftrace -d 1 >"$tmp/d.out" 2>"$tmp/d.err" &
pid=$!
wait $pid
rc=$?
test_expect "-d 1: exit status 0 (got $rc)" "[ $rc -eq 0 ] && [ -s '$tmp/d.out' ]"
test_expect "-d 1: instance removed, nothing left enabled" "clean $pid"

exit_by sigint INT
exit_by sigterm TERM
exit_by sighup HUP
exit_by sigint-stacks INT -K --user-stack
exit_by sigterm-stacks TERM -K --user-stack

"$DRSNOOP" --backend=ftrace -K --user-stack -d 1 >"$tmp/dk.out" 2>"$tmp/dk.err" &
pid=$!
wait $pid
rc=$?
test_expect "-K --user-stack -d 1: exit status 0 (got $rc)" "[ $rc -eq 0 ]"
test_expect "-K --user-stack -d 1: instance removed, no trigger left" "clean $pid"

# A closed stdout shows at the first stall written after head has gone.
hold_reclaim_lock
"$DRSNOOP" --backend=ftrace -K > >(head -3 >"$tmp/head.out") 2>"$tmp/pipe.err" &
pid=$!
at_exit "kill -KILL $pid 2>/dev/null"
if ready $pid; then
	run_pressure -n drsnoop-pipe || not_ok "workload ran"
	for i in $(seq 100); do
		kill -0 $pid 2>/dev/null || break
		sleep 0.1
	done
	test_expect "closed stdout: drsnoop exited" "! kill -0 $pid 2>/dev/null"
	wait $pid
	rc=$?
	test_expect "closed stdout: exit status 0 (got $rc)" "[ $rc -eq 0 ]"
	test_expect "closed stdout: instance removed, nothing left enabled" "clean $pid"
	test_expect "closed stdout: no sanitizer report" "clean_stderr pipe"
else
	not_ok "closed stdout: drsnoop started"
fi

done_testing
