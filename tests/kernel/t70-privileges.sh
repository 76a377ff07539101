#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Least privilege, read from /proc/PID/status of a running drsnoop: once
# attached, the BPF backend keeps no capability at all, run as root (and
# takes nobody's uid there) or as nobody with only CAP_BPF and
# CAP_PERFMON (where it still sees real stalls); the ftrace backend keeps
# none as root and only CAP_DAC_OVERRIDE as nobody, and still removes its
# instance at exit; -i keeps none and needs no privilege to start. Each
# runs under a seccomp filter (Seccomp: 2), with no_new_privs set and an
# empty ambient set.

. "$(dirname "$0")/lib.sh"
require_root
require_btf
require_vmscan
command -v setpriv >/dev/null || fail_all "no setpriv (util-linux)"
SLOWPIPE=$top/.output/slowpipe
[ -x "$SLOWPIPE" ] || fail_all "tests/helpers/slowpipe not built (make test-build)"
id nobody >/dev/null 2>&1 || fail_all "no user nobody"
nogroup=$(id -gn nobody)

NONE=0000000000000000

# field PID NAME: NAME's value in /proc/PID/status.
field() {
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}

# check_status WHAT PID EFF: the capability sets, no_new_privs and
# seccomp mode of a running drsnoop.
check_status() {
	local what=$1 pid=$2 eff=$3 sec=2
	diag "$what: CapEff $(field "$pid" CapEff) CapPrm $(field "$pid" CapPrm)" \
		"CapBnd $(field "$pid" CapBnd) CapAmb $(field "$pid" CapAmb)" \
		"NoNewPrivs $(field "$pid" NoNewPrivs) Seccomp $(field "$pid" Seccomp)"
	test_expect "$what: CapEff $eff, CapPrm $eff, nothing inheritable or ambient" \
		"[ '$(field "$pid" CapEff)' = $eff ] && [ '$(field "$pid" CapPrm)' = $eff ] &&
		 [ '$(field "$pid" CapInh)' = $NONE ] && [ '$(field "$pid" CapAmb)' = $NONE ]"
	test_expect "$what: no_new_privs, seccomp mode $sec" \
		"[ '$(field "$pid" NoNewPrivs)' = 1 ] && [ '$(field "$pid" Seccomp)' = $sec ]"
}

# as_user CAPS: a drsnoop that setpriv starts as nobody with CAPS alone
# (setpriv's list: "+bpf,+perfmon"; "" for none).
as_user() {
	local w=$tmp/as-nobody-$1
	cat >"$w" <<-EOS
	#!/bin/sh
	exec setpriv --reuid=nobody --regid=$nogroup --clear-groups \\
		--inh-caps=-all$1 --ambient-caps=-all$1 --bounding-set=-all$1 \\
		"$DRSNOOP" "\$@"
	EOS
	chmod +x "$w"
	echo "$w"
}

pid_of() {
	eval echo "\$$(pid_var "$1")"
}

instance_gone() {
	[ ! -e "$(instance_of "$1")" ]
}

# Root: nothing kept; the bounding set emptied too (root has CAP_SETPCAP).
start_drsnoop bpf --backend=bpf || fail_all "the bpf backend does not start"
check_status "bpf as root" "$(pid_of bpf)" $NONE
test_expect "bpf as root: empty bounding set" "[ '$(field "$(pid_of bpf)" CapBnd)' = $NONE ]"
test_expect "bpf as root: uid and gid 65534, nothing of root's left" \
	"grep -q '^Uid:.65534.65534.65534.65534$' /proc/$(pid_of bpf)/status &&
	 grep -q '^Gid:.65534.65534.65534.65534$' /proc/$(pid_of bpf)/status"
expect_stopped bpf
start_drsnoop ft --backend=ftrace || not_ok "ftrace as root started"
p=$(pid_of ft)
check_status "ftrace as root" "$p" $NONE
expect_stopped ft
test_expect "ftrace as root: removes its instance" "instance_gone $p"

# nobody with CAP_BPF and CAP_PERFMON: sees the workload's stalls.
hold_reclaim_lock
DRSNOOP=$(as_user ",+bpf,+perfmon") start_drsnoop ubpf --backend=bpf ||
	not_ok "bpf as nobody with CAP_BPF and CAP_PERFMON started"
check_status "bpf as nobody" "$(pid_of ubpf)" $NONE
test_expect "bpf as nobody: uid 65534" "grep -q '^Uid:.65534' /proc/$(pid_of ubpf)/status"
run_pressure -n drsnoop-t70 || not_ok "workload ran"
sleep 0.3
expect_stopped ubpf
n=$(stalls ubpf | awk -v p="$wl_pid" '$2 == p' | wc -l)
diag "bpf as nobody: $n stalls of the workload ($wl_pid)"
test_expect "bpf as nobody: the workload's stalls are seen" "[ $n -gt 0 ]"

# nobody with CAP_DAC_OVERRIDE: tracefs is root's; keeps that one alone.
DRSNOOP=$(as_user ",+dac_override") start_drsnoop uft --backend=ftrace ||
	not_ok "ftrace as nobody with CAP_DAC_OVERRIDE started"
p=$(pid_of uft)
check_status "ftrace as nobody" "$p" 0000000000000002
expect_stopped uft
test_expect "ftrace as nobody: removes its instance" "instance_gone $p"

# -i: sandboxed while it prints. slowpipe's pipe is full before drsnoop
# starts, so that drsnoop cannot exit until slowpipe reads it (after 5 s):
# its status is read once it has entered its sandbox, or after 4 s.
for f in trace.dat perf.data; do
	"$SLOWPIPE" 5 "$DRSNOOP" -i "$top/tests/fixtures/$f" >"$tmp/$f.out" 2>"$tmp/$f.err" &
	sp=$!
	for i in $(seq 40); do
		grep -q '^pid ' "$tmp/$f.err" && break
		sleep 0.05
	done
	p=$(awk '$1 == "pid" { print $2 }' "$tmp/$f.err")
	for i in $(seq 40); do
		[ "$(field "$p" Seccomp)" = 2 ] && break
		sleep 0.1
	done
	check_status "-i $f" "$p" $NONE
	wait $sp
	test_expect "-i $f: exits 0 once read" "exit_status_is 0 $?"
	"$(as_user "")" -i "$top/tests/fixtures/$f" >"$tmp/$f.nobody" 2>&1
	rc=$?
	test_expect "-i $f as nobody, no capability: exits 0, the same $(wc -l <"$tmp/$f.out") lines" \
		"exit_status_is 0 $rc && [ -s '$tmp/$f.out' ] && cmp -s '$tmp/$f.out' '$tmp/$f.nobody'"
done

done_testing
