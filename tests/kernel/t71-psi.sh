#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Memory PSI beside the stalls, under one reclaim-pressure run in a
# cgroup2 group of its own, with the reclaim lock held. The test reads
# /proc/pressure/memory and the group's memory.pressure before the
# drsnoops start and after they stop, so their windows lie inside its
# own: the some and full times -s prints (text and JSON, system-wide and
# with --cgroup) are at most those rises, and some is above 0 where
# stalls were seen. -s says once on stderr that it is tracing, and
# nothing else; -i does not. --metrics gives PSI's counters, with HELP and
# TYPE, inside the test's reads, and promtool accepts the file.

. "$(dirname "$0")/lib.sh"
require_root
require_btf
require_vmscan
[ -r /proc/pressure/memory ] ||
	skip_all "PSI is off on this kernel (no /proc/pressure/memory)"
for tool in jq promtool; do
	command -v $tool >/dev/null || fail_all "no $tool (scripts/install-deps)"
done

# psi_total FILE some|full: the line's total=, in microseconds.
psi_total() {
	awk -v t="$2" '$1 == t { sub(/^total=/, "", $5); print $5 }' "$1"
}

# A cgroup2 group for the workload: its pressure is its own.
cg2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
[ -n "$cg2" ] || fail_all "no cgroup2 mount"
name=drsnoop-t71-$$
group=$cg2/$name
at_exit "rmdir '$group'"
mkdir "$group" || fail_all "cannot create cgroup $group"
[ -r "$group/memory.pressure" ] ||
	skip_all "PSI is off on this kernel (no memory.pressure in a cgroup2 hierarchy)"

hold_reclaim_lock
tracing='Tracing direct reclaim stalls... Hit Ctrl-C to end.'
sys_some0=$(psi_total /proc/pressure/memory some)
sys_full0=$(psi_total /proc/pressure/memory full)
cg_some0=$(psi_total "$group/memory.pressure" some)
cg_full0=$(psi_total "$group/memory.pressure" full)
ready() { echo "grep -qx '$tracing' '$tmp/$1.err'"; }
launch_drsnoop ts "$(ready ts)" --backend=bpf -s || fail_all "-s does not start"
launch_drsnoop js "$(ready js)" --backend=bpf -s -j || not_ok "-s -j started"
launch_drsnoop tc "$(ready tc)" --backend=bpf -s --cgroup "$group" ||
	not_ok "-s --cgroup started"
launch_drsnoop ms "$(ready ms)" --backend=bpf --metrics "$tmp/m.prom" ||
	not_ok "--metrics started"
sh -c 'echo $$ >"$1/cgroup.procs" && exec "$2" -q -n drsnoop-psi' sh \
	"$group" "$PRESSURE" >"$tmp/wl.out" 2>"$tmp/wl.err" || {
	sed 's/^/# /' "$tmp/wl.err"
	not_ok "the workload ran"
}
sleep 0.3
for d in ts js tc ms; do expect_stopped $d; done
sys_some=$(($(psi_total /proc/pressure/memory some) - sys_some0))
sys_full=$(($(psi_total /proc/pressure/memory full) - sys_full0))
cg_some=$(($(psi_total "$group/memory.pressure" some) - cg_some0))
cg_full=$(($(psi_total "$group/memory.pressure" full) - cg_full0))
diag "the test's window: system-wide some $sys_some us, full $sys_full us;" \
	"/$name some $cg_some us, full $cg_full us"

for d in ts js tc ms; do
	test_expect "$d: its stderr is the one line '$tracing'" \
		"[ \"\$(cat '$tmp/$d.err')\" = '$tracing' ]"
done

# within MS LIMIT_US: MS (a 2-decimal ms figure) is at most LIMIT_US,
# which the rounding to 10 us may pass by 5.
within() {
	awk -v ms="$1" -v us="$2" 'BEGIN { exit !(ms >= 0 && ms * 1000 <= us + 5) }'
}

# The text's PSI line, and its figures.
num='\([0-9]*\.[0-9][0-9]\)'
psi_line() { grep '^psi: ' "$tmp/$1.out"; }
seen() { sed -n 's/^capture: \([0-9]*\) direct.*/\1/p' "$tmp/$1.out"; }
diag "ts: $(psi_line ts)"
read -r some full < <(psi_line ts |
	sed -n "s/^psi: stalls shown $num ms; system-wide some $num ms, full $num ms\$/\2 \3/p")
