#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# --compaction against the kernel's own count. The workload:
# tests/helpers/fragment faults small pages over all but 200 MiB of what
# is available (2 GiB at most), frees every other one, then faults huge
# pages (up to half that, until compact_stall rose by 30): they compact.
# In 6.1 and 6.12 guests (1.5 GiB) 12-63 compact_stall, the test 1-3
# minutes under emulation. Here, with 20 GiB free, 2 GiB fragment
# nothing, and reclaim-pressure follows (only where fragment compacted
# nothing: under emulation it takes minutes): its THP faults, once the
# hugetlb pool has taken the free memory, compact before they reclaim
# (about 500 compact_stall, 30-240 of them successes, in 5 s). The test owns
# the whole window, as t10 does for allocstall (the reclaim lock: no
# other workload of ours runs; the machine's other high-order
# allocations that compact are counted by both sides alike), and runs
# every tracer over the same workload run:
#
# - with no filter, on each backend, the compact lines (-j) are exactly
#   the rise of /proc/vmstat compact_stall over the window, but for
#   attempts that no tracepoint shows whole: a tracefs instance of the
#   test's own counts the attempts no zone event followed (some of
#   which the kernel counts, as successes that found the zones above
#   their watermark: 1 of 833 here; none in the 6.1 guests), and a
#   tracepoint-based count may fall short by at most that many; BPF with
#   fexit sees every attempt's end, and must be exact; no line
#   of the shell that writes /proc/sys/vm/compact_memory before and after
#   the workload inside it (not during: it would undo the fragmenting; its
#   zone compactions, like kcompactd's, are nobody's stall); each
#   line's REASON one of compaction's status names, PAGES null;
# - where BPF can fexit __alloc_pages_direct_compact (Debian's kernels),
#   the BPF backend knows each attempt's outcome: got_page true and
#   false are exactly the compact_success and compact_fail rises; the
#   ftrace backend never knows it (got_page null); where kprobes work
#   too, a drsnoop on the BPF backend's kprobe programs
#   (DRSNOOP_BPF_HOOK=kprobe) is held to the same, so that they run
#   somewhere (the 6.1 guests, x86 and arm64);
# - -s (-j on bpf, text on ftrace): the capture line's own window has as
#   many compact stalls seen as compact_stall rose in it, and more than
#   0 background zone compactions (the writes);
# - the filter (-n, text output) shows exactly the unfiltered run's lines
#   of the workload: the same count, KIND compact, PAGES "-";
# - every drsnoop exits 0 on SIGINT, loses nothing, leaves no instance.

. "$(dirname "$0")/lib.sh"
require_root
require_btf
require_vmscan
require_compaction
[ -e /sys/kernel/mm/transparent_hugepage/enabled ] ||
	skip_all "the kernel has no transparent hugepages"
FRAGMENT=$top/.output/fragment
[ -x "$FRAGMENT" ] || fail_all "tests/helpers/fragment not built (make test-build)"
command -v jq >/dev/null || fail_all "jq is not installed"

hold_reclaim_lock

# The test's own record of the window's compaction events.
T=$(tracefs_dir)
inst=$T/instances/t74-count-$$
at_exit "rmdir '$inst'"
mkdir "$inst" && echo 8192 >"$inst/buffer_size_kb" ||
	fail_all "cannot set up tracefs instance $inst"
cevents="try_to_compact_pages suitable deferred defer_reset begin end"

# What the kernel's compaction tracepoints call a status.
names='not_suitable_zone|skipped|deferred|no_suitable_page|continue|complete|partial_skipped|contended|success'
wl=t74-wl
exact= kprobe=
can_fentry __alloc_pages_direct_compact && exact=1
[ -n "$exact" ] && can_kprobe __alloc_pages_direct_compact && kprobe=bpfk

for b in bpf ftrace; do
	start_drsnoop_quiet $b --backend=$b --compaction -j ||
		fail_all "the $b backend does not start with --compaction"
	start_drsnoop ${b}n --backend=$b --compaction -n $wl ||
		not_ok "$b -n $wl started"
done
start_drsnoop_quiet bpfs --backend=bpf --compaction -s -j ||
	not_ok "bpf -s -j started"
start_drsnoop_quiet ftraces --backend=ftrace --compaction -s ||
	not_ok "ftrace -s started"
if [ -n "$kprobe" ]; then
	DR_ENV=DRSNOOP_BPF_HOOK=kprobe start_drsnoop_quiet bpfk --backend=bpf \
		--compaction -j || not_ok "bpf with its kprobe programs started"
fi

# compact_memory: a shell that says its pid, then compacts every zone.
compact_all() {
	sh -c 'echo $$ >>"$1" && echo 1 >/proc/sys/vm/compact_memory' sh \
		"$tmp/writers" || diag "the write to compact_memory failed"
}

