#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# drsnoop -i -K --user-stack on fresh recordings with stacks: one
# reclaim-pressure run recorded at once into a trace.dat (a tracefs
# instance with a stacktrace trigger and the userstacktrace option, then
# trace-cmd extract) and a perf.data (perf record -g). Each file gives
# exactly its begin/end pairs, and every stall of the workload a kernel
# stack through try_to_free_pages down to the kernel's entry (a system
# call or a page fault, THP faults among them) and a user stack. The trace.dat's frames
# are named from the file itself: also with /proc/kallsyms hidden. The
# perf.data's are named from this boot's /proc/kallsyms, for it was
# recorded in this boot; with /proc/kallsyms hidden they are addresses,
# and stderr says why.

. "$(dirname "$0")/lib.sh"
require_root
require_vmscan
command -v trace-cmd >/dev/null || fail_all "no trace-cmd (scripts/install-deps)"
command -v perf >/dev/null || fail_all "no perf (scripts/install-deps)"
tdir=$(tracefs_dir)
grep -qw stacktrace "$tdir/events/vmscan/mm_vmscan_direct_reclaim_begin/trigger" ||
	skip_all "this kernel has no stacktrace event trigger"
hold_reclaim_lock

name=drsnoop-offk # the workload's comm
inst=drsnoop-t46-$$
dir=$tdir/instances/$inst
events=$dir/events/vmscan

remove_instance() {
	[ -d "$dir" ] || return 0
	echo 0 >"$events/mm_vmscan_direct_reclaim_begin/enable"
	echo 0 >"$events/mm_vmscan_direct_reclaim_end/enable"
	rmdir "$dir"
}

at_exit remove_instance
mkdir "$dir" &&
	echo 4096 >"$dir/buffer_size_kb" &&
	echo stacktrace >"$events/mm_vmscan_direct_reclaim_begin/trigger" &&
	echo 1 >"$dir/options/userstacktrace" &&
	echo 1 >"$events/mm_vmscan_direct_reclaim_begin/enable" &&
	echo 1 >"$events/mm_vmscan_direct_reclaim_end/enable" ||
	fail_all "cannot set up tracefs instance $inst"
perf record -q -a -g --no-buildid --no-buildid-cache -o "$tmp/perf.data" \
	-e vmscan:mm_vmscan_direct_reclaim_begin \
	-e vmscan:mm_vmscan_direct_reclaim_end 2>"$tmp/perf.err" &
perf_pid=$!
at_exit "kill -INT $perf_pid 2>/dev/null; wait $perf_pid 2>/dev/null"
sleep 1 # perf record has no "started" signal: give it time to attach
run_pressure -n $name || not_ok "workload ran"
sleep 0.3
kill -INT $perf_pid
wait $perf_pid
echo 0 >"$events/mm_vmscan_direct_reclaim_begin/enable"
echo 0 >"$events/mm_vmscan_direct_reclaim_end/enable"
trace-cmd extract -B "$inst" -o "$tmp/trace.dat" >"$tmp/extract.out" 2>&1
remove_instance
test_expect "the instance is gone" "[ ! -d '$dir' ]"

count_pairs() {
	awk '$2 ~ /_begin/ { open[$1] = 1 }
	     $2 ~ /_end/ { if (open[$1]) { p++; open[$1] = 0 } }
	     END { print p + 0 }'
}
td_pairs=$(trace-cmd report -N -i "$tmp/trace.dat" 2>/dev/null |
	sed -n 's/.*-\([0-9][0-9]*\) *\[[0-9]*\].*\(mm_vmscan_direct_reclaim_[a-z]*\):.*/\1 \2/p' |
	count_pairs)
pd_pairs=$(perf script -i "$tmp/perf.data" -F tid,event 2>/dev/null |
	awk '{ print $1, $2 }' | count_pairs)
diag "trace.dat: $td_pairs pairs; perf.data: $pd_pairs pairs"

# offline OUT HIDE ARGS...: drsnoop ARGS, /proc/kallsyms hidden if HIDE;
# one result: it exits 0, having read the whole file.
offline() {
	local out=$1 hide=$2 rc
	shift 2
	if [ -n "$hide" ]; then
		unshare -m sh -c 'mount --bind /dev/null /proc/kallsyms &&
			exec "$@"' sh "$DRSNOOP" "$@"
	else
		"$DRSNOOP" "$@"
	fi >"$tmp/$out.out" 2>"$tmp/$out.err"
	rc=$?
	test_expect "$out: drsnoop -i exits 0" "exit_status_is 0 $rc"
}

# One line per stall: comm, then its frames, kernel then user after "--".
# (The workload is told by its comm: a trace.dat holds no pids.)
per_stall() {
	awk 'BEGIN { RS = ""; FS = "\n" }
	{
		i = ($1 ~ /^COMM/) ? 2 : 1
		split($i, f, " "); line = f[1]
		for (i++; i <= NF; i++) { sub(/^ +/, "", $i); line = line " " $i }
		print line
	}' "$tmp/$1.out"
}

# check OUT PAIRS: the stalls of OUT against the file's pairs. Whether
# the hugetlb write reclaims depends on what the kernel has free then, as
# does what a fault stalls for (t36): every stall's stack reaches the
# kernel's entry, and the THP faults, most of them, are there.
check() {
	local out=$1 pairs=$2 n w k path thp u
	per_stall "$out" >"$tmp/$out.stalls"
	n=$(wc -l <"$tmp/$out.stalls")
	awk -v c="$name" '$1 == c' "$tmp/$out.stalls" >"$tmp/$out.wl"
	w=$(wc -l <"$tmp/$out.wl")
	k=$(grep -c ' try_to_free_pages+0x' "$tmp/$out.wl")
	path=$(grep -cE " $KERNEL_ENTRY_RE" "$tmp/$out.wl")
	thp=$(grep -c ' do_huge_pmd_anonymous_page+0x' "$tmp/$out.wl")
	u=$(grep -cE ' -- [^ ]' "$tmp/$out.wl")
	diag "$out: $n stalls; workload $w, $k through try_to_free_pages," \
		"$path system calls or page faults ($thp THP), $u with a user stack"
	grep -vE " $KERNEL_ENTRY_RE" "$tmp/$out.wl" | sed 's/^/# neither: /'
	test_expect "$out: exactly the file's $pairs pairs" \
		"[ $pairs -gt 0 ] && [ $n -eq $pairs ] && clean_stderr $out"
	test_expect "$out: every workload stall through try_to_free_pages, from a system call or a fault" \
		"[ $w -gt 0 ] && [ $k -eq $w ] && [ $path -eq $w ] && [ $thp -gt 0 ]"
	test_expect "$out: every workload stall has a user stack" \
		"[ $w -gt 0 ] && [ $u -eq $w ]"
}

offline td "" -i "$tmp/trace.dat" -K --user-stack
check td "$td_pairs"
offline tdh hide -i "$tmp/trace.dat" -K --user-stack
check tdh "$td_pairs"
offline pd "" -i "$tmp/perf.data" -K --user-stack
check pd "$pd_pairs"
offline pdh hide -i "$tmp/perf.data" -K
test_expect "perf.data, /proc/kallsyms hidden: addresses, and stderr says why" \
	"! grep -q try_to_free_pages '$tmp/pdh.out' &&
	 grep -q '^    0xffff' '$tmp/pdh.out' &&
	 grep -q 'kernel frames show addresses' '$tmp/pdh.err'"
sed -n 1,8p "$tmp/td.out" | sed 's/^/# /'
done_testing
