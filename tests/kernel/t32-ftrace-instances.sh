#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Two ftrace drsnoops at once both see every stall, and the instance of a
# SIGKILLed drsnoop, with its stacktrace trigger (-K), is removed by the
# next start, which leaves the live one's alone. An instance overwrites
# when full, whatever the top level does.

. "$(dirname "$0")/lib.sh"
require_root
require_vmscan

tdir=$(tracefs_dir)
hold_reclaim_lock

"$DRSNOOP" --backend=ftrace -K --user-stack >/dev/null 2>"$tmp/killed.err" &
killed=$!
at_exit "kill -KILL $killed 2>/dev/null"
start_drsnoop one --backend=ftrace || not_ok "first drsnoop started"
trigger=$(instance_of $killed)/events/vmscan/mm_vmscan_direct_reclaim_begin/trigger
for i in $(seq 100); do
	grep -qs '^stacktrace' "$trigger" && break
	sleep 0.05
done
kill -KILL $killed
wait $killed 2>/dev/null
status=$?
# 137: it ran until SIGKILL, which nothing can handle.
test_expect "a SIGKILLed drsnoop leaves its instance, trigger set" \
	"exit_status_is 137 $status && grep -q '^stacktrace' '$trigger'"
at_exit "rmdir '$(instance_of $killed)'"

# A new instance takes the top level's options: drsnoop's overwrites when
# full even where the top level's does not, so that each loss is flagged.
overwrite=$(cat "$tdir/options/overwrite")
at_exit "echo $overwrite >'$tdir/options/overwrite'"
echo 0 >"$tdir/options/overwrite"
start_drsnoop two --backend=ftrace || not_ok "second drsnoop started"
echo "$overwrite" >"$tdir/options/overwrite"
test_expect "its instance overwrites when full, though the top level did not" \
	"[ \"\$(cat '$(instance_of $two_pid)/options/overwrite')\" = 1 ]"
test_expect "the next start removes the dead owner's instance" \
	"[ ! -e '$(instance_of $killed)' ]"
test_expect "and keeps the live one's" "[ -d '$(instance_of $one_pid)' ]"
test_expect "the new one has its own" "[ -d '$(instance_of $two_pid)' ]"

before=$(allocstall_total)
run_pressure -n drsnoop-two || not_ok "workload ran"
sleep 0.3
after=$(allocstall_total)
expect_stopped one
expect_stopped two
expect_counted $((after - before)) one two
test_expect "both instances removed" \
	"[ ! -e '$(instance_of $one_pid)' ] && [ ! -e '$(instance_of $two_pid)' ]"

done_testing
