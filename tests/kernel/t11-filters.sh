#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Over one reclaim-pressure run, drsnoop with -p, -t, -u and -n keeps
# exactly the stalls an unfiltered drsnoop of the same window shows for
# that pid, thread, uid or name; the workload's stalls carry its pid and
# comm; the -T, -U and -v columns are there and sane.

. "$(dirname "$0")/lib.sh"
require_root
require_btf
require_vmscan

# t34 runs this same test on the ftrace backend.
backend=${T11_BACKEND:-bpf}
name=drsnoop-flt	# the workload's comm
uid=65534		# it faults its THP memory as this uid

start_all() {
	start_drsnoop all --backend=$backend -TUv &&
		start_drsnoop plain --backend=$backend &&
		start_drsnoop byname --backend=$backend -U -n snoop-fl
}

start_all || fail_all "drsnoop did not start"

# The workload prints its pid and tids before it starts, and waits for a
# byte on stdin (-w) so that the -p and -t tracers can be started first.
# It keeps its threads after "done" until another byte (-k): the ftrace
# backend reads a stall's uid from /proc, and a thread gone before a tracer
# read its last stalls would be known to one tracer and not the other.
coproc WL { exec "$PRESSURE" -q -w -k -j 2 -u $uid -n $name 2>"$tmp/wl.err"; }
at_exit "kill -TERM ${WL_PID} 2>/dev/null"
workload_ready "${WL[0]}"
if [ ${#wl_tids[@]} -ne 2 ]; then
	sed 's/^/# /' "$tmp/wl.err"
	fail_all "the workload did not start with one pid and two threads"
fi
start_drsnoop bypid --backend=$backend -p "$wl_pid"
start_drsnoop bytid0 --backend=$backend -t "${wl_tids[0]}"
start_drsnoop bytid1 --backend=$backend -t "${wl_tids[1]}"
# The main thread's hugetlb stalls are the process's too.
start_drsnoop bytidm --backend=$backend -t "$wl_pid"
start_drsnoop byuid --backend=$backend -U -u $uid
workload_go "${WL[0]}" "${WL[1]}"
sleep 0.3
for t in all plain byname bypid bytid0 bytid1 bytidm byuid; do
	expect_stopped $t
done
# Unset already if the workload is gone.
[ -n "${WL[1]:-}" ] && echo exit >&"${WL[1]}"
wait "$WL_PID" 2>/dev/null

# Columns of "plain": COMM PID LAT(ms) PAGES; of "all": TIME UID COMM PID
# LAT PAGES FREE. A stall line's pages, as a sorted list, identify a set.
pages_of() {
	awk "$1" | sort -n
}

n_wl=$(stalls plain | awk -v p="$wl_pid" '$2 == p' | wc -l)
diag "workload pid $wl_pid tids ${wl_tids[*]}: $n_wl stalls of $(stalls plain | wc -l)"
test_expect "the workload stalled in direct reclaim" "[ $n_wl -gt 0 ]"
test_expect "its stalls carry its comm" \
	"stalls plain | awk -v p=$wl_pid '\$2 == p && \$1 != \"$name\" { bad = 1 } END { exit bad }'"

stalls plain | pages_of "\$2 == $wl_pid { print \$4 }" >"$tmp/want.pid"
stalls bypid | pages_of '{ print $4 }' >"$tmp/got.pid"
test_expect "-p keeps exactly the workload's stalls" \
	"[ -s $tmp/want.pid ] && cmp -s $tmp/want.pid $tmp/got.pid"

# The threads' stalls partition the process's.
cat "$tmp/bytid0.out" "$tmp/bytid1.out" "$tmp/bytidm.out" | grep -v '^COMM' |
	pages_of '{ print $4 }' >"$tmp/got.tid"
test_expect "-t of each thread together keep exactly the process's stalls" \
	"cmp -s $tmp/want.pid $tmp/got.tid"
test_expect "-t prints a TID column with the thread's id" \
	"head -1 $tmp/bytid0.out | grep -q '^COMM  *TID ' &&
	 stalls bytid0 | awk '\$2 != ${wl_tids[0]} { bad = 1 } END { exit bad }' &&
	 stalls bytid1 | awk '\$2 != ${wl_tids[1]} { bad = 1 } END { exit bad }'"

stalls all | pages_of "\$2 == $uid { print \$6 }" >"$tmp/want.uid"
stalls byuid | pages_of '{ print $5 }' >"$tmp/got.uid"
test_expect "-u keeps exactly the stalls of that uid" \
	"[ -s $tmp/want.uid ] && cmp -s $tmp/want.uid $tmp/got.uid"

stalls all | pages_of '$3 ~ /snoop-fl/ { print $6 }' >"$tmp/want.name"
stalls byname | pages_of '{ print $5 }' >"$tmp/got.name"
test_expect "-n keeps exactly the stalls whose comm contains the name" \
	"[ -s $tmp/want.name ] && cmp -s $tmp/want.name $tmp/got.name"

test_expect "headers are bcc's" \
	"[ \"\$(head -1 $tmp/plain.out)\" = 'COMM           PID     LAT(ms) PAGES' ] &&
	 [ \"\$(head -1 $tmp/all.out)\" = 'TIME(s)       UID   COMM           PID     LAT(ms) PAGES  FREE(KB)' ]"

memtotal=$(awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo)
test_expect "-T: TIME(s) starts at 0 and never goes back" \
	"stalls all | awk 'NR == 1 && \$1 != 0 { exit 1 } \$1 < last { exit 1 } { last = \$1 }'"
test_expect "-U: UID is the workload's uid on its THP stalls" \
	"stalls all | awk -v p=$wl_pid '\$4 == p && \$2 == $uid { n++ } END { exit !n }'"
# Without -v the BPF backend's default programs, which read a stall's uid
# only when asked (-U, -j, -u).
test_expect "-U without -v: UID is the workload's uid on its THP stalls" \
	"stalls byname | awk -v p=$wl_pid '\$3 == p && \$1 == $uid { n++ } END { exit !n }'"
test_expect "-v: 0 < FREE(KB) < MemTotal on every line" \
	"stalls all | awk '!(\$7 > 0 && \$7 < $memtotal) { bad = 1 } END { exit bad || !NR }'"
if [ "$backend" = bpf ]; then
	test_expect "-v reads free memory in the kernel here (no approximation)" \
		"! grep -q 'nr_free_pages' $tmp/all.err"
else
	test_expect "-v says once that FREE(KB) is approximate" \
		"[ \$(grep -c 'nr_free_pages' $tmp/all.err) -eq 1 ]"
fi
# The ftrace backend reads the pid from /proc after the stall: a task
# that exited by then shows - (drsnoop(8), the ftrace backend).
pid_re='[0-9]+'
[ "$backend" = ftrace ] && pid_re='([0-9]+|-)'
test_expect "every line is a well-formed row" \
	"! stalls plain | grep -Ev '^.{14} $pid_re +[0-9]+\\.[0-9]{2} +[0-9]+\$'"
done_testing
