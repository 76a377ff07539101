#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Run each file reader's libFuzzer target for FUZZ_SECONDS (default 20,
# four targets in every make check, which CI runs; set it for a longer
# search), seeded with tests/fixtures (the files with stacks, throttles and
# compaction too: the targets replay with --all's trackers), perf.data's
# gfp names' (seeded with every kernel's direct-reclaim begin format in
# tests/fixtures/formats) and the plugin's (from no seed: its inputs are
# runs of records), and fail on any crash, leak, sanitizer report or
# timeout (libFuzzer then exits non-zero and keeps the input in
# .output/fuzz/findings/). Speaks TAP.
#
# Two settings stand for how drsnoop really runs: a huge malloc returns
# NULL (allocator_may_return_null; above 4 GiB at once, as a machine with
# no such memory would: ASan would otherwise spend seconds poisoning the
# shadow of a 22 GB allocation that libtracecmd asks for on a corrupted
# size, which costs nothing untouched outside ASan, and time out), and
# leaks inside libtraceevent's own format parser, on hostile formats, are
# not ours (lsan.supp).
# fuzz_tracedat runs libtracecmd in a child process, as drsnoop does: its
# crashes are contained, and the malloc limit is lifted for that child.
# fuzz_gfp likewise parses each format with libtraceevent in a child
# first, and runs drsnoop's code in-process only on those it survives.

set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/.output/fuzz
seconds=${FUZZ_SECONDS:-20}

echo "1..4"
n=0
for target in tracedat perfdata gfp plugin; do
	n=$((n + 1))
	bin=$out/fuzz_$target
	if [ ! -x "$bin" ]; then
		echo "not ok $n - fuzz_$target # not built (make fuzz)"
		continue
	fi
	corpus=$(mktemp -d)
	case $target in
	tracedat) cp "$top/tests/fixtures/trace.dat" \
		"$top/tests/fixtures/stacks.dat" \
		"$top/tests/fixtures/throttle.dat" \
		"$top/tests/fixtures/compact.dat" "$corpus/" ;;
	perfdata) cp "$top/tests/fixtures/perf.data" \
		"$top/tests/fixtures/stacks.perf.data" \
		"$top/tests/fixtures/compact.perf.data" "$corpus/" ;;
	gfp) for dir in "$top"/tests/fixtures/formats/*/; do
		cp "$dir/events/vmscan/mm_vmscan_direct_reclaim_begin/format" \
			"$corpus/$(basename "$dir")"
	done ;;
	esac
	mkdir -p "$out/findings"
	log=$out/fuzz_$target.log
	ASAN_OPTIONS=allocator_may_return_null=1:max_allocation_size_mb=4096:detect_leaks=1 \
	LSAN_OPTIONS=suppressions=$top/tests/fuzz/lsan.supp \
		"$bin" -max_total_time="$seconds" -timeout=10 \
		-malloc_limit_mb=65536 -rss_limit_mb=4096 \
		-artifact_prefix="$out/findings/" "$corpus" >"$log" 2>&1
	status=$?
	runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log")
	if [ $status -eq 0 ]; then
		echo "ok $n - fuzz_$target: ${runs:-?} runs in ${seconds}s"
	else
		echo "not ok $n - fuzz_$target exited $status (see $log)"
		grep -m5 'ERROR\|runtime error\|Test unit written' "$log" |
			sed 's/^/# /'
	fi
	rm -rf "$corpus"
done
