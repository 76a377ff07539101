#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The count cannot pass by skipping: tests/run, copied into a scratch tree
# with this repo's tests/README and tests/tap.sh, runs crafted TAP
# programs there, and each rule of tests/README must show in what it
# prints; scripts/vmcheck's recount of that output (tap_recount) must give
# the same counts.

. "$(dirname "$0")/../kernel/lib.sh"
fake=$tmp/repo
mkdir -p "$fake/tests/unit" "$fake/tests/kernel" "$fake/.output/asan"
cp "$top/tests/run" "$top/tests/tap.sh" "$top/tests/README" "$fake/tests/"

# program NAME [STATUS] < TAP: a unit script printing TAP, exiting STATUS.
program() {
	{
		echo "cat <<'TAP'"
		cat
		echo TAP
		echo "exit ${2:-0}"
	} >"$fake/tests/unit/$1.sh"
}

program good <<'EOF'
1..2
ok 1 - one
ok 2 - two
EOF
program skip-allowed <<'EOF'
1..0 # SKIP needs root
EOF
program skip-other <<'EOF'
1..0 # SKIP no jq (scripts/install-deps)
EOF
program no-reason <<'EOF'
1..0
EOF
program skip-one <<'EOF'
ok 1 - one
ok 2 # SKIP trace.dat: no tracefs
ok 3 # SKIP perf.data: no perf
1..3
EOF
program plan-short <<'EOF'
ok 1 - one
1..2
EOF
program no-plan <<'EOF'
ok 1 - one
EOF
program skip-late <<'EOF'
ok 1 - one
1..0 # SKIP needs root
EOF
program two-plans <<'EOF'
1..1
ok 1 - one
1..1
EOF
program exit-status 3 <<'EOF'
1..1
ok 1 - one
EOF
touch "$fake/tests/unit/test_missing.c"

bash "$fake/tests/run" unit >"$tmp/unit.out" 2>&1
rc=$?

# has LINE: tests/run printed LINE.
has() {
	grep -qxF -- "$1" "$tmp/unit.out"
}

test_expect "a good program's results pass" \
	"has 'unit/good: ok 1 - one' && has 'unit/good: ok 2 - two'"
test_expect "a whole file skipped for an allowed reason is a skip, repeated" \
	"has 'unit/skip-allowed: 1..0 # SKIP needs root' &&
	 has '# skipped: unit/skip-allowed: needs root'"
test_expect "a whole file skipped for another reason is a failure" \
	"has \"unit/skip-other: not ok - skipped for a reason not on tests/README's list: no jq (scripts/install-deps)\""
test_expect "a whole file skipped without a reason is a failure" \
	"has \"unit/no-reason: not ok - skipped for a reason not on tests/README's list: (none given)\""
test_expect "a result skipped for an allowed reason (labelled) is a skip" \
	"has 'unit/skip-one: ok 2 # SKIP trace.dat: no tracefs' &&
	 has '# skipped: unit/skip-one: trace.dat: no tracefs'"
test_expect "a result skipped for another reason is a failure, its number kept" \
	"has \"unit/skip-one: not ok 3 - skipped for a reason not on tests/README's list: perf.data: no perf\""
test_expect "fewer results than planned is a failure" \
	"has 'unit/plan-short: not ok - planned 2, ran 1'"
test_expect "no plan is a failure" \
	"has 'unit/no-plan: not ok - no plan printed, ran 1'"
test_expect "a skip after results is a failure" \
	"has 'unit/skip-late: not ok - planned 0, ran 1'"
test_expect "two plans are a failure" \
	"has 'unit/two-plans: not ok - 2 plans printed, ran 1'"
test_expect "a non-zero exit with all results ok is a failure" \
	"has 'unit/exit-status: not ok - exited with status 3'"
test_expect "a unit test that is not built is a failure" \
	"has 'unit/test_missing: not ok - .output/asan/tests/test_missing is not built (make test-build)'"
test_expect "failures are repeated" \
	"has '# failed: unit/plan-short: not ok - planned 2, ran 1'"
test_expect "the counts: 8 passed, 9 failed, 3 skipped; exit status 1" \
	"[ \"\$(tail -1 '$tmp/unit.out')\" = '8 passed, 9 failed, 3 skipped' ] &&
	 [ $rc -eq 1 ]"

# As scripts/vmcheck counts a guest's tests/run output.
(
	. "$top/tests/tap.sh"
	tap_recount 6.1 <"$tmp/unit.out" >"$tmp/recount.out"
	tap_summary | tail -1
) >"$tmp/recount.sum"
test_expect "counted again as vmcheck does, the same counts" \
	"[ \"\$(cat '$tmp/recount.sum')\" = '8 passed, 9 failed, 3 skipped' ] &&
	 grep -qxF '6.1/unit/skip-allowed: 1..0 # SKIP needs root' '$tmp/recount.out'"

env -u DRSNOOP bash "$fake/tests/run" kernel >"$tmp/nobin.out" 2>&1
rc=$?
test_expect "kernel tests without .output/asan/drsnoop: a failure" \
	"[ $rc -eq 1 ] &&
	 grep -qxF 'kernel: not ok - no $fake/.output/asan/drsnoop (make test-build)' '$tmp/nobin.out' &&
	 [ \"\$(tail -1 '$tmp/nobin.out')\" = '0 passed, 1 failed' ]"

printf '#!/bin/sh\n' >"$fake/.output/asan/drsnoop"
chmod +x "$fake/.output/asan/drsnoop"
printf 'echo 1..1\necho ok 1 - one\n' >"$fake/tests/kernel/t01-one.sh"
env -u DRSNOOP bash "$fake/tests/run" kernel t01-one t99-none >"$tmp/none.out" 2>&1
rc=$?
test_expect "a kernel test named but not there: a failure" \
	"[ $rc -eq 1 ] &&
	 grep -qxF 'kernel/t99-none: not ok - no test tests/kernel/t99-none.sh' '$tmp/none.out' &&
	 [ \"\$(tail -1 '$tmp/none.out')\" = '1 passed, 1 failed' ]"

# What the scratch tree's tests/run printed, to read a failure by.
[ $test_failed -eq 0 ] || sed 's/^/# /' "$tmp/unit.out"
done_testing
