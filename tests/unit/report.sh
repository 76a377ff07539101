#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# --report and --flamegraph from -i of each recorded fixture: the page's
# totals (its data, the table's rows, the heat map's cells, the flame
# graph's root) are -s -j's for the same file; the SVG is XML whose rows
# of frames add up to at most the root's width, the row on the root to
# exactly it. A recording that cannot be read leaves no file.

set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
drsnoop=$top/.output/asan/drsnoop
# LeakSanitizer's exit cannot run under -i's seccomp filter.
export ASAN_OPTIONS=detect_leaks=0:exitcode=99
fixtures=$top/tests/fixtures
widths=$top/tests/helpers/flame-widths.awk
tmp=$(mktemp -d /tmp/drsnoop-report.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
. "$top/tests/check.sh"

# The page's JSON data: the one line after its script tag's opening.
data() {
	sed -n 's|.*<script type="application/json" id="drsnoop-data">\(.*\)</script>|\1|p' "$1"
}

# Sum of the table's data-ns and of its STALLS column.
table_ns() {
	grep -o '<td class="n" data-ns="[0-9]*"' "$1" | grep -o '[0-9]*' |
		awk '{ s += $1 } END { print s + 0 }'
}
table_stalls() {
	sed -n 's|^<tr><td>[^<]*</td><td class="n">[^<]*</td><td class="n" data-stalls="[0-9]*">\([0-9]*\)</td>.*|\1|p' "$1" |
		awk '{ s += $1 } END { print s + 0 }'
}

for f in trace.dat perf.data stacks.dat stacks.perf.data throttle.dat \
	compact.dat compact.perf.data; do
	h=$tmp/$f.html s=$tmp/$f.svg
	"$drsnoop" -i "$fixtures/$f" --all -K -s -j >"$tmp/$f.json" 2>/dev/null
	"$drsnoop" -i "$fixtures/$f" --all -K --report "$h" \
		--flamegraph "$s" >"$tmp/$f.out" 2>"$tmp/$f.err"
	rc=$?
	check "$f: drsnoop -i --report exits 0, prints nothing" \
		"[ $rc -eq 0 ] && [ ! -s '$tmp/$f.out' ]"
	stalls=$(jq '.summary.stalls' "$tmp/$f.json")
	ns=$(jq '[.summary.processes[].total_ns] | add' "$tmp/$f.json")
	echo "# $f: -s -j: $stalls stalls, $ns ns"
	check "$f: the page's stalls and stall time are -s's" \
		"data '$h' | jq -e '.stalls == $stalls and .total_ns == $ns' >/dev/null"
	check "$f: the heat map's cells add up to $stalls" \
		"data '$h' | jq -e '[.kinds[].cells | . as \$c |
			range(2; length; 3) | \$c[.]] | add == $stalls' >/dev/null"
	check "$f: the process table adds up to $stalls stalls, $ns ns" \
		"[ \$(table_stalls '$h') -eq $stalls ] && [ \$(table_ns '$h') -eq $ns ]"
	check "$f: the flame graph's root is $ns ns, in the page and the SVG" \
		"grep -q 'id=\"drsnoop-flame-root\" data-ns=\"$ns\"' '$h' &&
		 grep -q 'id=\"drsnoop-flame-root\" data-ns=\"$ns\"' '$s'"
	check "$f: the SVG is well-formed XML" "xmllint --noout '$s'"
	check "$f: its frames' widths add up to the root's" \
		"w=\$(awk -f '$widths' '$s'); [ \"\$w\" = ok ] || { echo \"# \$w\"; false; }"
done

check "a report that cannot be written is an error that names it" \
	"! '$drsnoop' -i '$fixtures/trace.dat' --report /nonexistent/r.html \
		2>'$tmp/err' && grep -q \"cannot write '/nonexistent/r.html'\" '$tmp/err'"
check "--report with -s --interval is a usage error" \
	"'$drsnoop' --report '$tmp/r.html' -s --interval 5 2>/dev/null; [ \$? -eq 2 ]"

# A recording's files are made before it is read: a recording that
# cannot be read (not one at all; cut short, found so in the sandbox)
# leaves neither file behind, and one that can be read leaves both.
head -c 100 "$fixtures/trace.dat" >"$tmp/cut.dat"
head -c 3000 "$fixtures/perf.data" >"$tmp/cut.perf.data"
for f in /etc/hostname "$tmp/cut.dat" "$tmp/cut.perf.data"; do
	rm -f "$tmp/f.html" "$tmp/f.svg"
	"$drsnoop" -i "$f" --report "$tmp/f.html" --flamegraph "$tmp/f.svg" \
		>/dev/null 2>"$tmp/err"
	rc=$?
	check "-i ${f##*/} fails (status $rc), and leaves no report file" \
		"[ $rc -eq 1 ] && [ ! -e '$tmp/f.html' ] && [ ! -e '$tmp/f.svg' ]"
done
"$drsnoop" -i "$fixtures/stacks.dat" --report "$tmp/f.html" \
	--flamegraph "$tmp/f.svg" >/dev/null 2>&1
check "-i of a readable recording keeps both files" \
	"[ -s '$tmp/f.html' ] && [ -s '$tmp/f.svg' ]"

check_plan
