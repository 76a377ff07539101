#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# -g decodes gfp flags as the tracepoint's own print fmt does: on the
# recorded tests/fixtures/trace.dat and perf.data, every stall's GFP equals
# what `trace-cmd report` and `perf script` print for its begin event
# (joined on thread and nanosecond); live, the reader's memcg stalls under BPF carry the names a
# tracefs instance prints for the same begins. What the live part needs is
# asked for first: no check is skipped after others have run.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/memcg-lib.sh"
require_root
require_btf
require_vmscan
require_memcg
for tool in trace-cmd perf jq; do
	command -v $tool >/dev/null || fail_all "no $tool (scripts/install-deps)"
done

# "TID-NS GFP" for each begin event of a recording, as its tool prints it.
tracecmd_begins() {
	trace-cmd report -t "$1" 2>/dev/null | awk '
		/mm_vmscan_direct_reclaim_begin:/ {
			for (i = 1; i <= NF; i++) {
				if ($i ~ /^\[[0-9]+\]$/) { split($(i - 1), t, "-"); tid = t[length(t)] }
				if ($i ~ /^[0-9]+\.[0-9]+:$/) { ts = $i; sub(":", "", ts); sub("\\.", "", ts) }
				if ($i ~ /^gfp_flags=/) { g = $i; sub("gfp_flags=", "", g) }
			}
			print tid "-" ts, g
		}'
}

perf_begins() {
	perf script -i "$1" --ns -F tid,time,event,trace 2>/dev/null | awk '
		$3 == "vmscan:mm_vmscan_direct_reclaim_begin:" {
			ts = $2; sub(":", "", ts); sub("\\.", "", ts)
			g = $5; sub("gfp_flags=", "", g)
			print $1 "-" ts, g
		}'
}

# gfp_agree NAME TOOL ORACLE: -j and -g on tests/fixtures/NAME name every
# stall's gfp flags as ORACLE's TOOL prints its begin.
gfp_agree() {
	local name=$1 tool=$2 file=$top/tests/fixtures/$1 n m
	"$DRSNOOP" -i "$file" -j >"$tmp/${name}_j.out" 2>"$tmp/${name}_j.err"
	test_expect "$name -j: exits 0" "exit_status_is 0 $? && clean_stderr ${name}_j"
	"$DRSNOOP" -i "$file" -g >"$tmp/${name}_g.out" 2>"$tmp/${name}_g.err"
	test_expect "$name -g: exits 0" "exit_status_is 0 $? && clean_stderr ${name}_g"
	jq -r '"\(.tid)-\(.begin_ns) \(.gfp)"' "$tmp/${name}_j.out" | sort >"$tmp/$name.ours"
	"$3" "$file" | sort >"$tmp/$name.theirs"
	n=$(wc -l <"$tmp/$name.ours")
	m=$(join -j1 "$tmp/$name.ours" "$tmp/$name.theirs" | awk '$2 == $3' | wc -l)
	diag "$name: $n stalls, $m with the same gfp names as $tool"
	test_expect "$name: every stall's GFP is $tool's ($n)" \
		"[ $n -gt 100 ] && [ $m -eq $n ]"
	test_expect "$name: the text column shows the same names" \
		"diff <(stalls ${name}_g | awk '{ print \$NF }' | sort) \
			<(cut -d' ' -f2 '$tmp/$name.ours' | sort) >/dev/null"
}

gfp_agree trace.dat "trace-cmd report" tracecmd_begins
gfp_agree perf.data "perf script" perf_begins

make_memcg drsnoop-t63-$$ || fail_all "cannot create a memory cgroup"
T=$(tracefs_dir)
inst=$T/instances/t63-gfp-$$
at_exit "rmdir '$inst'"
mkdir "$inst" && echo 4096 >"$inst/buffer_size_kb" ||
	fail_all "cannot set up tracefs instance $inst"
start_drsnoop_quiet live --backend=bpf --memcg -j ||
	fail_all "the bpf backend does not start"
echo 1 >"$inst/events/vmscan/mm_vmscan_memcg_reclaim_begin/enable"
memcg_read t63-reader || not_ok "the reader read the file (exit status $?)"
echo 0 >"$inst/events/vmscan/mm_vmscan_memcg_reclaim_begin/enable"
sleep 0.3
expect_stopped live
jq -r --argjson p "$reader_pid" 'select(.tid == $p and .kind == "memcg") | .gfp' \
	"$tmp/live.out" | sort >"$tmp/live.ours"
grep "t63-reader-$reader_pid " "$inst/trace" | sed 's/.*gfp_flags=//' | sort >"$tmp/live.theirs"
diag "live: $(wc -l <"$tmp/live.ours") memcg stalls of the reader, $(wc -l <"$tmp/live.theirs") begins in tracefs"
test_expect "live: GFP names equal the tracefs instance's" \
	"[ -s '$tmp/live.ours' ] && diff '$tmp/live.ours' '$tmp/live.theirs' >/dev/null"
done_testing
