#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The documentation cannot drift from the code: every option --help lists
# is in the man page and in the examples file's usage block, and that
# usage block is --help's output, verbatim.

set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
drsnoop=$top/drsnoop
man=$top/Documentation/drsnoop.8.txt
examples=$top/Documentation/drsnoop_example.txt
n=0 failed=0

check() {
	n=$((n + 1))
	if eval "$2"; then
		echo "ok $n - $1"
	else
		failed=$((failed + 1))
		echo "not ok $n - $1"
	fi
}

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
echo "1..$n"
[ $failed -eq 0 ]
