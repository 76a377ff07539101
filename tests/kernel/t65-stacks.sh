#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# -K and --user-stack on the BPF backend, over one reclaim-pressure run
# (two THP threads) whose pid every drsnoop filters on: each stall's
# kernel stack begins at try_to_free_pages and holds the allocation that
# stalled (the hugetlb sysctl write or the page-cache read of the main
# thread, the THP fault of the workers); its user stack names the
# workload's own functions, each one nm lists (built with symbols and
# frame pointers), or libc's, or says [unknown]. --folded's totals are
# the sums of the stalls' latencies, stack by stack; -s's top stacks add
# up to its per-process table; the text puts the frames under each line
# and a default drsnoop beside them prints no frames.

. "$(dirname "$0")/lib.sh"
require_root
require_btf
require_vmscan
command -v jq >/dev/null || fail_all "no jq (scripts/install-deps)"
command -v nm >/dev/null || fail_all "no nm (scripts/install-deps)"
export LC_ALL=C

name=drsnoop-stk
bin=$top/.output/drpressure
hold_reclaim_lock
coproc WL { exec "$PRESSURE" -q -w -j 2 -n $name 2>"$tmp/wl.err"; }
at_exit "kill -TERM ${WL_PID} 2>/dev/null"
workload_ready "${WL[0]}"
p="--backend=bpf -p $wl_pid"
# shellcheck disable=SC2086
{
	start_drsnoop kt $p -K --user-stack ||
		fail_all "the bpf backend does not start"
	start_drsnoop plain $p || not_ok "drsnoop plain started"
	start_drsnoop_quiet js $p -K --user-stack -j ||
		not_ok "drsnoop js started"
	start_drsnoop_quiet fo $p --folded --user-stack -K --lines -j ||
		not_ok "drsnoop fo started"
	start_drsnoop_quiet sj $p -s -K --user-stack -j ||
		not_ok "drsnoop sj started"
	start_drsnoop_quiet st $p -s -K || not_ok "drsnoop st started"
}
workload_go "${WL[0]}" "${WL[1]}"
wait "$WL_PID" 2>/dev/null
sleep 0.3
for d in kt plain js fo sj st; do expect_stopped $d; done

j=$tmp/js.out
n=$(jq -s length "$j")
diag "workload pid $wl_pid: $n stalls"
test_expect "the workload stalled in direct reclaim" "[ $n -gt 0 ]"
diag "first kernel frames: $(jq -r '.kstack[0] // "none"' "$j" | sed 's/+0x.*//' | sort | uniq -c | tr '\n' ' ')"
test_expect "every kernel stack begins at try_to_free_pages" \
	"jq -se 'all(.[]; .kstack[0] | startswith(\"try_to_free_pages+0x\"))' '$j' >/dev/null"
