#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# -g decodes gfp flags as the tracepoint's own print fmt does: on the
# recorded tests/fixtures/trace.dat, every stall's GFP equals what
# `trace-cmd report` prints for its begin event (joined on thread and
# nanosecond); live, the reader's memcg stalls under BPF carry the names a
# tracefs instance prints for the same begins.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/memcg-lib.sh"
command -v trace-cmd >/dev/null || skip_all "no trace-cmd"
command -v jq >/dev/null || skip_all "no jq (scripts/install-deps)"

dat=$top/tests/fixtures/trace.dat
"$DRSNOOP" -i "$dat" -j 2>"$tmp/file.err" |
	jq -r '"\(.tid) \(.begin_ns) \(.gfp)"' | sort >"$tmp/ours"
trace-cmd report -t "$dat" 2>/dev/null | awk '
	/mm_vmscan_direct_reclaim_begin:/ {
		for (i = 1; i <= NF; i++) {
			if ($i ~ /^\[[0-9]+\]$/) { split($(i - 1), t, "-"); tid = t[length(t)] }
			if ($i ~ /^[0-9]+\.[0-9]+:$/) { ts = $i; sub(":", "", ts); sub("\\.", "", ts) }
			if ($i ~ /^gfp_flags=/) { g = $i; sub("gfp_flags=", "", g) }
		}
		print tid, ts, g
	}' | sort >"$tmp/theirs"
n=$(wc -l <"$tmp/ours")
m=$(join -j1 <(awk '{ print $1 "-" $2, $3 }' "$tmp/ours") \
	<(awk '{ print $1 "-" $2, $3 }' "$tmp/theirs") | awk '$2 == $3' | wc -l)
diag "trace.dat: $n stalls, $m with the same gfp names as trace-cmd report"
test_expect "trace.dat: every stall's GFP is trace-cmd report's ($n)" \
	"[ $n -gt 100 ] && [ $m -eq $n ]"
test_expect "trace.dat: the text column shows the same names" \
	"diff <(\"$DRSNOOP\" -i '$dat' -g | tail -n +2 | awk '{ print \$NF }' | sort) \
		<(cut -d' ' -f3 '$tmp/ours' | sort) >/dev/null"

[ "$(id -u)" = 0 ] || { skip "live: needs root"; done_testing; exit; }
require_btf
require_vmscan
awk '$3 == "cgroup" && $4 ~ /(^|,)memory(,|$)/ { f = 1 } END { exit !f }' /proc/mounts &&
	[ -x "$SETCOMM" ] || { skip "live: no v1 memory controller"; done_testing; exit; }

make_memcg drsnoop-t63-$$ || not_ok "memory cgroup"
T=$(tracefs_dir)
inst=$T/instances/t63-gfp-$$
at_exit "rmdir '$inst'"
mkdir "$inst" && echo 4096 >"$inst/buffer_size_kb"
start_drsnoop_quiet live --backend=bpf --memcg -j || skip_all "bpf backend"
echo 1 >"$inst/events/vmscan/mm_vmscan_memcg_reclaim_begin/enable"
memcg_read t63-reader
echo 0 >"$inst/events/vmscan/mm_vmscan_memcg_reclaim_begin/enable"
sleep 0.3
stop_drsnoop live
jq -r --argjson p "$reader_pid" 'select(.tid == $p and .kind == "memcg") | .gfp' \
	"$tmp/live.out" | sort >"$tmp/live.ours"
grep "t63-reader-$reader_pid " "$inst/trace" | sed 's/.*gfp_flags=//' | sort >"$tmp/live.theirs"
diag "live: $(wc -l <"$tmp/live.ours") memcg stalls of the reader, $(wc -l <"$tmp/live.theirs") begins in tracefs"
test_expect "live: GFP names equal the tracefs instance's" \
	"[ -s '$tmp/live.ours' ] && diff '$tmp/live.ours' '$tmp/live.theirs' >/dev/null"
done_testing
