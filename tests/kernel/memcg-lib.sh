# SPDX-License-Identifier: GPL-2.0
#
# Memcg reclaim for the t6x tests, after lib.sh: a memory cgroup with a
# 64 MiB limit (cgroup v1's memory controller where it is mounted, else
# cgroup2's, as on a systemd machine) and a process in it reading a 300
# MiB sparse file (no disk I/O; its page cache is charged to the group,
# which must reclaim its own pages: hundreds of mm_vmscan_memcg_reclaim_*
# events). The group and the file are removed on every way out.

SETCOMM=$top/.output/setcomm

# Sets MEMCG_ROOT (the hierarchy's mount) and MEMCG_LIMIT (the limit's
# file), or returns 1 with no memory controller mounted.
find_memcg() {
	local v1 v2
	v1=$(awk '$3 == "cgroup" && $4 ~ /(^|,)memory(,|$)/ { print $2; exit }' /proc/mounts)
	v2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
	if [ -n "$v1" ]; then
		MEMCG_ROOT=$v1 MEMCG_LIMIT=memory.limit_in_bytes
	elif [ -n "$v2" ] && grep -qw memory "$v2/cgroup.controllers"; then
		MEMCG_ROOT=$v2 MEMCG_LIMIT=memory.max
	else
		return 1
	fi
}

require_memcg() {
	find_memcg || skip_all "no memory controller mounted (cgroup v1 or cgroup2)"
	[ -x "$SETCOMM" ] || fail_all "tests/helpers/setcomm not built (make test-build)"
}

# cgroup2 limits a child only where its parent delegates the controller:
# switch it on at the root for the test, and back off if it was off.
delegate_memcg() {
	[ "$MEMCG_LIMIT" = memory.max ] || return 0
	grep -qw memory "$MEMCG_ROOT/cgroup.subtree_control" && return 0
	echo +memory >"$MEMCG_ROOT/cgroup.subtree_control" || return 1
	at_exit "echo -memory >'$MEMCG_ROOT/cgroup.subtree_control'"
}

# make_memcg NAME [LIMIT_MIB]: the group $MEMCG_ROOT/NAME (path /NAME),
# limited to LIMIT_MIB (64 by default), and a sparse file $tmp/NAME.data;
# sets memcg_dir and memcg_file.
make_memcg() {
	memcg_dir=$MEMCG_ROOT/$1
	memcg_file=$tmp/$1.data
	delegate_memcg || return 1
	at_exit "rm -f '$memcg_file'"
	at_exit "for p in \$(cat '$memcg_dir/cgroup.procs'); do kill -9 \$p; done; sleep 0.2; rmdir '$memcg_dir'"
	mkdir "$memcg_dir" || return 1
	echo $((${2:-64} << 20)) >"$memcg_dir/$MEMCG_LIMIT" || return 1
	truncate -s 300M "$memcg_file"
}

# memcg_read [NAME]: in the group, drop the file's cached pages, then read
# it (as a task named NAME, set with prctl, when given). Sets reader_pid.
# A read still going after 90 s (a second or two here, 5-20 s under
# emulation) is SIGKILLed by reap_child, where wait_child showed it, and fails (124).
memcg_read() {
	local name=${1:-memcg-reader} rc
	# A fresh read each time: nothing of the file left in the cache.
	dd if="$memcg_file" iflag=nocache count=0 2>/dev/null
	sh -c 'echo $$ >"$1/cgroup.procs" && exec "$2" "$3" "$4"' sh \
		"$memcg_dir" "$SETCOMM" "$name" "$memcg_file" &
	reader_pid=$!
	reap_child "$reader_pid" 90 "the memcg reader hung"
	rc=$?
	[ $rc -ne 124 ] ||
		diag "the reader's group: $(paste -sd' ' "$memcg_dir/memory.events" 2>/dev/null)"
	return $rc
}

# memcg_write GROUP WRITER N MIB: N copies of dd (WRITER, a copy named for
# the -n filter) in GROUP, each writing MIB MiB to its own file beside
# WRITER (the root filesystem: a tmpfs would not write back), the reclaim
# of a small group meeting pages under writeback; waits for them.
memcg_write() {
	local group=$1 writer=$2 n=$3 mib=$4 i p pids=()

	for ((i = 1; i <= n; i++)); do
		(echo $BASHPID >"$group/cgroup.procs" &&
			exec "$writer" if=/dev/zero of="${writer%/*}/f$i" \
				bs=1M count="$mib" status=none) &
		pids+=($!)
	done
	for p in "${pids[@]}"; do
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

# memcg_high NAME HIGH_MIB: make_memcg's group and file, on cgroup2 only,
# with no memory.max but memory.high HIGH_MIB: a task over it reclaims
# from the group and sleeps a penalty on its way back to user space.
memcg_high() {
	[ "$MEMCG_LIMIT" = memory.max ] || return 1
	make_memcg "$1" || return 1
	echo max >"$memcg_dir/memory.max" &&
		echo $(($2 << 20)) >"$memcg_dir/memory.high"
}

# The group's memory.events "high" (times a charge found it over
# memory.high) and memory.pressure's "some" total (µs).
memcg_high_events() {
	awk '$1 == "high" { print $2 }' "$memcg_dir/memory.events"
}

memcg_some_us() {
	sed -n 's/^some .*total=\([0-9]*\).*/\1/p' "$memcg_dir/memory.pressure"
}
