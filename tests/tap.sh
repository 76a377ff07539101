# SPDX-License-Identifier: GPL-2.0
#
# Counting TAP, the one copy of the rules that tests/run applies to each
# test program and scripts/vmcheck to what tests/run printed in a guest
# (see tests/README): a result is passed, failed or skipped; a skip whose
# reason is not on tests/README's list fails; a whole file skipped
# (1..0 # SKIP) counts as one skip; each program prints exactly one plan,
# which its results must fill. Source it; the counts are in tap_passed,
# tap_failed and tap_skipped, and tap_summary prints them.

tap_readme=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/README
tap_passed=0 tap_failed=0 tap_skipped=0
tap_failures=() tap_skips=() tap_reasons=()

# The EREs of tests/README's list: the tab-indented lines after its
# "ALLOWED SKIP REASONS" heading.
tap_load_reasons() {
	local line on=
	while IFS= read -r line; do
		[[ $line == "ALLOWED SKIP REASONS" ]] && on=1
		[[ -n $on && $line == $'\t'* ]] && tap_reasons+=("${line#$'\t'}")
	done <"$tap_readme"
}
tap_load_reasons

# Whether REASON is on the list. A skip of one result may name what it
# skips first ("trace.dat: no tracefs"): that label is not matched.
tap_reason_allowed() {
	local reason=$1 re
	[[ $reason =~ ^[^\ :]+:\ (.*) ]] && reason=${BASH_REMATCH[1]}
	for re in "${tap_reasons[@]}"; do
		[[ $reason =~ $re ]] && return 0
	done
	return 1
}

tap_pass() {
	tap_passed=$((tap_passed + 1))
	echo "$1: $2"
}

# tap_fail NAME LINE...: a failure (the words of LINE joined), repeated
# by tap_summary.
tap_fail() {
	local name=$1
	shift
	tap_failed=$((tap_failed + 1))
	tap_failures+=("$name: $*")
	echo "$name: $*"
}

# tap_skip NAME LINE REASON: a skip if REASON is allowed, else a failure
# numbered as LINE is (a whole file's has no number).
tap_skip() {
	local name=$1 line=$2 reason=$3 number=
	if tap_reason_allowed "$reason"; then
		tap_skipped=$((tap_skipped + 1))
		tap_skips+=("$name: $reason")
		echo "$name: $line"
		return
	fi
	[[ $line =~ ^ok\ ([0-9]+) ]] && number=" ${BASH_REMATCH[1]}"
	tap_fail "$name" "not ok$number - skipped for a reason" \
		"not on tests/README's list: ${reason:-(none given)}"
}

# tap_line NAME LINE: count one line of NAME's TAP and print it under
# NAME. Sets tap_kind: result, plan, skip_all or other. A plan of none
# (1..0) is a whole file skipped, with a reason or without.
tap_line() {
	local name=$1 line=$2 reason=
	local skip_re='^ok( [0-9]+)?( -)? *# *[Ss][Kk][Ii][Pp]:? *(.*)'
	local reason_re='^1\.\.0 *# *[Ss][Kk][Ii][Pp]:? *(.*)'
	tap_kind=result
	if [[ $line =~ ^1\.\.0($|[^0-9]) ]]; then
		tap_kind=skip_all
		[[ $line =~ $reason_re ]] && reason=${BASH_REMATCH[1]}
		tap_skip "$name" "$line" "$reason"
	elif [[ $line =~ $skip_re ]]; then
		tap_skip "$name" "$line" "${BASH_REMATCH[3]}"
	elif [[ $line =~ ^ok($|\ ) ]]; then
		tap_pass "$name" "$line"
	elif [[ $line =~ ^not\ ok($|\ ) ]]; then
		tap_fail "$name" "$line"
	elif [[ $line =~ ^1\.\.[0-9]+ ]]; then
		tap_kind=plan
		echo "$name: $line"
	elif [[ $line == "#"* ]]; then
		tap_kind=other
		echo "$name: $line"
	else
		tap_kind=other
		echo "$name: # $line"
	fi
}

# tap_program NAME STATUS < OUTPUT: count a test program's TAP. Its plan
# must be printed once and match its results; a program that exits with
# STATUS non-zero has failed, though none of its lines said so.
tap_program() {
	local name=$1 status=$2 line plan=0 plans=0 results=0
	local failed_before=$tap_failed
	while IFS= read -r line; do
		tap_line "$name" "$line"
		case $tap_kind in
		result) results=$((results + 1)) ;;
		plan)
			plans=$((plans + 1))
			plan=${line#1..}
			plan=${plan%%[!0-9]*}
			;;
		skip_all) plans=$((plans + 1)) plan=0 ;;
		esac
	done
	if ((plans == 0)); then
		tap_fail "$name" "not ok - no plan printed, ran $results"
	elif ((plans > 1)); then
		tap_fail "$name" "not ok - $plans plans printed, ran $results"
	elif ((plan != results)); then
		tap_fail "$name" "not ok - planned $plan, ran $results"
	fi
	if ((status != 0 && tap_failed == failed_before)); then
		tap_fail "$name" "not ok - exited with status $status"
	fi
}

# tap_recount PREFIX < OUTPUT: count what tests/run printed (elsewhere:
# a guest) again, each of its programs under PREFIX/NAME. Its plans were
# checked there; its own counts and repeats are not counted twice.
tap_recount() {
	local prefix=$1 line
	while IFS= read -r line; do
		case $line in
		"# skipped: "* | "# failed: "* | [0-9]*" passed, "*) ;;
		"#"*) echo "$prefix: $line" ;;
		*": "*) tap_line "$prefix/${line%%: *}" "${line#*: }" ;;
		*) echo "$prefix: # $line" ;;
		esac
	done
}

# The counts, in the form N passed, N failed[, N skipped], after every
# skip and failure again (a long log is often read from its end).
tap_summary() {
	local line s="$tap_passed passed, $tap_failed failed"
	for line in "${tap_skips[@]}"; do
		echo "# skipped: $line"
	done
	for line in "${tap_failures[@]}"; do
		echo "# failed: $line"
	done
	((tap_skipped)) && s="$s, $tap_skipped skipped"
	echo "$s"
}
