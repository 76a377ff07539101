# SPDX-License-Identifier: GPL-2.0
#
# check DESC COMMAND: one TAP result, ok when COMMAND (a string, eval'd)
# succeeds; check_plan prints the plan and fails when any check did. For
# the unit scripts, sourced.

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

check_plan() {
	echo "1..$n"
	[ "$failed" -eq 0 ]
}
