#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# A drsnoop taken over after attach: gdb attaches to it and makes it call
# open("/etc/passwd", O_WRONLY), open() of a new file in /root,
# execve("/bin/sh"), socket(AF_INET, SOCK_STREAM), setuid(0) and
# bpf(BPF_MAP_LOOKUP_ELEM), on each backend and with --user-stack
# --metrics. Each call fails (-1) or the process dies of SIGSYS, and
# bpf(2), which the BPF backend no longer needs once its ring buffer and
# counters are mapped, kills it; /etc/passwd and /root are as before; a
# drsnoop that survived then still counts every stall of a
# reclaim-pressure run (the allocstall rise) and rewrites its metrics
# file. /proc/PID/status shows seccomp mode 2, and --debug names the
# layers.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/metrics-lib.sh"
require_root
require_btf
require_vmscan
command -v gdb >/dev/null || fail_all "no gdb (scripts/install-deps)"
export LC_ALL=C

victim=/root/drsnoop-t78-$$
at_exit "rm -f $victim"
passwd_before=$(stat -c '%i %s %Y' /etc/passwd; sha256sum </etc/passwd)
root_before=$(ls -a /root)
mkdir "$tmp/metrics"

# attack PID CALL: make drsnoop PID call CALL through gdb; got is what
# the call returned, or "SIGSYS" when the process died of it.
attack() {
	local pid=$1 call=$2 rc
	timeout 60 gdb -nx -batch -p "$pid" -ex "print (long)$call" \
		>"$tmp/gdb.out" 2>&1
	if is_child "$pid"; then
		got=$(sed -n 's/^\$1 = \(-\{0,1\}[0-9]*\)$/\1/p' "$tmp/gdb.out")
		return
	fi
	wait "$pid" 2>/dev/null
	rc=$?
	got=SIGSYS
	[ $rc -eq $((128 + 31)) ] && return
	got="exit $rc"
	diag "gdb: $(tail -3 "$tmp/gdb.out" | tr '\n' ' ')"
}

disk_unchanged() {
	[ "$(stat -c '%i %s %Y' /etc/passwd; sha256sum </etc/passwd)" = "$passwd_before" ] &&
		[ "$(ls -a /root)" = "$root_before" ] && [ ! -e "$victim" ]
}

sys_bpf=$(syscall_nr bpf) || fail_all "no bpf(2) number for $(uname -m) here"
bpf_call="syscall($sys_bpf, 1, 0, 0)"
calls=(
	'open("/etc/passwd", 1)'
	"open(\"$victim\", 0101, 0644)"
	'execve("/bin/sh", 0, 0)'
	'socket(2, 1, 0)'
	'setuid(0)'
	"$bpf_call"
)

# counted NAME: the stalls drsnoop NAME has shown, in its metrics file
# (direct _count + lost) if it writes one, else its lines.
counted() {
	local d l k
	if [ -e "$tmp/metrics/$1.prom" ]; then
		read -r d l k < <(capture_counts "$tmp/metrics/$1.prom")
		echo $((d + l))
	else
		stalls "$1" | wc -l
	fi
}

# survives NAME: after its attacks, drsnoop NAME counts every stall of a
# run, and rewrites its metrics file if it has one.
survives() {
	local name=$1 k0 k1 n0 n1 m0 m1
	n0=$(counted "$name")
	m0=$(stat -c %Y.%i "$tmp/metrics/$name.prom" 2>/dev/null)
	k0=$(allocstall_total)
	run_pressure || return 1
	sleep 2.5
	k1=$(allocstall_total)
	n1=$(counted "$name")
	m1=$(stat -c %Y.%i "$tmp/metrics/$name.prom" 2>/dev/null)
	diag "$name after the attacks: $((n1 - n0)) stalls shown, allocstall rose by $((k1 - k0)); metrics file ${m0:-none} -> ${m1:-none}"
	[ $((n1 - n0)) -eq $((k1 - k0)) ] && [ $((k1 - k0)) -gt 0 ] &&
		[ "$m1" = "" -o "$m1" != "$m0" ]
}

hold_reclaim_lock
# confined NAME ARGS...: each call, on the drsnoop that survived the last
# or on a new one.
confined() {
	local name=$1 i what alive= pid
	shift
	for i in "${!calls[@]}"; do
		what="$name: ${calls[$i]}"
		if [ -z "$alive" ]; then
			start_drsnoop_quiet "$name" "$@" ||
				{ not_ok "$what: drsnoop started"; return; }
			alive=1
		fi
		pid=$(eval echo "\$$(pid_var "$name")")
		if [ $i -eq 0 ]; then
			sed -n 's/^drsnoop: confined/# &/p' "$tmp/$name.err"
			test_expect "$name: seccomp mode 2, no capability, layers in --debug" \
				"grep -q '^Seccomp:.*2' /proc/$pid/status &&
				 grep -q '^CapEff:.*0000000000000000' /proc/$pid/status &&
				 grep -q '^drsnoop: confined: landlock ' '$tmp/$name.err'"
		fi
		attack "$pid" "${calls[$i]}"
		diag "$what: $got"
		if [ "${calls[$i]}" = "$bpf_call" ]; then
			test_expect "$name: bpf(2) dies of SIGSYS" \
				"[ '$got' = SIGSYS ]"
		else
			test_expect "$what fails or dies of SIGSYS; nothing changed on disk" \
				"{ [ '$got' = -1 ] || [ '$got' = SIGSYS ]; } && disk_unchanged"
		fi
		[ "$got" = -1 ] || alive=
		if [ $i -eq 1 ] && [ -n "$alive" ]; then
			test_expect "$name: after the opens, every stall and the metrics file" \
				"survives $name"
		fi
	done
	[ -z "$alive" ] || expect_stopped "$name"
}

confined bpf --backend=bpf
confined ftrace --backend=ftrace
confined bpf-us --backend=bpf --user-stack --metrics "$tmp/metrics/bpf-us.prom" --interval 1
confined ftrace-us --backend=ftrace --user-stack --metrics "$tmp/metrics/ftrace-us.prom" --interval 1
# Killed by SIGSYS, ftrace's drsnoops left their instances, as SIGKILL
# would: the next drsnoop removes them.
"$DRSNOOP" --backend=ftrace -d 1 >"$tmp/last.out" 2>"$tmp/last.err"
rc=$?
test_expect "a drsnoop after them exits 0" "exit_status_is 0 $rc && clean_stderr last"
test_expect "no drsnoop instance left in tracefs" \
	"! ls '$(tracefs_dir)/instances' | grep -q '^drsnoop-'"
done_testing