# The workload: FRAGMENT's huge pages, and reclaim-pressure's on a
# machine where the first compacted little (free memory beyond what it
# can fragment): both named $wl.
avail=$(awk '$1 == "MemAvailable:" { print int($2 / 1024) }' /proc/meminfo)
frag=$((avail - 200))
[ $frag -le 2048 ] || frag=2048
workload() {
	local s=$(vmstat compact_stall)
	"$FRAGMENT" $wl $frag $((frag / 2)) 30 >"$tmp/frag.out" || return 1
	diag "fragment $frag MiB, then up to $((frag / 2)) MiB of huge pages (30 compact_stall): compact_stall +$(($(vmstat compact_stall) - s))"
	[ $(($(vmstat compact_stall) - s)) -gt 0 ] || run_pressure -n $wl
}

for e in $cevents; do
	echo 1 >"$inst/events/compaction/mm_compaction_$e/enable" ||
		fail_all "cannot enable compaction:mm_compaction_$e in $inst"
done
s0=$(vmstat compact_stall) g0=$(vmstat compact_success) f0=$(vmstat compact_fail)
compact_all
workload
wl_rc=$?
compact_all
sleep 0.5
s1=$(vmstat compact_stall) g1=$(vmstat compact_success) f1=$(vmstat compact_fail)
echo 0 >"$inst/tracing_on"
stall=$((s1 - s0)) success=$((g1 - g0)) fail=$((f1 - f0))
# Attempts that no zone event follows before the task's next attempt
# (mm_compaction_defer_reset is one: a zone whose watermark is met at
# once): the kernel may count one that no tracepoint tells from one that
# skipped every zone; without fexit, drsnoop cannot show it.
read -r tries bare < <(awk '/ mm_compaction_/ {
	if (!match($0, /-[0-9]+ +(\([^)]*\) +)?\[[0-9]+\]/)) next
	t = substr($0, RSTART + 1) + 0
	if ($0 ~ / mm_compaction_try_to_compact_pages:/) {
		if ((t in open) && !zone[t]) bare++
		open[t] = 1; zone[t] = 0; tries++
	} else if (t in open) {
		zone[t] = 1
	}
} END {
	for (t in open) if (!zone[t]) bare++
	print tries + 0, bare + 0
}' "$inst/trace")
overrun=$(awk '/^overrun:/ { n += $2 } END { print n + 0 }' "$inst"/per_cpu/cpu*/stats)
diag "the instance: $tries attempts, $bare with no zone event (overrun $overrun)"
test_expect "the instance recorded the window whole" "[ $overrun -eq 0 ]"
# near N RISE: N is RISE, or short of it by attempts without a zone event.
near() {
	[ "$1" -le "$2" ] && [ "$1" -ge $(($2 - bare)) ]
}

pids=()
for d in bpf ftrace bpfn ftracen bpfs ftraces $kprobe; do
	pids+=("$(eval echo "\$$(pid_var $d)")")
	expect_stopped $d
done
test_expect "the workload ran" "[ $wl_rc -eq 0 ]"
diag "compact_stall rose by $stall (success $success, fail $fail)"
test_expect "the workload compacted directly (compact_stall rose)" "[ $stall -gt 0 ]"

writers=$(paste -sd, "$tmp/writers")
for b in bpf ftrace; do
	jq -c 'select(.kind == "compact")' "$tmp/$b.out" >"$tmp/$b.c"
	n=$(wc -l <"$tmp/$b.c")
	diag "$b: $n compact lines, $(jq -r .reason "$tmp/$b.c" | sort | uniq -c | paste -sd,)"
	if [ "$b" = bpf ] && [ -n "$exact" ]; then
		test_expect "$b (fexit): as many compact lines as compact_stall rose ($stall)" \
			"[ $n -eq $stall ]"
	else
		test_expect "$b: as many compact lines as compact_stall rose ($stall), but for attempts without a zone event ($bare)" \
			"near $n $stall"
	fi
	test_expect "$b: none of the compact_memory writers ($writers)" \
		"jq -e -s --argjson w '[$writers]' 'all(.[]; .pid as \$p | \$w | index(\$p) | not)' '$tmp/$b.c' >/dev/null"
	test_expect "$b: each a compaction status, PAGES null" \
		"jq -e -s 'all(.[]; .pages == null and (.reason | test(\"^($names)\$\")))' '$tmp/$b.c' >/dev/null"
	test_expect "$b: no lost events" "! grep -q '^drsnoop: lost' '$tmp/$b.err'"

	# The filter: the unfiltered run's lines of the workload, in text.
	w=$(jq -r --arg c $wl 'select(.comm == $c) | .pid' "$tmp/$b.c" | wc -l)
	t=$(stalls ${b}n | awk -v c=$wl -v re="^($names)\$" \
		'$1 == c && $4 == "-" && $5 == "compact" && $6 ~ re' | wc -l)
	diag "$b: $w compact lines of $wl, $t with -n $wl"
	test_expect "$b -n $wl: the $w attempts of the workload, no other task" \
		"[ $w -gt 0 ] && [ $t -eq $w ] && ! stalls ${b}n | awk '\$1 != \"$wl\"' | grep -q ."
