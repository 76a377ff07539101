#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# How drsnoop ends: -d on time even with no event; SIGINT, SIGTERM and a
# closed stdout while stalls flow, each with status 0 (not death by the
# signal or SIGPIPE) and leaving no BPF program or link behind; bad input
# exits 2 naming the value; no privileges, a clear error.

. "$(dirname "$0")/lib.sh"
require_root
require_btf
require_vmscan

now_ms() {
	date +%s%3N
}

# The BPF programs and links a process holds, from its fds' fdinfo.
bpf_ids_of() {
	grep -hE '^(prog_id|link_id):' /proc/"$1"/fdinfo/* 2>/dev/null |
		sort -u | tr '\t' ' '
}

start=$(now_ms)
ASAN_OPTIONS=detect_leaks=1:exitcode=99 \
	"$DRSNOOP" --backend=bpf -d 2 >"$tmp/d.out" 2>"$tmp/d.err"
status=$?
elapsed=$(($(now_ms) - start))
diag "-d 2 took $elapsed ms"
# The 0.5 s beyond 2 s is start-up and exit, slow_factor times slower
# under emulation.
test_expect "-d 2 ends within $((2000 + 500 * slow_factor)) ms with status 0" \
	"exit_status_is 0 $status && [ $elapsed -lt $((2000 + 500 * slow_factor)) ] &&
	 [ $elapsed -ge 2000 ]"
test_expect "-d 2: no leak or other sanitizer report" "clean_stderr d"
test_expect "-d 2 printed the header first" \
	"head -1 $tmp/d.out | grep -q '^COMM  *PID  *LAT(ms) PAGES\$'"

# pipe_ended PID SECONDS: wait SECONDS at most for drsnoop PID, the child
# of a pipeline's subshell, to exit; SIGKILL it if it has not.
pipe_ended() {
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		kill -0 "$1" 2>/dev/null || return
		sleep 0.1
	done
	diag "pid $1 did not end within $2 s: killed"
	kill -KILL "$1"
}

# ends_cleanly HOW: stop a drsnoop by HOW while a workload stalls.
ends_cleanly() {
	local how=$1 pid pipeline= rc
	if [ "${how#pipe}" != "$how" ]; then
		# drsnoop | head -3: head leaves after three lines, the next
		# write gets EPIPE, and drsnoop must end by itself. Its status
		# goes to $tmp/$how.rc: 141 would be death by SIGPIPE.
		# shellcheck disable=SC2016
		# shellcheck disable=SC2086
		(sh -c 'echo $$ >"$1"; shift; exec "$@"' sh "$tmp/$how.pid" \
			env ${DR_ENV:-} "$DRSNOOP" --backend=bpf 2>"$tmp/$how.err" |
			head -3 >"$tmp/$how.out"
		 echo "${PIPESTATUS[0]}" >"$tmp/$how.rc") &
		pipeline=$!
		for _ in $(seq 100); do
			[ -s "$tmp/$how.pid" ] && break
			sleep 0.1
		done
		pid=$(cat "$tmp/$how.pid")
	else
		start_drsnoop "$how" --backend=bpf || { not_ok "$how: started"; return; }
		pid=$(eval echo "\$${how}_pid")
	fi
	# Attached: the header cannot be seen through head, so wait (10 s
	# at most, a busy machine's ASan start-up) for its programs and links.
	for _ in $(seq 100); do
		bpf_ids_of "$pid" >"$tmp/$how.ids"
		grep -q prog_id "$tmp/$how.ids" && grep -q link_id "$tmp/$how.ids" &&
			break
		sleep 0.1
	done
	"$PRESSURE" -q -n drsnoop-end >/dev/null 2>"$tmp/$how.wl.err" &
	local wl=$!
	at_exit "kill -TERM $wl 2>/dev/null; wait $wl 2>/dev/null"
	# Stop it while the workload is stalling (its first stall can take
	# tens of seconds under emulation).
	for _ in $(seq 600); do
		[ "$(wc -l <"$tmp/$how.out")" -ge 3 ] && break
		sleep 0.1
	done
	case $how in
	sigint) kill -INT "$pid" ;;
	sigterm) kill -TERM "$pid" ;;
	esac
	if [ -n "$pipeline" ]; then
		pipe_ended "$pid" 5
		wait "$pipeline"
		rc=$(cat "$tmp/$how.rc")
	else
		reap_child "$pid" 5 "it did not end"
		rc=$?
	fi
	# The workload has done its part: stop it, which undoes what it did.
	kill -TERM "$wl" 2>/dev/null
	wait "$wl" 2>/dev/null
	test_expect "$how: drsnoop ended within 5 s with status 0" \
		"exit_status_is 0 $rc"
	test_expect "$how: it held BPF programs and links while tracing" \
		"grep -q prog_id $tmp/$how.ids && grep -q link_id $tmp/$how.ids"
	test_expect "$how: none of them is left afterwards" "all_gone $tmp/$how.ids"
	test_expect "$how: lines flowed before the end" \
		"[ \$(wc -l <$tmp/$how.out) -ge 3 ]"
	test_expect "$how: no sanitizer report" "clean_stderr $how"
}

ends_cleanly sigint
ends_cleanly sigterm
ends_cleanly pipe
# The perf buffer's callback cannot return the write error itself.
DR_ENV=DRSNOOP_BPF_BUFFER=perf ends_cleanly pipe-perfbuf

# usage_error ARGS...: exit 2 and the message names the bad value.
usage_error() {
	local value=$1 status
	shift
	"$DRSNOOP" "$@" >"$tmp/u.out" 2>"$tmp/u.err"
	status=$?
	if [ $status -eq 2 ] && grep -qF -- "'$value'" "$tmp/u.err" && ! [ -s "$tmp/u.out" ]; then
		ok "drsnoop $* exits 2 naming '$value'"
	else
		not_ok "drsnoop $* exits 2 naming '$value' (status $status: $(cat "$tmp/u.err"))"
	fi
}

usage_error abc -p abc
usage_error -1 -d -1
usage_error 1x -d 1x
usage_error -x -x
usage_error 99999999999 -u 99999999999
usage_error "" -n ""
usage_error sideways --backend=sideways

"$DRSNOOP" --help >"$tmp/help.out" 2>/dev/null
status=$?
test_expect "--help goes to stdout with status 0" \
	"exit_status_is 0 $status && grep -q '^usage: drsnoop' $tmp/help.out"

setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
	"$DRSNOOP" -d 1 >"$tmp/np.out" 2>"$tmp/np.err"
status=$?
diag "unprivileged: $(cat "$tmp/np.err")"
test_expect "without privileges: exit 1 and a message naming root and CAP_BPF" \
	"exit_status_is 1 $status && grep -q 'root' $tmp/np.err &&
	 grep -q CAP_BPF $tmp/np.err"

done_testing
