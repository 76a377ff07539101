#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# --throttle under real reclaim throttling: six dd writers (a copy of dd
# named t73-writer) in a 32 MiB cgroup v1 memory group (memcg_v1 mounts
# the controller where only cgroup2 has it), files on the root
# filesystem, find only dirty pages in their memcg reclaim and sleep in
# reclaim_throttle() (about 500 mm_vmscan_throttled here, all
# writeback, in 10 s). A tracefs instance of the test's own records the
# throttle events of the same window: drsnoop --throttle -n t73-writer,
# on both backends, reports exactly as many throttles of the writers,
# each with the reason and the usec_delayed the kernel printed; each
# throttle inside a memcg reclaim is "nested_in" it with --memcg.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/memcg-lib.sh"
require_root
require_btf
require_vmscan
require_memcg
[ -d "$(tracefs_dir)/events/vmscan/mm_vmscan_throttled" ] ||
	skip_all "the kernel has no vmscan:mm_vmscan_throttled event (before 5.16)"
command -v jq >/dev/null || fail_all "jq is not installed"

name=drsnoop-t73-$$
memcg_v1 || fail_all "cannot mount cgroup v1's memory controller"
make_memcg "$name" 32 || fail_all "cannot create a memory cgroup"
# The writers' files, on the root filesystem (a tmpfs would not write back).
wdir=/var/tmp/$name
at_exit "rm -rf '$wdir'"
mkdir -p "$wdir" && cp /bin/dd "$wdir/t73-writer" ||
	fail_all "cannot set up $wdir"

T=$(tracefs_dir)
inst=$T/instances/t73-count-$$
at_exit "rmdir '$inst'"
mkdir "$inst" && echo 8192 >"$inst/buffer_size_kb" ||
	fail_all "cannot set up tracefs instance $inst"
echo 'comm == "t73-writer"' >"$inst/events/vmscan/mm_vmscan_throttled/filter" ||
	fail_all "cannot filter the instance's events"

for b in bpf ftrace; do
	start_drsnoop_quiet $b --backend=$b --throttle --memcg -j -n t73-writer ||
		fail_all "the $b backend does not start with --throttle"
	start_drsnoop ${b}t --backend=$b --throttle -n t73-writer ||
		not_ok "$b text started"
done
echo 1 >"$inst/events/vmscan/mm_vmscan_throttled/enable"
memcg_write "$memcg_dir" "$wdir/t73-writer" 6 400
sleep 0.5
echo 0 >"$inst/events/vmscan/mm_vmscan_throttled/enable"
sleep 0.3
for d in bpf ftrace bpft ftracet; do expect_stopped $d; done

# The kernel's own: "usect_delayed=N reason=VMSCAN_THROTTLE_X" a line.
awk '/mm_vmscan_throttled:/ {
	for (i = 1; i <= NF; i++) {
		if ($i ~ /^usect_delayed=/) { sub(/.*=/, "", $i); d = $i }
		if ($i ~ /^reason=/) { sub(/.*=VMSCAN_THROTTLE_/, "", $i); r = tolower($i) }
	}
	print d, r
}' "$inst/trace" | sort >"$tmp/kernel.thr"
count=$(wc -l <"$tmp/kernel.thr")
overrun=$(awk '/^overrun:/ { n += $2 } END { print n + 0 }' "$inst"/per_cpu/cpu*/stats)
diag "the tracefs instance counted $count throttles of the writers (overrun $overrun)"
test_expect "the workload throttled (at least 50 times)" \
	"[ $count -ge 50 ] && [ $overrun -eq 0 ]"

for b in bpf ftrace; do
	jq -r 'select(.kind == "throttle") | "\(.lat_ns / 1000) \(.reason)"' \
		"$tmp/$b.out" | sort >"$tmp/$b.thr"
	n=$(wc -l <"$tmp/$b.thr")
	diag "$b: $n throttles"
	test_expect "$b: as many throttles as the instance counted ($count)" \
		"[ $n -eq $count ]"
	if diff "$tmp/kernel.thr" "$tmp/$b.thr" >"$tmp/$b.diff"; then
		ok "$b: the same latencies (usec_delayed) and reasons"
	else
		not_ok "$b: the same latencies (usec_delayed) and reasons"
		sed 's/^/# /' "$tmp/$b.diff" | head -6
	fi
	test_expect "$b: every line a stall of the writers, nested_in set or null" \
		"jq -e -s 'length > 0 and all(.[]; .comm == \"t73-writer\" and
			(.kind == \"throttle\" and .pages == null and
			 (.nested_in == null or .nested_in == \"memcg\") or
			 .kind == \"memcg\" and .reason == null))' '$tmp/$b.out' >/dev/null"
	jq -r '"\(.comm) \(.kind) \(.nested_in) \(.reason)"' "$tmp/$b.out" |
		sort | uniq -c | sed "s/^/# $b lines: /"
	test_expect "$b: throttles inside the writers' memcg reclaim are nested in it" \
		"jq -e -s '[.[] | select(.nested_in == \"memcg\")] | length > 0' '$tmp/$b.out' >/dev/null"
	# Text: KIND and REASON last; PAGES "-" on every throttle line.
	t=$(stalls ${b}t | awk '$5 == "throttle" && $4 == "-"' | wc -l)
	test_expect "$b text: $count throttle lines, PAGES -" "[ $t -eq $count ]"
	test_expect "$b: no lost events" "! grep -q '^drsnoop: lost' '$tmp/$b.err'"
done

done_testing
