#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Exact accounting when the reader is starved: during a memcg reclaim storm
# (8 tasks reading a file in a 16 MiB memory group, thousands of stalls a
# second), drsnoop is stopped with SIGSTOP for 4 s, then continued. Its
# buffers overflow; afterwards its stall lines plus the stalls it reports
# lost must equal the kernel's count of the window, on both backends,
# and the -s capture line must give the same number lost.
#
# Then the ftrace backend, SIGINTed while the storm goes on, must exit.
#
# The kernel's count: no /proc/vmstat or v1 memory.stat counter counts
# memcg reclaims (allocstall_* counts global direct reclaim only; cgroup
# v2's memory.events max/high also count charges forced through without
# reclaim), so a tracefs instance of our own counts the end events of
# every kind of reclaim in a buffer large enough to lose none (its overrun
# must stay 0).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/memcg-lib.sh"
require_root
require_btf
require_vmscan
require_memcg

hold_reclaim_lock
name=drsnoop-t64-$$
make_memcg "$name" 16 || fail_all "cannot create a memory cgroup"

T=$(tracefs_dir)
ends="mm_vmscan_direct_reclaim_end mm_vmscan_memcg_reclaim_end mm_vmscan_memcg_softlimit_reclaim_end"

# The stalls the counting instance has seen so far.
counted() {
	awk '/^entries:/ { n += $2 } END { print n + 0 }' "$1"/per_cpu/cpu*/stats
}

# starve BACKEND: a storm with drsnoop stopped in its middle, for 4 s and
# until 80,000 stalls (160,000 events: more than the ftrace backend's
# buffers of 1.4 MiB a CPU hold) have happened, 12 s at most.
starve() {
	local b=$1 inst=$T/instances/t64-count-$$-$1 e pid from i
	at_exit "rmdir '$inst'"
	mkdir "$inst" && echo 16384 >"$inst/buffer_size_kb" || return 1
	start_drsnoop "$b" --backend="$b" --memcg -s --lines --debug || return 1
	pid=$(eval echo "\$$(pid_var "$b")")
	# Under emulation the storm is a hundred times slower: the ftrace
	# backend's buffers (1.4 MiB a CPU) would take minutes to fill, so
	# its instance gets 128 KiB a CPU before the storm (drsnoop reads
	# whatever size it has; no event flows while it is resized).
	if [ "$b" = ftrace ] && [ "$slow_factor" -gt 1 ]; then
		echo 128 >"$(instance_of "$pid")/buffer_size_kb" || return 1
	fi
	for e in $ends; do echo 1 >"$inst/events/vmscan/$e/enable"; done
	memcg_storm_start 8
	sleep 1
	kill -STOP "$pid"
	from=$(counted "$inst")
	sleep 4
	for i in $(seq 16); do
		[ $(($(counted "$inst") - from)) -ge 80000 ] && break
		sleep 0.5
	done
	stopped=$(($(counted "$inst") - from))
	kill -CONT "$pid"
	sleep 2
	memcg_storm_stop
	for e in $ends; do echo 0 >"$inst/events/vmscan/$e/enable"; done
	sleep 0.5
	# At exit drsnoop prints every stall it still holds: the ftrace
	# backend's backlog after the storm, each stall's task named from
	# /proc or, gone, from saved_cmdlines (read once a drain); a second
	# or two under the sanitizers here (two minutes when saved_cmdlines
	# was read once a stall).
	t0=$SECONDS
	expect_stopped "$b" $((30 * slow_factor))
	diag "$b: exited $((SECONDS - t0)) s after SIGINT"
	count=$(counted "$inst")
	overrun=$(awk '/^overrun:/ { n += $2 } END { print n + 0 }' "$inst"/per_cpu/cpu*/stats)
	# The lines, up to the summary's own header.
	lines=$(awk 'NR > 1 && /^COMM / { exit } NR > 1 { n++ } END { print n + 0 }' "$tmp/$b.out")
	cap_lost=$(sed -n 's/^capture: .*; \([0-9]*\) stalls lost$/\1/p' "$tmp/$b.out")
	lost=$(sed -n 's/^drsnoop: lost \([0-9]*\) stalls in total$/\1/p' "$tmp/$b.err")
	lost=${lost:-0}
	grep 'events lost,' "$tmp/$b.err" | sed 's/^/# /'
	rmdir "$inst"
}

for b in bpf ftrace; do
	starve $b || { not_ok "$b: storm set up"; continue; }
	diag "$b: $stopped stalls while stopped; $lines lines + $lost lost = $((lines + lost)); the kernel counted $count (overrun $overrun)"
	test_expect "$b: the storm outran the stopped reader ($lost stalls lost)" \
		"[ $overrun -eq 0 ] && [ $lost -gt 0 ]"
	test_expect "$b: lines + lost stalls = the kernel's count ($count)" \
		"[ $((lines + lost)) -eq $count ]"
	test_expect "$b: the capture line says the same ($cap_lost stalls lost)" \
		"[ '$cap_lost' = $lost ]"
done

# SIGINT while the storm goes on, after 2 s stopped: the ftrace backend's
# last drain ends at what was stamped before it began, not when the storm
# stops filling its buffers as fast as they are read (it printed 6 million
# stalls in 327 s, then was SIGKILLed). Sets exit_s; returns its status.
sigint_in_storm() {
	local rc
	start_drsnoop live --backend=ftrace --memcg || return 1
	memcg_storm_start 8
	sleep 1
	kill -STOP "$live_pid"
	sleep 2
	kill -CONT "$live_pid"
	t0=$SECONDS
	stop_drsnoop live $((30 * slow_factor))
	rc=$?
	exit_s=$((SECONDS - t0))
	memcg_storm_stop
	return $rc
}

exit_s=?
sigint_in_storm
rc=$?
test_expect "ftrace: SIGINT during the storm exits 0 ($exit_s s after)" \
	"exit_status_is 0 $rc"
test_expect "ftrace, SIGINT during the storm: no sanitizer report" \
	"clean_stderr live"

done_testing
