#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tracefs is shared by every PID namespace, pids are not. Two ftrace
# drsnoops, each pid 1 of its own PID namespace (unshare --pid --fork),
# run at once: each has its own instance and sees every stall, neither
# removes the other's, and both instances go with them. The instance of
# one SIGKILLed as pid 1 of a third namespace is removed by the first
# start, from yet another namespace; one in the initial namespace keeps
# the live namespaces' instances.

. "$(dirname "$0")/lib.sh"
require_root
require_vmscan

# in_pidns NAME ARGS...: drsnoop ARGS as pid 1 of a new PID namespace,
# output in $tmp/NAME.out and .err; sets NAME_host (its pid out here) and
# NAME_ns (its namespace's inode).
in_pidns() {
	local name=$1 u inner i
	shift
	unshare --pid --fork --mount-proc "$DRSNOOP" "$@" \
		>"$tmp/$name.out" 2>"$tmp/$name.err" &
	u=$!
	at_exit "kill -KILL $u 2>/dev/null"
	for i in $(seq 200); do
		read -r inner 2>/dev/null <"/proc/$u/task/$u/children"
		[ -n "$inner" ] && break
		sleep 0.05
	done
	eval "${name}_unshare=$u ${name}_host=$inner"
	eval "${name}_ns=$(stat -L -c %i "/proc/$inner/ns/pid")"
}

# nspid HOSTPID: its pid in its own namespace (status's last NSpid).
nspid() {
	awk '$1 == "NSpid:" { print $NF }' "/proc/$1/status"
}

# wait_for_instance DIR HOSTPID: DIR has the end event enabled.
wait_for_instance() {
	local i
	for i in $(seq 200); do
		[ "$(cat "$1/events/vmscan/mm_vmscan_direct_reclaim_end/enable" 2>/dev/null)" = 1 ] &&
			return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}

hold_reclaim_lock

# A drsnoop SIGKILLed as pid 1 of its namespace leaves its instance.
in_pidns dead --backend=ftrace
dead_dir=$(instance_of 1 "$dead_ns")
at_exit "rmdir '$dead_dir' 2>/dev/null"
wait_for_instance "$dead_dir" "$dead_host" || not_ok "dead: drsnoop started"
kill -KILL "$dead_host"
wait "$dead_unshare" 2>/dev/null
test_expect "a drsnoop SIGKILLed in its PID namespace leaves its instance" \
	"[ -d '$dead_dir' ]"

in_pidns a --backend=ftrace
a_dir=$(instance_of 1 "$a_ns")
wait_for_instance "$a_dir" "$a_host" || not_ok "a: drsnoop started"
test_expect "the next start, in another namespace, removes it" \
	"[ ! -e '$dead_dir' ]"
in_pidns b --backend=ftrace
b_dir=$(instance_of 1 "$b_ns")
wait_for_instance "$b_dir" "$b_host" || not_ok "b: drsnoop started"
test_expect "two drsnoops are pid 1 of two PID namespaces at once" \
	"[ '$(nspid "$a_host")' = 1 ] && [ '$(nspid "$b_host")' = 1 ] &&
	 [ '$a_ns' != '$b_ns' ]"
test_expect "each has its own instance" "[ -d '$a_dir' ] && [ -d '$b_dir' ]"

start_drsnoop host --backend=ftrace || not_ok "host: drsnoop started"
test_expect "one in the initial namespace keeps both, and has its own" \
	"[ -d '$a_dir' ] && [ -d '$b_dir' ] && [ -d '$(instance_of "$host_pid")' ]"

before=$(allocstall_total)
run_pressure -n drsnoop-t79 || not_ok "workload ran"
sleep 0.3
after=$(allocstall_total)
for n in a b; do
	eval "host=\$${n}_host unshare_pid=\$${n}_unshare"
	kill -INT "$host"
	wait_child "$unshare_pid" 60
	rc=$?
	test_expect "$n: exits 0 after SIGINT" "exit_status_is 0 $rc"
done
expect_stopped host
expect_counted $((after - before)) a b host
test_expect "both namespaces' instances removed" \
	"[ ! -e '$a_dir' ] && [ ! -e '$b_dir' ] && no_drsnoop_left $host_pid"

done_testing
