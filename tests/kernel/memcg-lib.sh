# SPDX-License-Identifier: GPL-2.0
#
# Memcg reclaim for the t6x tests, after lib.sh: a cgroup v1 memory group
# with a 64 MiB limit and a process in it reading a 300 MiB sparse file
# (no disk I/O; its page cache is charged to the group, which must
# reclaim its own pages: hundreds of mm_vmscan_memcg_reclaim_* events).
# The group and the file are removed on every way out.

MEMCG_ROOT=/sys/fs/cgroup/memory
SETCOMM=$top/.output/setcomm

require_memcg_v1() {
	awk '$3 == "cgroup" && $4 ~ /(^|,)memory(,|$)/ { f = 1 } END { exit !f }' \
		/proc/mounts || skip_all "no cgroup v1 memory controller mounted"
	[ -x "$SETCOMM" ] || skip_all "tests/helpers/setcomm not built (make test-build)"
}

# make_memcg NAME: the group $MEMCG_ROOT/NAME (path /NAME) and a sparse
# file $tmp/NAME.data; sets memcg_dir and memcg_file.
make_memcg() {
	memcg_dir=$MEMCG_ROOT/$1
	memcg_file=$tmp/$1.data
	at_exit "rm -f '$memcg_file'"
	at_exit "for p in \$(cat '$memcg_dir/cgroup.procs'); do kill -9 \$p; done; sleep 0.2; rmdir '$memcg_dir'"
	mkdir "$memcg_dir" || return 1
	echo $((64 << 20)) >"$memcg_dir/memory.limit_in_bytes" || return 1
	truncate -s 300M "$memcg_file"
}

# memcg_read [NAME]: in the group, drop the file's cached pages, then read
# it (as a task named NAME, set with prctl, when given). Sets reader_pid.
memcg_read() {
	local name=${1:-memcg-reader}
	# A fresh read each time: nothing of the file left in the cache.
	dd if="$memcg_file" iflag=nocache count=0 2>/dev/null
	sh -c 'echo $$ >"$1/cgroup.procs" && exec "$2" "$3" "$4"' sh \
		"$memcg_dir" "$SETCOMM" "$name" "$memcg_file" &
	reader_pid=$!
	wait $reader_pid
}

