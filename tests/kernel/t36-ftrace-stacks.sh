#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The ftrace backend's stacks (-K --user-stack) over one reclaim-pressure
# run: still exactly the allocstall rise, and every stall of the workload
# carries a kernel stack through try_to_free_pages and the allocation that
# caused it, down to the kernel's entry: a system call (the hugetlb sysctl
# write, a read, an mmap) or a page fault, most of them THP faults
# (do_huge_pmd_anonymous_page), and a user stack. The stacktrace
# trigger lives in drsnoop's instance only: the top-level event's trigger
# is untouched, and it goes with the instance.
# With --memcg, every kind's begin has the trigger.

. "$(dirname "$0")/lib.sh"
require_root
require_vmscan

tdir=$(tracefs_dir)
begin=events/vmscan/mm_vmscan_direct_reclaim_begin
grep -qw stacktrace "$tdir/$begin/trigger" ||
	skip_all "this kernel has no stacktrace event trigger"
[ -e "$tdir/events/ftrace/kernel_stack/format" ] ||
	skip_all "this kernel has no ftrace:kernel_stack event"
top_trigger=$(cat "$tdir/$begin/trigger")

hold_reclaim_lock
start_drsnoop ft --backend=ftrace -K --user-stack ||
	not_ok "ftrace backend started with -K --user-stack"
ft_pid_now=$ft_pid
test_expect "the trigger is in drsnoop's instance" \
	"grep -q '^stacktrace' '$(instance_of $ft_pid_now)/$begin/trigger'"
before=$(allocstall_total)
run_pressure -n drsnoop-stacks || not_ok "workload ran"
sleep 0.3
after=$(allocstall_total)
expect_stopped ft
rise=$((after - before))

# One line per stall: pid, then its frames, kernel then user after "--".
awk 'BEGIN { RS = ""; FS = "\n" }
	{
		i = ($1 ~ /^COMM/) ? 2 : 1
		split($i, f, " "); line = f[2]
		for (i++; i <= NF; i++) { sub(/^ +/, "", $i); line = line " " $i }
		print line
	}' "$tmp/ft.out" >"$tmp/stacks"
n=$(wc -l <"$tmp/stacks")
diag "$n stalls, allocstall rose by $rise"
test_expect "stalls equal the allocstall rise ($rise)" \
	"[ $rise -gt 0 ] && [ $n -eq $rise ]"
test_expect "no lost events, no sanitizer report" \
	"! grep -q lost '$tmp/ft.err' && clean_stderr ft"

awk -v p="$wl_pid" '$1 == p' "$tmp/stacks" >"$tmp/wl"
w=$(wc -l <"$tmp/wl")
k=$(grep -c ' try_to_free_pages+0x' "$tmp/wl")
huge=$(grep -c ' __nr_hugepages_store_common+0x' "$tmp/wl")
thp=$(grep -c ' do_huge_pmd_anonymous_page+0x' "$tmp/wl")
u=$(grep -cE ' -- [^ ]' "$tmp/wl")
diag "workload: $w stalls, $k through try_to_free_pages, $huge hugetlb writes, $thp THP faults, $u with a user stack"
sed -n 1p "$tmp/wl" | sed 's/^/# /'
test_expect "every workload stall has a kernel stack through try_to_free_pages" \
	"[ $w -gt 0 ] && [ $k -eq $w ]"
# Whether the hugetlb write has to reclaim depends on what the kernel
# has free at that moment (one run in the suite had none of them); a
# fault may stall for a page table or a small page as well as for the
# THP (one in 200 did), and a worker's mmap() may stall too: every stall's
# stack must reach the kernel's entry, and the THP faults, most of them,
# must be there.
path=$(grep -cE " $KERNEL_ENTRY_RE" "$tmp/wl")
diag "workload: $path system calls or page faults"
grep -vE " $KERNEL_ENTRY_RE" "$tmp/wl" | sed 's/^/# neither: /'
test_expect "each is a system call or a page fault, THP faults among them" \
	"[ $thp -gt 0 ] && [ $path -eq $w ]"
test_expect "every workload stall has a user stack" "[ $u -eq $w ]"
test_expect "the instance, its trigger with it, is gone" \
	"[ ! -e '$(instance_of $ft_pid_now)' ]"
test_expect "the top-level event's trigger is untouched" \
	"[ \"\$(cat '$tdir/$begin/trigger')\" = \"\$top_trigger\" ]"

# every_kind PID: a stacktrace trigger on each kind's begin in its instance.
every_kind() {
	local k
	for k in direct memcg memcg_softlimit; do
		[ -d "$tdir/events/vmscan/mm_vmscan_${k}_reclaim_begin" ] || continue
		grep -q '^stacktrace' "$(instance_of $1)/events/vmscan/mm_vmscan_${k}_reclaim_begin/trigger" || return 1
	done
}
if start_drsnoop mc --backend=ftrace --memcg -K; then
	test_expect "--memcg -K: a trigger on every kind's begin" "every_kind $mc_pid"
	mc_now=$mc_pid
	expect_stopped mc
	test_expect "--memcg -K: the instance is gone" \
		"[ ! -e '$(instance_of $mc_now)' ]"
else
	not_ok "--memcg -K started"
fi

done_testing
