#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Every tracer over one reclaim-pressure run: the default backend, a BPF
# drsnoop in each attach mode and with the perf buffer, the ftrace
# backend, and two recordings read back with -i (a trace.dat from a
# tracefs instance and trace-cmd extract, a perf.data from perf record).
# Each must report exactly the allocstall rise of the window, and the
# same stalls (their pages). Counts, not latencies: this is what
# scripts/vmcheck runs on each kernel, under emulation, where one
# workload run takes a minute. What the kernel does not offer (tracefs
# under lockdown=confidentiality) is skipped with the reason; every
# drsnoop, live or reading a recording, must exit 0. On a kernel without
# BTF (scripts/vmcheck's 6.1-nobtf) the default backend attaches
# raw_tp-nobtf, saying why, and each mode whose programs need BTF is
# refused in one line.

. "$(dirname "$0")/lib.sh"
require_root
hold_reclaim_lock

modes="raw_tp tp_btf raw_tp-compat tracepoint raw_tp-nobtf"
lockdown=$(cat /sys/kernel/security/lockdown 2>/dev/null)
confidential=
[[ $lockdown == *"[confidentiality]"* ]] && confidential=1
tdir=
[ -z "$confidential" ] && tdir=$(tracefs_dir)
no_tracefs="no tracefs${confidential:+ (lockdown: $lockdown)}"
tracers=()

# Task storage for tracing programs, and bpf_get_current_task_btf(),
# came in Linux 5.11: the tp_btf mode's programs need them; BPF atomics
# in 5.12: the raw_tp mode's programs claim their slots with them.

# A BPF attach mode that cannot load: a failure, unless lockdown takes
# away what its programs need (bpf_probe_read_kernel, for one), or the
# kernel is too old for its programs. Without BTF, a mode whose programs
# need it must be refused.
start_bpf() {
	local name=$1
	shift
	if no_btf && [[ $name != raw_tp-nobtf && $name != perfbuf ]]; then
		DR_ENV="$*" refused_without_btf "$name" \
			"$name programs need the kernel's BTF"
	elif [[ $name == raw_tp ]] && kernel_before 5.12; then
		skip "$name: the kernel has no BPF atomics (before 5.12)"
	elif [[ $name == tp_btf ]] && kernel_before 5.11; then
		skip "$name: the kernel has no task storage for tracing" \
			"programs (before 5.11)"
	elif DR_ENV="$*" start_drsnoop "$name" --backend=bpf; then
		tracers+=("$name")
	elif [ -n "$confidential" ]; then
		skip "$name: kernel lockdown (confidentiality) forbids BPF" \
			"reads of kernel memory: $(grep -m1 'cannot' "$tmp/$name.err")"
	else
		not_ok "$name: drsnoop started"
	fi
}

# trace.dat: a tracefs instance, extracted by trace-cmd after the window.
inst=drsnoop-t14-$$
remove_instance() {
	local d=$tdir/instances/$inst e
	[ -d "$d" ] || return 0
	for e in begin end; do
		echo 0 >"$d/events/vmscan/mm_vmscan_direct_reclaim_$e/enable"
	done
	rmdir "$d"
}
record_tracedat=
if [ -z "$tdir" ]; then
	skip "trace.dat: $no_tracefs"
elif ! command -v trace-cmd >/dev/null; then
	not_ok "trace.dat: no trace-cmd (scripts/install-deps)"
else
	at_exit remove_instance
	d=$tdir/instances/$inst
	if mkdir "$d" && echo 4096 >"$d/buffer_size_kb" &&
		echo 1 >"$d/events/vmscan/mm_vmscan_direct_reclaim_begin/enable" &&
		echo 1 >"$d/events/vmscan/mm_vmscan_direct_reclaim_end/enable"; then
		record_tracedat=1
	else
		not_ok "trace.dat: tracefs instance $inst set up"
	fi
fi

# perf.data: perf record starts disabled (-D -1) and says when its
# events are enabled, on its control fifos.
record_perf=
if [ -z "$tdir" ]; then
	skip "perf.data: $no_tracefs"
elif ! command -v perf >/dev/null; then
	not_ok "perf.data: no perf (scripts/install-deps)"
