#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# --compaction against the kernel's own count. The workload:
# tests/helpers/fragment faults small pages over all but 200 MiB of what
# is available (2 GiB at most), frees every other one, then faults huge
# pages: each compacts. In 6.1 and 6.12 guests (1.5 GiB) 13-63
# compact_stall in 15-18 s. Here, with 20 GiB free, 2 GiB fragment
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
#   the rise of /proc/vmstat compact_stall over the window, with no line
#   of the shell that writes /proc/sys/vm/compact_memory before and after
#   the workload inside it (not during: it would undo the fragmenting; its
#   zone compactions, like kcompactd's, are nobody's stall); each
#   line's REASON one of compaction's status names, PAGES null;
# - where BPF can fexit __alloc_pages_direct_compact (Debian's kernels),
#   the BPF backend knows each attempt's outcome: got_page true and
#   false are exactly the compact_success and compact_fail rises; the
#   ftrace backend never knows it (got_page null);
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

# What the kernel's compaction tracepoints call a status.
names='not_suitable_zone|skipped|deferred|no_suitable_page|continue|complete|partial_skipped|contended|success'
wl=t74-wl
exact=
can_fentry __alloc_pages_direct_compact && exact=1

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
	"$FRAGMENT" $wl $frag $((frag / 4)) >"$tmp/frag.out" || return 1
	diag "fragment $frag MiB, then $((frag / 4)) MiB of huge pages: compact_stall +$(($(vmstat compact_stall) - s))"
	[ $(($(vmstat compact_stall) - s)) -gt 0 ] || run_pressure -n $wl
}

s0=$(vmstat compact_stall) g0=$(vmstat compact_success) f0=$(vmstat compact_fail)
compact_all
workload
wl_rc=$?
compact_all
sleep 0.5
s1=$(vmstat compact_stall) g1=$(vmstat compact_success) f1=$(vmstat compact_fail)
stall=$((s1 - s0)) success=$((g1 - g0)) fail=$((f1 - f0))
pids=()
for d in bpf ftrace bpfn ftracen bpfs ftraces; do
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
	test_expect "$b: as many compact lines as compact_stall rose ($stall)" \
		"[ $n -eq $stall ]"
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

jq -r .got_page "$tmp/bpf.c" | sort | uniq -c | sed 's/^ */# bpf got_page: /'
if [ -n "$exact" ]; then
	got=$(jq -r 'select(.got_page == true)' "$tmp/bpf.c" | grep -c '^{')
	no=$(jq -r 'select(.got_page == false)' "$tmp/bpf.c" | grep -c '^{')
	test_expect "bpf (fexit): got_page true $got = compact_success rise, false $no = compact_fail rise" \
		"[ $got -eq $success ] && [ $no -eq $fail ]"
else
	skip "the kernel cannot fexit __alloc_pages_direct_compact (no function tracer)"
fi
test_expect "ftrace: got_page null on every line (no outcome)" \
	"jq -e -s 'all(.[]; .got_page == null)' '$tmp/ftrace.c' >/dev/null"

# -s -j: "capture" holds the count seen ("compact":N) and then the
# kernel's counters ("compact":{...}, the key that jq reads).
seen=$(grep -o '"capture":{[^{]*' "$tmp/bpfs.out" |
	sed -n 's/.*"compact":\([0-9][0-9]*\).*/\1/p')
read -r rise bg gp np sr fr < <(jq -r '.summary.capture.compact |
	"\(.stall_rise) \(.background) \(.got_page) \(.no_page) \(.success_rise) \(.fail_rise)"' \
	"$tmp/bpfs.out")
diag "bpf -s -j: seen ${seen:-?}, stall_rise $rise, background $bg, got_page $gp, no_page $np"
test_expect "bpf -s -j: compact seen = capture.compact.stall_rise" \
	"[ -n '$seen' ] && [ '$seen' = '$rise' ] && [ '$rise' -gt 0 ]"
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
test_expect "ftrace -s: compact stalls seen = compact_stall rise on the capture line" \
	"[ -n '$seen' ] && [ '$seen' = '$rise' ] && [ '$rise' -gt 0 ]"
test_expect "ftrace -s: background zone compactions counted" "[ '${bg:-0}' -gt 0 ]"

test_expect "no instance or kprobe event of drsnoop left" "no_drsnoop_left ${pids[*]}"

done_testing
