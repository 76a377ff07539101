#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# A fresh machine's first make run or make check is quiet until
# scripts/install-deps says what it installs: the Makefile asks pkg-config
# nothing aloud before, neither where no .pc file is there (an empty
# PKG_CONFIG_LIBDIR) nor where pkg-config itself is not. A build without
# the libraries stops with one line that names them. make -n builds
# nothing; its sub-make, which make runs even then, is checked too.

set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
empty=$(mktemp -d)
trap 'rmdir "$empty"' EXIT
n=0 failed=0

check() {
	n=$((n + 1))
	if eval "$2"; then
		echo "ok $n - $1"
	else
		failed=$((failed + 1))
		echo "not ok $n - $1"
		printf '%s\n' "$err" | sed 's/^/# /'
	fi
}

# make -n echoes the recipes on stdout; what pkg-config says is on stderr.
for goal in run check; do
	err=$(cd "$top" && env -u PKG_CONFIG_PATH PKG_CONFIG_LIBDIR="$empty" \
		make -n "$goal" 2>&1 >/dev/null)
	check "make $goal with no .pc file: nothing on stderr" '[ -z "$err" ]'
	err=$(cd "$top" && PKG_CONFIG=drsnoop-test-no-pkg-config \
		make -n "$goal" 2>&1 >/dev/null)
	check "make $goal with no pkg-config: nothing on stderr" '[ -z "$err" ]'
done

err=$(cd "$top" && env -u PKG_CONFIG_PATH PKG_CONFIG_LIBDIR="$empty" \
	make --no-print-directory check-deps 2>&1)
rc=$?
check "a build with no libraries stops, naming them and install-deps" \
	'[ $rc -ne 0 ] && [ "$(printf "%s\n" "$err" | grep -c "^make: missing libraries: libbpf .*libtracecmd (scripts/install-deps")" = 1 ]'
err=$(cd "$top" && make --no-print-directory check-deps 2>&1)
rc=$?
check "a build with the libraries goes on, saying nothing" \
	'[ $rc -eq 0 ] && [ -z "$err" ]'

echo "1..$n"
[ $failed -eq 0 ]