else
	mkfifo "$tmp/perf.ctl" "$tmp/perf.ack"
	perf record -q -a --no-buildid --no-buildid-cache -o "$tmp/perf.data" \
		--synth=task -D -1 --control "fifo:$tmp/perf.ctl,$tmp/perf.ack" \
		-e vmscan:mm_vmscan_direct_reclaim_begin \
		-e vmscan:mm_vmscan_direct_reclaim_end 2>"$tmp/perf.err" &
	perf_pid=$!
	at_exit "kill -INT $perf_pid 2>/dev/null; wait $perf_pid 2>/dev/null"
	exec 7<>"$tmp/perf.ctl" 8<>"$tmp/perf.ack"
	echo enable >&7
	# perf synthesizes the tasks first; their maps too, without
	# --synth=task: 88 s of the 6.1 guest's t14 under emulation, for
	# frames that no stall here has.
	if read -r -t $((30 * slow_factor + 30)) ack <&8 && [ "$ack" = ack ]; then
		record_perf=1
	else
		not_ok "perf.data: perf record enabled its events"
		sed 's/^/# perf: /' "$tmp/perf.err"
	fi
fi
phase "the recordings began"

# The default backend; --debug says which it chose and how it attached.
if start_drsnoop_quiet auto; then
	tracers+=(auto)
	diag "auto: $(grep -m1 -E '^drsnoop: (attached as|tracing in)' "$tmp/auto.err")"
	test_expect "auto: chose the bpf backend" \
		"grep -q '^drsnoop: attached as ' '$tmp/auto.err'"
	no_btf && test_expect "auto: raw_tp-nobtf, saying once that the kernel has no BTF" \
		"grep -q '^drsnoop: attached as raw_tp-nobtf,' '$tmp/auto.err' &&
		says_once auto 'drsnoop: $NO_BTF_WHY: using the BPF programs that need none'"
else
	not_ok "auto: drsnoop started"
fi
for m in $modes; do
	start_bpf "$m" DRSNOOP_BPF_ATTACH="$m"
done
start_bpf perfbuf DRSNOOP_BPF_BUFFER=perf

if [ -n "$tdir" ]; then
	start_drsnoop ftrace --backend=ftrace && tracers+=(ftrace) ||
		not_ok "ftrace: drsnoop started"
else
	skip "ftrace: $no_tracefs"
fi

phase "${#tracers[@]} drsnoops started"
before=$(allocstall_total)
run_pressure -n drsnoop-one || not_ok "workload ran"
sleep 0.3
after=$(allocstall_total)
rise=$((after - before))
phase "the workload ran"
for t in "${tracers[@]}"; do
	expect_stopped "$t"
done
phase "the drsnoops stopped"
if [ -n "$record_perf" ]; then
	kill -INT "$perf_pid"
	wait "$perf_pid"
fi
if [ -n "$record_tracedat" ]; then
	for e in begin end; do
		echo 0 >"$tdir/instances/$inst/events/vmscan/mm_vmscan_direct_reclaim_$e/enable"
	done
	trace-cmd extract -B "$inst" -o "$tmp/trace.dat" >"$tmp/extract.out" 2>&1 ||
		not_ok "trace.dat: trace-cmd extract"
	remove_instance
fi
phase "the recordings were written"
diag "allocstall rose by $rise over the window"

# read_recording FILE: drsnoop -i $tmp/FILE, a tracer like the others.
read_recording() {
	local rc
	"$DRSNOOP" -i "$tmp/$1" >"$tmp/$1.out" 2>"$tmp/$1.err"
	rc=$?
	sed "s/^/# $1: /" "$tmp/$1.err"
	test_expect "$1: drsnoop -i exits 0" "exit_status_is 0 $rc"
	tracers+=("$1")
}
[ -n "$record_tracedat" ] && read_recording trace.dat
[ -n "$record_perf" ] && read_recording perf.data
phase "the recordings were read"

# The stalls of each tracer, as its lines of the default output.
for t in "${tracers[@]}"; do
	stalls "$t" >"$tmp/$t.lines"
done
[ -n "$record_perf" ] && [ -s "$tmp/perf.err" ] && sed 's/^/# perf: /' "$tmp/perf.err"

# The same stalls: the sorted list of their pages is the first tracer's.
ref=${tracers[0]:-}
for t in "${tracers[@]}"; do
	awk '{ print $4 }' "$tmp/$t.lines" | sort -n >"$tmp/$t.pages"
done
for t in "${tracers[@]}"; do
	n=$(wc -l <"$tmp/$t.lines")
	diag "$t: $n stalls"
	test_expect "$t: stalls equal the allocstall rise ($rise)" \
		"[ $rise -gt 0 ] && [ $n -eq $rise ]"
	test_expect "$t: no lost events, no sanitizer report" \
		"! grep -q '^drsnoop: lost' '$tmp/$t.err' && clean_stderr $t"
	[ "$t" = "$ref" ] ||
		test_expect "$t: the same stalls (pages) as $ref" \
			"cmp -s '$tmp/$ref.pages' '$tmp/$t.pages'"
done

done_testing
