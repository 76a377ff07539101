#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Every C file is as the repo's .clang-format (kernel style) lays it out.

set -u
cd "$(dirname "$0")/../.." || exit 1
# scripts/install-deps installs it: without it, this fails.
command -v clang-format >/dev/null || {
	echo "not ok 1 - no clang-format (scripts/install-deps)"
	echo "1..1"
	exit 1
}
n=0 failed=0
for f in $(git ls-files '*.c' '*.h' 2>/dev/null || find src bpf fallback plugin scripts tests -name '*.[ch]'); do
	n=$((n + 1))
	if clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
		echo "ok $n - $f"
	else
		failed=$((failed + 1))
		echo "not ok $n - $f (clang-format -i $f)"
	fi
done
echo "1..$n"
[ $failed -eq 0 ]
