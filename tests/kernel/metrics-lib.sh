# SPDX-License-Identifier: GPL-2.0
#
# Reading drsnoop's Prometheus metrics, for the tests that scrape them
# (t64 through node_exporter, t68 under systemd), after lib.sh.

# The sum of the values of a scrape's lines that start with $2.
value() {
	grep -F "$2" "$1" | awk '{ n += $NF } END { printf "%.0f\n", n }'
}

# Direct stalls counted (_count of kind="direct"), stalls lost and the
# kernel's allocstall counters, in scrape or metrics file $1.
capture_counts() {
	echo "$(grep -F 'kind="direct"' "$1" | value /dev/stdin 'drsnoop_stall_seconds_count{')" \
		"$(value "$1" 'drsnoop_lost_stalls_total ')" \
		"$(value "$1" 'drsnoop_kernel_allocstall_total{')"
}

# expect_capture WHAT BEFORE AFTER: between the two scrapes, direct
# _count + lost rose exactly as the kernel's allocstall counters did.
expect_capture() {
	local d1 l1 k1 d2 l2 k2
	read -r d1 l1 k1 < <(capture_counts "$2")
	read -r d2 l2 k2 < <(capture_counts "$3")
	diag "$1: direct _count $d1 -> $d2, lost $l1 -> $l2, allocstall $k1 -> $k2"
	test_expect "$1: direct _count + lost rose as the kernel's allocstall ($((k2 - k1)))" \
		"[ $((k2 - k1)) -gt 0 ] && [ $((d2 - d1 + l2 - l1)) -eq $((k2 - k1)) ]"
}
