# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Memory cgroup workloads, shared by the kernel tests
# (tests/kernel/memcg-lib.sh) and scripts/bench: a group with a small
# limit (cgroup v1's memory controller where it is mounted, else
# cgroup2's, as on a systemd machine), a reader of a sparse file or dd
# writers in it, and a cgroup2 group over memory.high.
#
# Source it with $top (the tree) and $tmp (a scratch directory) set; the
# caller provides at_exit COMMAND, which runs COMMAND on every way out.

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

# memcg_v1: find_memcg, with the memory controller mounted as cgroup
# v1's under $tmp where only cgroup2 has it (and enables it nowhere),
# until memcg_v1_release or the caller's exit; returns 1 where it cannot
# (a kernel without CONFIG_MEMCG_V1, 6.11 and later). Writers in a small v1
# group sleep in reclaim_throttle() (writeback): shrink_inactive_list
# throttles legacy memcg reclaim that finds only dirty pages. cgroup2's
# memcg reclaim throttles only a congested lruvec, which such writers do
# not reach, as cgroup2 holds their dirty pages to the group's share (a
# Debian 6.1 guest threw no mm_vmscan_throttled in 12 workloads).
memcg_v1() {
	find_memcg || return 1
	[ "$MEMCG_LIMIT" = memory.limit_in_bytes ] && return 0
	memcg_v1_mnt=$tmp/memcg-v1
	mkdir -p "$memcg_v1_mnt" &&
		mount -t cgroup -o memory drsnoop-memcg "$memcg_v1_mnt" || return 1
	at_exit memcg_v1_release
	[ -e "$memcg_v1_mnt/memory.limit_in_bytes" ] || {
		memcg_v1_release
		return 1
	}
	MEMCG_ROOT=$memcg_v1_mnt MEMCG_LIMIT=memory.limit_in_bytes
}

# memcg_v1_release: memcg_v1's mount, if it made one, unmounted once its
# groups are removed, and find_memcg again when the controller is back
# on cgroup2 (the kernel rebinds it a moment after the unmount).
memcg_v1_release() {
	local i
	[ -n "${memcg_v1_mnt:-}" ] && mountpoint -q "$memcg_v1_mnt" || return 0
	umount "$memcg_v1_mnt" || return 1
	for ((i = 0; i < 50; i++)); do
		find_memcg && [ "$MEMCG_LIMIT" = memory.max ] && return 0
		sleep 0.1
	done
	return 1
}

# cgroup2 limits a child only where its parent delegates the controller:
# switch it on at the root for the caller, and back off if it was off.
delegate_memcg() {
	[ "$MEMCG_LIMIT" = memory.max ] || return 0
	grep -qw memory "$MEMCG_ROOT/cgroup.subtree_control" && return 0
	echo +memory >"$MEMCG_ROOT/cgroup.subtree_control" || return 1
	at_exit "echo -memory >'$MEMCG_ROOT/cgroup.subtree_control'"
}

# make_memcg NAME [LIMIT_MIB]: the group $MEMCG_ROOT/NAME (path /NAME),
# limited to LIMIT_MIB (64 by default), and a sparse file $tmp/NAME.data;
# sets memcg_dir and memcg_file. remove_memcg undoes it, at the latest on
# the way out.
make_memcg() {
	memcg_dir=$MEMCG_ROOT/$1
	memcg_file=$tmp/$1.data
	delegate_memcg || return 1
	at_exit "remove_memcg '$memcg_dir' '$memcg_file'"
	mkdir "$memcg_dir" || return 1
	echo $((${2:-64} << 20)) >"$memcg_dir/$MEMCG_LIMIT" || return 1
	truncate -s 300M "$memcg_file"
}

# remove_memcg DIR FILE: the tasks left in the group killed (by pid: the
# caller's), the group and its file removed; nothing to do when gone.
remove_memcg() {
	local p
	rm -f "$2"
	[ -d "$1" ] || return 0
	for p in $(cat "$1/cgroup.procs"); do
		kill -9 "$p"
	done
	sleep 0.2
	# Pages stay charged to a removed group, keeping its hierarchy
	# alive, until reclaimed: on v1, reclaim them first, or
	# memcg_v1_release could not give the controller back.
	[ -e "$1/memory.force_empty" ] && echo 0 >"$1/memory.force_empty"
	rmdir "$1"
}

# memcg_reader_start NAME: in the group, drop the file's cached pages,
# then read it as a task named NAME (set with prctl), in the background;
# sets reader_pid.
memcg_reader_start() {
	# A fresh read each time: nothing of the file left in the cache.
	dd if="$memcg_file" iflag=nocache count=0 2>/dev/null
	sh -c 'echo $$ >"$1/cgroup.procs" && exec "$2" "$3" "$4"' sh \
		"$memcg_dir" "$SETCOMM" "$1" "$memcg_file" &
	reader_pid=$!
}

# memcg_writers_start GROUP WRITER N MIB: N copies of dd (WRITER, a copy
# named for the -n filter) in GROUP, each writing MIB MiB to its own file
# beside WRITER (the root filesystem: a tmpfs would not write back), the
# reclaim of a small group meeting pages under writeback; in the
# background, their pids in writer_pids. Each joins the group as a copy
# of sh with WRITER's name: its exec can reclaim in the full group, and a
# throttle there must carry the name that the tracers and a comm filter
# see (the ftrace backend names a pid after its exec).
memcg_writers_start() {
	local group=$1 writer=$2 n=$3 mib=$4 i
	local sh=${writer%/*}/sh/${writer##*/}

	mkdir -p "${sh%/*}" && cp /bin/sh "$sh" || return 1
	writer_pids=()
	for ((i = 1; i <= n; i++)); do
		"$sh" -c 'echo $$ >"$1/cgroup.procs" &&
			exec "$2" if=/dev/zero of="$3" bs=1M count="$4" status=none' \
			sh "$group" "$writer" "${writer%/*}/f$i" "$mib" &
		writer_pids+=($!)
	done
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