done

# outcomes FILE: got and no, FILE's compact lines with got_page true and
# false.
outcomes() {
	got=$(jq -r 'select(.got_page == true)' "$1" | grep -c '^{')
	no=$(jq -r 'select(.got_page == false)' "$1" | grep -c '^{')
}

jq -r .got_page "$tmp/bpf.c" | sort | uniq -c | sed 's/^ */# bpf got_page: /'
if [ -n "$exact" ]; then
	outcomes "$tmp/bpf.c"
	test_expect "bpf (fexit): got_page true $got = compact_success rise, false $no = compact_fail rise" \
		"[ $got -eq $success ] && [ $no -eq $fail ]"
else
	skip "the kernel cannot fexit __alloc_pages_direct_compact (no function tracer)"
fi
if [ -n "$kprobe" ]; then
	jq -c 'select(.kind == "compact")' "$tmp/bpfk.out" >"$tmp/bpfk.c"
	n=$(wc -l <"$tmp/bpfk.c")
	outcomes "$tmp/bpfk.c"
	diag "bpf (kprobe): $n compact lines, got_page true $got, false $no"
	test_expect "bpf (kprobe): compaction traced by kprobe and kretprobe" \
		"grep -q '^drsnoop: compaction traced exactly, by kprobe/kretprobe on __alloc_pages_direct_compact\$' '$tmp/bpfk.err'"
	test_expect "bpf (kprobe): $n compact lines = compact_stall rise, got_page as compact_success and compact_fail rose" \
		"[ $n -eq $stall ] && [ $got -eq $success ] && [ $no -eq $fail ]"
	test_expect "bpf (kprobe): no lost events" \
		"! grep -q '^drsnoop: lost' '$tmp/bpfk.err'"
fi
test_expect "ftrace: got_page null on every line (no outcome)" \
	"jq -e -s 'all(.[]; .got_page == null)' '$tmp/ftrace.c' >/dev/null"

# -s -j: "capture" holds the count seen ("compact":N) and the kernel's
# counters ("compaction":{...}).
seen=$(jq -r '.summary.capture.compact' "$tmp/bpfs.out")
read -r rise bg gp np sr fr < <(jq -r '.summary.capture.compaction |
	"\(.stall_rise) \(.background) \(.got_page) \(.no_page) \(.success_rise) \(.fail_rise)"' \
	"$tmp/bpfs.out")
diag "bpf -s -j: seen ${seen:-?}, stall_rise $rise, background $bg, got_page $gp, no_page $np"
if [ -n "$exact" ]; then
	test_expect "bpf -s -j: capture.compact = capture.compaction.stall_rise" \
		"[ -n '$seen' ] && [ '$seen' = '$rise' ] && [ '$rise' -gt 0 ]"
else
	test_expect "bpf -s -j: capture.compact = capture.compaction.stall_rise, but for attempts without a zone event" \
		"[ -n '$seen' ] && [ '$rise' -gt 0 ] && near '$seen' '$rise'"
fi
test_expect "bpf -s -j: background zone compactions counted" "[ '$bg' -gt 0 ]"
if [ -n "$exact" ]; then
	test_expect "bpf -s -j (fexit): got_page = success_rise, no_page = fail_rise" \
		"[ '$gp' = '$sr' ] && [ '$np' = '$fr' ]"
fi
line=$(grep '^capture:' "$tmp/ftraces.out")
diag "ftrace -s: $line"
seen=$(sed -n 's/.*[:,] \([0-9]*\) compact stalls seen.*/\1/p' <<<"$line")
rise=$(sed -n 's/.*compact_stall rose by \([0-9]*\) .*/\1/p' <<<"$line")
bg=$(sed -n 's/.*; \([0-9]*\) background zone compactions;.*/\1/p' <<<"$line")
test_expect "ftrace -s: compact stalls seen = compact_stall rise on the capture line, but for attempts without a zone event" \
	"[ -n '$seen' ] && [ -n '$rise' ] && [ '$rise' -gt 0 ] && near '$seen' '$rise'"
test_expect "ftrace -s: background zone compactions counted" "[ '${bg:-0}' -gt 0 ]"

test_expect "no instance or kprobe event of drsnoop left" "no_drsnoop_left ${pids[*]}"

done_testing