# A worker's mmap() may stall as well as its faults.
test_expect "the workers' stalls are faults or system calls, some in do_huge_pmd_anonymous_page" \
	"jq -se 'map(select(.tid != .pid)) |
		length > 0 and all(.[]; any(.kstack[]; test(\"^$KERNEL_ENTRY_RE\"))) and
		any(.[]; any(.kstack[]; startswith(\"do_huge_pmd_anonymous_page+\")))' '$j' >/dev/null"
# Whether the main thread's hugetlb write and reads reclaim at all depends
# on what the kernel has free then: when they do, they are writes and reads.
diag "main thread: $(jq -s 'map(select(.tid == .pid)) | length' "$j") stalls," \
	"$(jq -s 'map(select(.tid == .pid and any(.kstack[]; startswith("__nr_hugepages_store_common+")))) | length' "$j") in the hugetlb sysctl"
test_expect "the main thread's stalls are writes and reads" \
	"jq -se 'map(select(.tid == .pid)) |
		all(.[]; any(.kstack[]; test(\"^vfs_(write|read)[+]\")))' '$j' >/dev/null"

# The functions that may name a user frame: the workload's, and libc's.
libc=$(ldd "$bin" | awk '$1 ~ /^libc[.]so/ { print $3 }')
{
	nm --defined-only "$bin" | awk '$2 ~ /^[tTwW]$/ { print $3 }'
	nm -D --defined-only "$libc" | awk '$2 ~ /^[tTiWw]$/ { print $3 }' | sed 's/@.*//'
} | sort -u >"$tmp/funcs"
nm --defined-only "$bin" | awk '$2 ~ /^[tT]$/ { print $3 }' | sort -u >"$tmp/own"
jq -r '.ustack[]' "$j" | grep -v '^\[unknown\] ' | sed 's/+0x[0-9a-f]*$//' | sort -u >"$tmp/named"
diag "user functions named: $(tr '\n' ' ' <"$tmp/named")"
test_expect "every named user frame is a function nm lists" \
	"[ -s '$tmp/named' ] && [ -z \"\$(comm -23 '$tmp/named' '$tmp/funcs')\" ]"
# Name the stalls the next assertion fails on, to read a failure by.
jq -c '{tid, ustack, kstack}' "$j" | while read -r stall; do
	jq -r '.ustack[] | sub("[+]0x[0-9a-f]+$"; "")' <<<"$stall" | grep -qxFf "$tmp/own" ||
		diag "no workload function: $stall"
done
test_expect "every user stack holds one of the workload's own functions" \
	"jq -r '[.ustack[] | sub(\"[+]0x[0-9a-f]+\$\"; \"\")] | join(\" \")' '$j' |
	 while read -r line; do
		for f in \$line; do grep -qx -- \"\$f\" '$tmp/own' && continue 2; done
		exit 1
	 done"
test_expect "the workers' user stacks are in worker_main" \
	"jq -se 'map(select(.tid != .pid)) | all(.[]; any(.ustack[]; startswith(\"worker_main+\")))' '$j' >/dev/null"

t=$tmp/kt.out
test_expect "text: as many stalls as JSON, each line then its frames, then a blank line" \
	"awk -v n=$n '
		NR == 1 { next }
		state == 0 { if (\$0 !~ /^$name /) exit 1; state = 1; stalls++; next }
		state == 1 { if (\$0 !~ /^    try_to_free_pages[+]/) exit 1; state = 2; next }
		state == 2 { if (\$0 == \"\") state = 0; else if (\$0 !~ /^    /) exit 1 }
		END { exit !(stalls == n && state == 0) }' '$t'"
test_expect "text: kernel, then '--', then user frames" \
	"[ \$(grep -c '^    --\$' '$t') -eq $n ]"
test_expect "default output: the same stalls, no frames" \
	"[ \$(stalls plain | wc -l) -eq $n ] && ! grep -q '^ ' '$tmp/plain.out'"

f=$tmp/fo.out
grep '^{' "$f" >"$tmp/fo.json"
grep -v '^{' "$f" | sort >"$tmp/fo.folded"
jq -r 'def fold: sub("[+]0x.*$"; "");
	"\(.comm | gsub(";"; ":"));\((.ustack | reverse) + (.kstack | reverse) | map(fold) | join(";"))\t\(.lat_ns)"' \
	"$tmp/fo.json" |
	awk -F'\t' '{ s[$1] += $2 } END { for (k in s) printf "%s %d\n", k, int((s[k] + 500) / 1000) }' |
	sort >"$tmp/fo.want"
diag "--folded: $(wc -l <"$tmp/fo.folded") stacks over $(wc -l <"$tmp/fo.json") stalls"
test_expect "--folded: one line per stack, its total the sum of its stalls' latencies (us)" \
	"[ -s '$tmp/fo.want' ] && diff '$tmp/fo.want' '$tmp/fo.folded' >&2"
s=$tmp/sj.out
test_expect "-s -j: one summary, its stacks' stalls and totals adding up to the processes'" \
	"jq -se 'length == 1 and (.[0].summary |
		(.stacks | map(.stalls) | add) == .stalls and .stalls == $n and
		(.stacks | map(.total_ns) | add) == (.processes | map(.total_ns) | add) and
		(.stacks | map(.total_ns) | . == (sort | reverse)))' '$s' >/dev/null"
st=$tmp/st.out
test_expect "-s: top stacks after the table, their stalls adding up to $n" \
	"grep -q '^top stacks by total stall time' '$st' &&
	 [ \$(awk '/^top stacks/ { s = 1; next } s && /^ *[0-9]+ / { n += \$1 } /^\$/ && s { s = 0 } END { print n + 0 }' '$st') -eq $n ]"
done_testing
