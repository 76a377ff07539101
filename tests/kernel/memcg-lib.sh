# SPDX-License-Identifier: GPL-2.0
#
# Memcg reclaim for the t6x tests, after lib.sh, from the workloads of
# scripts/memcg-lib.sh (shared with scripts/bench): a memory cgroup with
# a 64 MiB limit and a process in it reading a 300 MiB sparse file (no
# disk I/O; its page cache is charged to the group, which must reclaim
# its own pages: hundreds of mm_vmscan_memcg_reclaim_* events). The
# group and the file are removed on every way out.

. "$top/scripts/memcg-lib.sh"

require_memcg() {
	find_memcg || skip_all "no memory controller mounted (cgroup v1 or cgroup2)"
	[ -x "$SETCOMM" ] || fail_all "tests/helpers/setcomm not built (make test-build)"
}

# memcg_read [NAME]: memcg_reader_start as NAME (memcg-reader by
# default), and wait for it. A read still going after 90 s (a second or
# two here, 5-20 s under emulation) is SIGKILLed by reap_child, where
# wait_child showed it, and fails (124).
memcg_read() {
	local rc
	memcg_reader_start "${1:-memcg-reader}"
	reap_child "$reader_pid" 90 "the memcg reader hung"
	rc=$?
	[ $rc -ne 124 ] ||
		diag "the reader's group: $(paste -sd' ' "$memcg_dir/memory.events" 2>/dev/null)"
	return $rc
}

# memcg_write GROUP WRITER N MIB: memcg_writers_start, and wait for them.
memcg_write() {
	local p

	memcg_writers_start "$@" || not_ok "the writers started in the group"
	for p in "${writer_pids[@]}"; do
		wait_child "$p" 120 || not_ok "writer $p exited 0 (status $?)"
	done
}

# memcg_storm_start N: N tasks in the group, each reading the file over
# and over (thousands of memcg reclaims a second in a 16 MiB group) until
# memcg_storm_stop, which waits for them.
memcg_storm_start() {
	local i
	storm_flag=$tmp/storm.on
	storm_pids=()
	touch "$storm_flag"
	at_exit "rm -f '$storm_flag'"
	for i in $(seq "$1"); do
		sh -c 'echo $$ >"$1/cgroup.procs" &&
			while [ -e "$2" ]; do "$3" memcg-storm "$4"; done' \
			sh "$memcg_dir" "$storm_flag" "$SETCOMM" "$memcg_file" &
		storm_pids+=($!)
	done
}

memcg_storm_stop() {
	rm -f "$storm_flag"
	wait "${storm_pids[@]}"
}

# The group's memory.events "high" (times a charge found it over
# memory.high) and memory.pressure's "some" total (µs).
memcg_high_events() {
	awk '$1 == "high" { print $2 }' "$memcg_dir/memory.events"
}

memcg_some_us() {
	sed -n 's/^some .*total=\([0-9]*\).*/\1/p' "$memcg_dir/memory.pressure"
}
