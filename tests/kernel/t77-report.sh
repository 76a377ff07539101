#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# --report and --flamegraph over real reclaim, opened in Chromium. The BPF
# backend writes a report beside -s -j; the ftrace backend rewrites its
# report each second (--interval 1) while it traces. Chromium (headless,
# as nobody, in a network namespace of its own: no network at all) opens
# the BPF report from a file:// URL: no console error, and the page's
# self-check, which sums the heat map cells, the table's rows and reads
# the flame graph's root, says they are the stalls and stall time -s
# counted, and the stalls the allocstall counter's rise. A screenshot of
# it is a PNG of the page, not blank; the SVG opens without error, and a
# search in the page gives the share of stall time it matched. A third
# drsnoop, with --memcg, writes a report with the cgroup table, whose rows
# its self-check adds up to -s's stalls and stall time. The headers say
# how each backend attached, as --debug did.

. "$(dirname "$0")/lib.sh"
require_root
require_btf
require_vmscan
for tool in jq xmllint chromium unshare setpriv; do
	command -v $tool >/dev/null ||
		fail_all "no $tool (scripts/install-deps)"
done
widths=$top/tests/helpers/flame-widths.awk

# Chromium runs as nobody, who reads the files through $tmp.
chmod 755 "$tmp"
mkdir "$tmp/home" && chown nobody "$tmp/home"

# chrome NAME ARGS...: headless Chromium; the DOM or nothing in
# $tmp/NAME.dom, its log (console messages included) in $tmp/NAME.log.
chrome() {
	local name=$1
	shift
	HOME=$tmp/home timeout 120 unshare -n \
		setpriv --reuid=nobody --regid=nogroup --clear-groups \
		chromium --headless --disable-gpu --enable-logging=stderr \
		--v=0 "$@" >"$tmp/$name.dom" 2>"$tmp/$name.log"
}

# What the page's own script said on the console: messages from file://.
console_errors() {
	grep 'CONSOLE.*source: file://' "$tmp/$1.log"
}

hold_reclaim_lock
before=$(allocstall_total)
start_drsnoop_quiet bpf --backend=bpf -K --user-stack -s -j \
	--report "$tmp/bpf.html" --flamegraph "$tmp/bpf.svg" ||
	fail_all "the bpf backend does not start"
start_drsnoop_quiet ft --backend=ftrace -K --report "$tmp/ft.html" \
	--interval 1 || not_ok "the ftrace backend starts"
start_drsnoop_quiet cg --backend=bpf --memcg -s -j --report "$tmp/cg.html" ||
	not_ok "the bpf backend starts with --memcg"
run_pressure -n drsnoop-report || not_ok "workload ran"
sleep 1.2
test_expect "ftrace: the report is there while it traces, with its stalls" \
	"grep -q '\"stalls\":[1-9]' '$tmp/ft.html'"
expect_stopped bpf
expect_stopped ft
expect_stopped cg
after=$(allocstall_total)
rise=$((after - before))

j=$tmp/bpf.out
stalls=$(jq '.summary.stalls' "$j")
ns=$(jq '[.summary.processes[].total_ns] | add' "$j")
diag "allocstall rose by $rise; -s: $stalls stalls, $ns ns"
test_expect "-s saw every stall: $stalls = allocstall's rise" \
	"[ '$stalls' = $rise ]"
test_expect "ftrace: its last report holds every stall" \
	"grep -q '\"stalls\":$rise,' '$tmp/ft.html'"
# The header names the backend and how it attached, as --debug said it.
for b in bpf ft; do
	attach=$(sed -n 's/^drsnoop: \(attached as .*\|tracing in .*\)$/\1/p' \
		"$tmp/$b.err" | head -1 | sed "s/'/\&#39;/g")
	test_expect "$b: the header says how it attached: $attach" \
		"[ -n \"\$attach\" ] && grep -qF -- \"(\$attach)\" '$tmp/$b.html'"
done
test_expect "no temporary file left beside the reports" \
	"[ -z \"\$(ls '$tmp' | grep -E '\\.(html|svg)\\.')\" ]"
test_expect "the SVG is well-formed XML" "xmllint --noout '$tmp/bpf.svg'"
test_expect "its frames' widths add up to the root's" \
	"w=\$(awk -f '$widths' '$tmp/bpf.svg'); [ \"\$w\" = ok ] ||
	 { diag \"\$w\"; false; }"

chrome page --dump-dom "file://$tmp/bpf.html"
check=$(grep -o 'id="selfcheck">[^<]*' "$tmp/page.dom")
diag "${check#*>}"
test_expect "Chromium opens the report without a console error" \
	"[ -s '$tmp/page.dom' ] && ! console_errors page"
test_expect "its self-check: heat map, table and flame graph agree" \
	"[[ '$check' == *' result=ok' ]]"
test_expect "and hold -s's $stalls stalls and $ns ns" \
	"[[ '$check' == *' stalls=$stalls total_ns=$ns '* ]] &&
	 [[ '$check' == *'heatmap_cells=$stalls '* ]] &&
	 [[ '$check' == *'flame_root_ns=$ns '* ]]"

# With --memcg, the cgroup table: its rows add up to -s's totals.
cg_stalls=$(jq '.summary.stalls' "$tmp/cg.out")
cg_ns=$(jq '[.summary.processes[].total_ns] | add // 0' "$tmp/cg.out")
chrome cg --dump-dom "file://$tmp/cg.html"
cg_check=$(grep -o 'id="selfcheck">[^<]*' "$tmp/cg.dom")
diag "--memcg: ${cg_check#*>}"
test_expect "--memcg: the cgroup table holds -s's $cg_stalls stalls and $cg_ns ns" \
	"grep -q '<h2>Cgroups</h2>' '$tmp/cg.html' &&
	 [[ '$cg_check' == *' result=ok' ]] &&
	 [[ '$cg_check' == *'cgroup_stalls=$cg_stalls cgroup_total_ns=$cg_ns '* ]]"

chrome shot --screenshot="$tmp/home/shot.png" --window-size=1280,1800 \
	"file://$tmp/bpf.html"
size=$(stat -c %s "$tmp/home/shot.png" 2>/dev/null || echo 0)
diag "screenshot: $size bytes"
# A PNG's IHDR: width and height, 4 bytes each, from byte 16.
dims=$(od -An -tx1 -j16 -N8 "$tmp/home/shot.png" 2>/dev/null | tr -d ' \n')
test_expect "a screenshot of it is a 1280x1800 PNG, not blank" \
	"[ '$dims' = 0000050000000708 ] && [ $size -gt 30000 ] &&
	 ! console_errors shot"

chrome svg --dump-dom "file://$tmp/bpf.svg"
test_expect "Chromium opens the SVG without a console error" \
	"grep -q 'drsnoop-flame-root' '$tmp/svg.dom' && ! console_errors svg"

chrome search --dump-dom "file://$tmp/bpf.html#search=try_to_free_pages"
share=$(sed -n 's|.*id="flame-share">\([0-9.]*\)% of stall time.*|\1|p' \
	"$tmp/search.dom")
diag "try_to_free_pages: ${share:-no}% of stall time"
test_expect "a search gives the share of stall time it matched" \
	"[ -n '$share' ] && awk 'BEGIN { exit !($share > 0 && $share <= 100) }'"
done_testing