test_expect "text: the psi line, beside the capture line" \
	"[ -n '${full:-}' ] && grep -A1 '^capture: ' '$tmp/ts.out' | tail -1 | grep -q '^psi: '"
test_expect "text: some (${some:-?} ms) is above 0 with $(seen ts) stalls seen" \
	"[ '$(seen ts)' -gt 0 ] && awk 'BEGIN { exit !(${some:-0} > 0) }'"
test_expect "text: some and full within the test's rises" \
	"within '${some:--1}' $sys_some && within '${full:--1}' $sys_full"

diag "tc: $(psi_line tc)"
read -r csome cfull < <(psi_line tc |
	sed -n "s|^psi: stalls shown $num ms; system-wide some $num ms, full $num ms; /$name some $num ms, full $num ms\$|\4 \5|p")
test_expect "--cgroup: some (${csome:-?} ms) is above 0 with $(seen tc) stalls seen in /$name" \
	"[ '$(seen tc)' -gt 0 ] && awk 'BEGIN { exit !(${csome:-0} > 0) }'"
test_expect "--cgroup: its some and full within the rises of /$name's memory.pressure" \
	"within '${csome:--1}' $cg_some && within '${cfull:--1}' $cg_full"

j=$tmp/js.out
diag "js: $(jq -c .summary.psi "$j")"
test_expect "-j: every line a summary whose psi object is in bounds" \
	"[ -s '$j' ] && jq -se 'all(.[]; .summary | . as \$s | .psi |
		.shown_ns == (\$s.processes | map(.total_ns) | add // 0) and
		(.system | .reason == null and
		 .some_us >= 0 and .some_us <= $sys_some and
		 .full_us >= 0 and .full_us <= $sys_full and
		 (\$s.capture.direct == 0 or .some_us > 0)) and
		has(\"cgroup\") == false)' '$j' >/dev/null"

m=$tmp/m.prom
series() { sed -n "s/^drsnoop_kernel_psi_memory_seconds_total{type=\"$1\"} //p" "$m"; }
diag "metrics: some $(series some) s, full $(series full) s"
test_expect "--metrics: PSI's counters, with HELP and TYPE" \
	"grep -q '^# HELP drsnoop_kernel_psi_memory_seconds_total ' '$m' &&
	 grep -qx '# TYPE drsnoop_kernel_psi_memory_seconds_total counter' '$m' &&
	 [ \$(grep -c '^drsnoop_kernel_psi_memory_seconds_total{' '$m') -eq 2 ]"
test_expect "--metrics: read inside the test's window" \
	"awk -v s='$(series some)' -v f='$(series full)' 'BEGIN {
		exit !(s * 1e6 >= $sys_some0 && s * 1e6 <= $sys_some0 + $sys_some &&
		       f * 1e6 >= $sys_full0 && f * 1e6 <= $sys_full0 + $sys_full) }'"
test_expect "--metrics: promtool check metrics accepts the file" \
	"promtool check metrics <'$m' >'$tmp/promtool.out' 2>&1 ||
	 { sed 's/^/# /' '$tmp/promtool.out'; false; }"

# -d names how long; -i traces nothing live, and reads no PSI.
"$DRSNOOP" --backend=bpf -s -d 1 >"$tmp/d.out" 2>"$tmp/d.err"
test_expect "-s -d 1: exits 0, saying 'for 1 second'" \
	"exit_status_is 0 $? && clean_stderr d &&
	 [ \"\$(cat '$tmp/d.err')\" = 'Tracing direct reclaim stalls for 1 second... Hit Ctrl-C to end.' ]"
"$DRSNOOP" -s -i "$top/tests/fixtures/trace.dat" >"$tmp/i.out" 2>"$tmp/i.err"
test_expect "-s -i: exits 0, no tracing line, PSI not read" \
	"exit_status_is 0 $? && [ ! -s '$tmp/i.err' ] &&
	 grep -q '^psi: stalls shown [0-9.]* ms; memory PSI not read\$' '$tmp/i.out'"
done_testing
