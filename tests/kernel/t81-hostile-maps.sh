#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# --user-stack of a process whose mapped file is swapped after it is
# mapped: a reclaim-pressure run from a copy of the script and of
# drpressure (in $tmp), whose drpressure path is made, once the child is
# ready, first a FIFO that holds a canary (a read would take it), then a
# symlink to a device. Each time drsnoop (BPF, -p the child) prints the
# child's stalls with their user stacks, names drpressure's functions
# from the file that was mapped (through /proc/PID/map_files, not the
# path), does not read the FIFO, and exits 0 on SIGINT; its symbolizer process, the
# child of drsnoop that waits in recvmsg(2), has no capability, nobody's
# uid and seccomp mode 2. A third run leaves the file as it is and kills
# the symbolizer (SIGKILL) once drsnoop is attached: drsnoop warns once,
# prints every stall of the child with its user stack, unnamed, and
# exits 0.

. "$(dirname "$0")/lib.sh"
require_root
require_btf
require_vmscan
command -v nm >/dev/null || fail_all "no nm (scripts/install-deps)"
sys_recvmsg=$(syscall_nr recvmsg) ||
	fail_all "no recvmsg(2) number for $(uname -m) here"
export LC_ALL=C

# reclaim-pressure runs the drpressure of its own tree: a copy of both,
# the source as old as the binary, so that it is not built again.
copy=$tmp/tree
lib=$copy/.output/drpressure
mkdir -p "$copy/scripts" "$copy/.output"
cp -p "$top/scripts/reclaim-pressure" "$top/scripts/drpressure.c" "$copy/scripts/"
touch -r "$top/.output/drpressure" "$copy/scripts/drpressure.c"
nm --defined-only "$top/.output/drpressure" | awk '$2 ~ /^[tT]$/ { print $3 }' |
	sort -u >"$tmp/own"
name=drsnoop-t81

# field PID NAME: NAME's value in /proc/PID/status.
field() {
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}

# symbolizer_of PID: the child of drsnoop PID that waits in recvmsg(2)
# (the /proc broker waits in read(2)).
symbolizer_of() {
	local c
	for c in $(cat "/proc/$1/task/$1/children"); do
		[ "$(cut -d' ' -f1 "/proc/$c/syscall")" = "$sys_recvmsg" ] &&
			echo "$c"
	done
}

# swap KIND: the copy's path, as KIND (fifo, device) from now on.
swap() {
	rm -f "$lib"
	case $1 in
	fifo)
		mkfifo "$lib"
		exec {canary}<>"$lib"
		printf canary >&$canary
		;;
	device) ln -s /dev/zero "$lib" ;;
	esac
}

hold_reclaim_lock
for kind in fifo device killed; do
	cp -p "$top/.output/drpressure" "$lib"
	coproc WL { exec "$copy/scripts/reclaim-pressure" -q -w -n $name 2>"$tmp/wl.err"; }
	workload_ready "${WL[0]}"
	at_exit "kill -TERM ${WL_PID} 2>/dev/null"
	test_expect "$kind: the child runs the copy of drpressure" \
		"grep -qF '$lib' /proc/$wl_pid/maps"
	[ $kind = killed ] || swap $kind
	start_drsnoop $kind --backend=bpf -p "$wl_pid" --user-stack ||
		fail_all "drsnoop --user-stack does not start"
	pid=$(eval echo "\$$(pid_var $kind)")
	s=$(symbolizer_of "$pid")
	diag "$kind: symbolizer ${s:-none}: Uid $(field "$s" Uid) CapEff $(field "$s" CapEff)" \
		"CapPrm $(field "$s" CapPrm) Seccomp $(field "$s" Seccomp)"
	test_expect "$kind: the symbolizer has no capability, nobody's uid, seccomp mode 2" \
		"[ -n '$s' ] && [ '$(field "$s" CapEff)' = 0000000000000000 ] &&
		 [ '$(field "$s" CapPrm)' = 0000000000000000 ] &&
		 [ '$(field "$s" Uid)' = 65534 ] && [ '$(field "$s" Seccomp)' = 2 ]"
	[ $kind = killed ] && [ -n "$s" ] && kill -KILL "$s"
	start=$SECONDS
	workload_go "${WL[0]}" "${WL[1]}"
	wait "$WL_PID" 2>/dev/null
	sleep 0.3
	expect_stopped $kind 30
	diag "$kind: the run and drsnoop's stop took $((SECONDS - start)) s"
	n=$(grep -c "^$name " "$tmp/$kind.out")
	diag "$kind: $n stalls of the child; frames:" \
		"$(sed -n 's/^    //p' "$tmp/$kind.out" | sed 's/+0x.*//' | sort | uniq -c | tr '\n' ' ')"
	test_expect "$kind: the child's stalls are printed with their user stacks" \
		"[ $n -gt 0 ] && grep -q '^    ' '$tmp/$kind.out'"
	sed -n 's/^    \([^[ ][^ ]*\)+0x[0-9a-f]*$/\1/p' "$tmp/$kind.out" | sort -u >"$tmp/named"
	if [ $kind = killed ]; then
		test_expect "killed: one warning that the symbolizer has ended" \
			"[ \$(grep -c '^drsnoop: warning: the symbolizer has ended; user frames are left unnamed' '$tmp/killed.err') = 1 ]"
		test_expect "killed: no frame named by drpressure's symbols" \
			"[ -z \"\$(comm -12 '$tmp/named' '$tmp/own')\" ]"
	else
		test_expect "$kind: some frame named by drpressure's symbols: the mapped file was read" \
			"[ -n \"\$(comm -12 '$tmp/named' '$tmp/own')\" ]"
	fi
	if [ $kind = fifo ]; then
		read -r -t 2 -N 6 left <&$canary
		test_expect "fifo: drsnoop did not read the FIFO" "[ '$left' = canary ]"
		exec {canary}<&-
	fi
	rm -f "$lib"
done

done_testing
