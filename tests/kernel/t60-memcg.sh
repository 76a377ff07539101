#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# --memcg and --cgroup under real memcg reclaim (a 64 MiB memory group
# reading a 300 MiB file). A separate tracefs instance counts the memcg
# reclaim ends of the same window: drsnoop --memcg must report exactly as
# many memcg stalls, in both backends, the reader's attributed to its
# group; --cgroup keeps exactly the group's, in the kernel (bpf) and in
# user space (ftrace); and the two backends agree stall by stall. On a
# kernel without BTF (scripts/vmcheck's 6.1-nobtf) the bpf backend
# cannot read cgroups: it refuses, and the default backend (auto) takes
# ftrace, saying why in one line, and is held to the same counts.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/memcg-lib.sh"
require_root
require_vmscan
require_memcg

name=drsnoop-t60-$$
make_memcg "$name" || fail_all "cannot create a memory cgroup"

# The counting instance: both memcg end events, nothing else.
T=$(tracefs_dir)
inst=$T/instances/t60-count-$$
at_exit "rmdir '$inst'"
mkdir "$inst" && echo 4096 >"$inst/buffer_size_kb" ||
	fail_all "cannot set up tracefs instance $inst"

bpf=bpf
backend=--backend=bpf
if no_btf; then
	refused_without_btf bpf-refused \
		"raw_tp-nobtf programs cannot read cgroups" --memcg
	bpf=auto
	backend=
fi
start_drsnoop $bpf $backend --memcg || fail_all "the $bpf backend does not start"
start_drsnoop ft --backend=ftrace --memcg || not_ok "ftrace backend started"
start_drsnoop ${bpf}c $backend --memcg --cgroup "$memcg_dir" ||
	not_ok "$bpf --cgroup started"
start_drsnoop ftc --backend=ftrace --memcg --cgroup "/$name" || not_ok "ftrace --cgroup started"
for e in mm_vmscan_memcg_reclaim_end mm_vmscan_memcg_softlimit_reclaim_end; do
	echo 1 >"$inst/events/vmscan/$e/enable"
done
memcg_read t60-reader || not_ok "the reader read the file (exit status $?)"
sleep 0.3
for e in mm_vmscan_memcg_reclaim_end mm_vmscan_memcg_softlimit_reclaim_end; do
	echo 0 >"$inst/events/vmscan/$e/enable"
done
sleep 0.3
for d in $bpf ft ${bpf}c ftc; do expect_stopped $d; done
if no_btf; then
	for d in $bpf ${bpf}c; do
		test_expect "$d: the ftrace backend, saying why in one line" \
			"says_once $d 'drsnoop: bpf backend unavailable ($NO_BTF_WHY, and raw_tp-nobtf programs cannot read cgroups), using the ftrace backend'"
	done
fi
count=$(grep -c 'mm_vmscan_memcg_\(softlimit_\)\?reclaim_end' "$inst/trace")
overrun=$(awk '/^overrun:/ { n += $2 } END { print n + 0 }' "$inst"/per_cpu/cpu*/stats)

# KIND is the 5th column, CGROUP the last.
memcg_lines() { stalls "$1" | awk '$5 != "direct"'; }
for d in $bpf ft; do
	n=$(memcg_lines $d | wc -l)
	diag "$d: $n memcg stalls; the tracefs instance counted $count (overrun $overrun)"
	test_expect "$d: as many memcg stalls as the instance counted ($count)" \
		"[ $count -ge 100 ] && [ $overrun -eq 0 ] && [ $n -eq $count ]"
	r=$(memcg_lines $d | awk -v p="$reader_pid" '$2 == p' | wc -l)
	a=$(memcg_lines $d | awk -v p="$reader_pid" -v c="/$name" '$2 == p && $NF == c' | wc -l)
	diag "$d: reader $reader_pid: $r memcg stalls, $a of them in /$name"
	test_expect "$d: the reader's stalls are attributed to /$name" \
		"[ $r -ge 100 ] && [ $a -eq $r ]"
	test_expect "$d: no lost events" "! grep -q lost '$tmp/$d.err'"
done

# --cgroup: exactly the group's stalls (of every kind).
for d in $bpf ft; do
	stalls $d | awk -v c="/$name" '$NF == c' >"$tmp/$d.in"
	c=${d}c
	test_expect "$d --cgroup: exactly the stalls in /$name ($(wc -l <"$tmp/$d.in"))" \
		"[ -s '$tmp/$d.in' ] && diff <(awk '{ print \$2, \$4, \$5 }' '$tmp/$d.in') \
			<(stalls $c | awk '{ print \$2, \$4, \$5 }') >/dev/null"
	test_expect "$d --cgroup: nothing from outside /$name" \
		"! stalls $c | awk -v c='/$name' '\$NF != c' | grep -q ."
done

# Both backends: the same (pid, pages, kind) stalls in the same order.
test_expect "$bpf and ftrace report the same memcg stalls" \
	"diff <(memcg_lines $bpf | awk '{ print \$2, \$4, \$5 }') \
		<(memcg_lines ft | awk '{ print \$2, \$4, \$5 }') >/dev/null"

done_testing
