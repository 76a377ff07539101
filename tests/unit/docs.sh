#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The documentation cannot drift from the code: every option --help lists
# is in the man page and in the examples file's usage block, and that
# usage block is --help's output, verbatim; and README's performance
# figures are the ratios make bench last wrote in performance.md.

set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
drsnoop=$top/drsnoop
man=$top/Documentation/drsnoop.8.txt
examples=$top/Documentation/drsnoop_example.txt
readme=$top/README.md
perf=$top/Documentation/performance.md
. "$top/tests/check.sh"

help=$("$drsnoop" --help)
options=$(printf '%s\n' "$help" | grep -oE -- '--[a-z][a-z-]+' | sort -u)
for opt in $options; do
	check "man page documents $opt" "grep -qF -- '*$opt*' '$man'"
done
check "the examples file shows the current --help verbatim" \
	"grep -qF -- \"\$(printf '%s\n' \"\$help\" | head -3)\" '$examples' &&
	 diff <(printf '%s\n' \"\$help\") <(sed -n '/^# drsnoop -h\$/,\$p' '$examples' | tail -n +2) >/dev/null"
synopsis=$(sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' "$man")
for opt in $(printf '%s\n' "$help" | sed -n '1,/^$/p' | grep -oE -- '\[-[-A-Za-z]+' | tr -d '['); do
	check "man page SYNOPSIS lists $opt" "printf '%s\n' \"\$synopsis\" | grep -qF -- '*$opt*'"
done
check "the man page's SYNOPSIS lists each short option" \
	"for o in \$(printf '%s\n' \"\$help\" | grep -oE '^  -[A-Za-z]' | tr -d ' '); do
		grep -qF -- \"*\$o*\" '$man' || exit 1
	 done"

# A cell of performance.md's Results table: its ROW's value in COLUMN.
results_cell() {
	awk -F'|' -v row="$1" -v col="$2" '
	function trim(s) { gsub(/^ +| +$/, "", s); return s }
	/^## Results/ { on = 1; next }
	on && /^#/ { exit }
	on && trim($2) == "measure" {
		for (i = 2; i < NF; i++)
			at[trim($i)] = i
	}
	on && trim($2) == row && (col in at) { print trim($at[col]); exit }
	' "$perf"
}

# The number README's text has where PATTERN's (...) is, lines joined.
readme_figure() {
	tr '\n' ' ' <"$readme" | tr -s ' ' | sed -nE "s/.*$1.*/\\1/p"
}

# check_figure WHAT README-PATTERN ROW COLUMN
check_figure() {
	local want got

	want=$(results_cell "$3" "$4")
	got=$(readme_figure "$2")
	check "README's $1 is performance.md's $4 of '$3' (${got:-none} vs ${want:-none})" \
		"[ -n '$want' ] && [ '$got' = '$want' ]"
}
check_figure "time to get ready" " ([0-9.]+)× the time" \
	"exec-to-ready, median ms" "bpf/peer"
check_figure "time to get ready on ftrace" \
	"\\(([0-9.]+)× on the ftrace backend\\)" \
	"exec-to-ready, median ms" "ftrace/peer"
check_figure "cost per stall" " ([0-9.]+)× as much per stall" \
	"begin + end, ns/stall" "bpf/peer"
check_figure "memory" " ([0-9.]+)× its memory" \
	"VmRSS while tracing, KiB" "bpf/peer"
check_plan
