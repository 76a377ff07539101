#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# With bpf(2) denied by seccomp, as in a container, --backend=auto falls
# back to ftrace with one line saying why and still reports every stall;
# a forced backend that cannot run exits 1 with the reason.

. "$(dirname "$0")/lib.sh"
require_root
require_vmscan

NO_BPF=$top/.output/no-bpf
[ -x "$NO_BPF" ] || fail_all "no $NO_BPF (make test-build)"
asan_drsnoop=$DRSNOOP

hold_reclaim_lock
# Unfiltered: another task's stall in the window counts in the rise too.
DRSNOOP=$NO_BPF start_drsnoop auto "$asan_drsnoop" ||
	not_ok "drsnoop started under no-bpf"
before=$(allocstall_total)
run_pressure -n drsnoop-nobpf || not_ok "workload ran"
sleep 0.3
after=$(allocstall_total)
expect_stopped auto
sed 's/^/# stderr: /' "$tmp/auto.err"
test_expect "auto says in one line why it falls back" \
	"[ \$(wc -l <'$tmp/auto.err') -eq 1 ] && grep -q '^drsnoop: bpf backend unavailable (.*Operation not permitted.*), using the ftrace backend$' '$tmp/auto.err'"
n=$(stalls auto | wc -l)
wl=$(stalls auto | awk -v p="$wl_pid" '$2 == p' | wc -l)
mine=$(stalls auto | awk -v p="$wl_pid" '$1 == "drsnoop-nobpf" && $2 == p' | wc -l)
diag "auto under no-bpf: $n stalls ($mine of the workload), allocstall rose by $((after - before))"
test_expect "every stall reported" \
	"[ $n -gt 0 ] && [ $n -eq $((after - before)) ]"
test_expect "the workload's stalls carry its comm and pid" \
	"[ $mine -gt 0 ] && [ $mine -eq $wl ]"

"$NO_BPF" "$asan_drsnoop" --backend=bpf -d 1 >"$tmp/bpf.out" 2>"$tmp/bpf.err"
rc=$?
sed 's/^/# stderr: /' "$tmp/bpf.err"
test_expect "forced bpf under no-bpf exits 1 with the reason" \
	"exit_status_is 1 $rc && grep -q '^drsnoop: cannot use the bpf backend: .*Operation not permitted' '$tmp/bpf.err'"

# libtracefs 1.6 leaks a copy of the tracing dir's path when an
# unprivileged check of it fails: no leak check for this run.
ASAN_OPTIONS=detect_leaks=0 setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$asan_drsnoop" --backend=ftrace -d 1 >"$tmp/ft.out" 2>"$tmp/ft.err"
rc=$?
sed 's/^/# stderr: /' "$tmp/ft.err"
test_expect "forced ftrace without privileges exits 1 with the reason" \
	"exit_status_is 1 $rc && grep -q '^drsnoop: cannot use the ftrace backend: ' '$tmp/ft.err'"

done_testing
