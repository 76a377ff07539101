#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# A fresh machine's first make run or make check is quiet until
# scripts/install-deps says what it installs: the Makefile asks pkg-config
# nothing aloud before, neither where no .pc file is there (an empty
# PKG_CONFIG_LIBDIR) nor where pkg-config itself is not. A build without
# the libraries stops with one line that names them. make -n builds
# nothing; its sub-make, which make runs even then, is checked too.

. "$(dirname "$0")/../kernel/lib.sh"
empty=$tmp/empty
mkdir "$empty"

# make -n echoes the recipes on stdout; what pkg-config says is on stderr.
quiet() {
	local err
	err=$(cd "$top" && "$@" 2>&1 >/dev/null)
	[ -z "$err" ] || { printf '%s\n' "$err" | sed 's/^/# /'; false; }
}

for goal in run check; do
	test_expect "make $goal with no .pc file: nothing on stderr" \
		"quiet env -u PKG_CONFIG_PATH PKG_CONFIG_LIBDIR='$empty' make -n $goal"
	test_expect "make $goal with no pkg-config: nothing on stderr" \
		"quiet env PKG_CONFIG=drsnoop-test-no-pkg-config make -n $goal"
done

err=$(cd "$top" && env -u PKG_CONFIG_PATH PKG_CONFIG_LIBDIR="$empty" \
	make --no-print-directory check-deps 2>&1)
rc=$?
printf '%s\n' "$err" | sed 's/^/# /'
test_expect "a build with no libraries stops, naming them and install-deps" \
	'[ $rc -ne 0 ] && [ "$(printf "%s\n" "$err" | grep -c "^make: missing libraries: libbpf .*libtracecmd (scripts/install-deps")" = 1 ]'
test_expect "a build with the libraries goes on, saying nothing" \
	"quiet make --no-print-directory check-deps"
done_testing
