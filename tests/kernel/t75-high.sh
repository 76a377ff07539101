#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# --high, the memory.high penalty, on each backend as the kernel allows
# it: the BPF backend needs fentry or a kprobe on the handler
# (mem_cgroup_handle_over_high, __mem_cgroup_handle_over_high from 6.5),
# the ftrace backend a kprobe event. The test tries them itself (the
# function tracer's list, a kprobe event of its own made and removed).
#
# A backend that can: a task named t75-reader reads a 300 MiB sparse file
# in a cgroup2 group whose memory.high is 16 MiB (no memory.max): its
# page cache is charged over the limit on every read, and each return to
# user space reclaims from the group (and sleeps a penalty if still
# over). drsnoop --high -j -n t75-reader shows high stalls of the reader:
# more than 0, no more than memory.events "high" rose (the kernel counts
# every charge over the limit, the handler runs once per return), and
# their LAT together no more than the group's memory.pressure "some"
# total rose (PSI counts the reclaim and the sleep, LAT only the time
# outside the reclaims).
#
# A backend that cannot (the development machine: no kprobes, no
# fentry): drsnoop --high says so in one line on stderr ("drsnoop: not
# tracing high stalls: ..."), and still traces the rest: under
# reclaim-pressure, direct stalls of the workload, no high line, exit 0.
#
# Without BTF (scripts/vmcheck's 6.1-nobtf) the BPF backend's hooks,
# all CO-RE, cannot load: --backend=bpf --high exits 1 saying why in one
# line, and the default backend (auto) takes ftrace, saying so once, and
# is held to what the ftrace backend is.
#
# Where the BPF backend has fentry and kprobes both, it takes fentry, and
# a second BPF drsnoop (bpfk) is held to the same with its kprobe
# programs (DRSNOOP_BPF_HOOK=kprobe), so that they run somewhere: on the
# 6.1 guests, x86 and arm64.
#
# Either way no kprobe event of drsnoop's is left behind.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/memcg-lib.sh"
require_root
require_vmscan
command -v jq >/dev/null || fail_all "jq is not installed"

hf=$(high_func)
[ -n "$hf" ] ||
	skip_all "the kernel has no memory.high handler (mem_cgroup_handle_over_high) in /proc/kallsyms"
real=() notice=()
if no_btf; then
	refused_without_btf bpf-refused \
		"BPF traces compaction and memory.high only with it" --high
	if can_kprobe "$hf"; then real+=(auto); else notice+=(auto); fi
elif can_fentry "$hf" || can_kprobe "$hf"; then
	real+=(bpf)
	! can_fentry "$hf" || ! can_kprobe "$hf" || real+=(bpfk)
else
	notice+=(bpf)
fi
if can_kprobe "$hf"; then real+=(ftrace); else notice+=(ftrace); fi
diag "$hf: traced by ${real[*]:-no backend}; notice expected from ${notice[*]:-none}"

if [ ${#real[@]} -gt 0 ]; then
	find_memcg && [ "$MEMCG_LIMIT" = memory.max ] ||
		skip_all "no cgroup2 memory controller (memory.high is cgroup2's)"
	[ -x "$SETCOMM" ] || fail_all "tests/helpers/setcomm not built (make test-build)"
	memcg_high drsnoop-t75-$$ 16 || fail_all "cannot create a cgroup2 group with memory.high"
	[ -r "$memcg_dir/memory.pressure" ] && [ -n "$(memcg_some_us)" ] ||
		skip_all "PSI is off on this kernel (no memory.pressure in a cgroup2 hierarchy)"
fi
[ ${#notice[@]} -eq 0 ] || hold_reclaim_lock

# The backend of drsnoop NAME, and the environment it runs with.
backend_of() {
	[ "$1" = bpfk ] && echo bpf || echo "$1"
}

env_of() {
	[ "$1" != bpfk ] || echo DRSNOOP_BPF_HOOK=kprobe
}

for b in "${real[@]}"; do
	DR_ENV=$(env_of $b) start_drsnoop_quiet $b --backend="$(backend_of $b)" \
		--high -j -n t75-reader ||
		fail_all "the $b backend does not start with --high"
	DR_ENV=$(env_of $b) start_drsnoop ${b}t --backend="$(backend_of $b)" \
		--high -n t75-reader || not_ok "$b text started"
done
[ ! -e "$tmp/bpfk.err" ] ||
	test_expect "bpfk: memory.high traced by kprobe and kretprobe" \
		"grep -q '^drsnoop: memory.high traced exactly, by kprobe/kretprobe on $hf\$' '$tmp/bpfk.err'"
for b in "${notice[@]}"; do
	start_drsnoop_quiet $b --backend=$b --high -j -n t75-wl ||
		fail_all "the $b backend does not start with --high where it cannot trace it"
done

if [ ${#real[@]} -gt 0 ]; then
	e0=$(memcg_high_events) p0=$(memcg_some_us)
	memcg_read t75-reader || not_ok "the reader in the group exited 0"
	sleep 0.3
	e1=$(memcg_high_events) p1=$(memcg_some_us)
	events=$((e1 - e0)) some=$((p1 - p0))
	diag "memory.events high rose by $events, memory.pressure some by $some us"
fi
if [ ${#notice[@]} -gt 0 ]; then
	run_pressure -n t75-wl || not_ok "reclaim-pressure ran"
	sleep 0.3
fi

pids=()
for d in "${real[@]}" "${real[@]/%/t}" "${notice[@]}"; do
	pids+=("$(eval echo "\$$(pid_var "$d")")")
	expect_stopped "$d"
done

for b in "${real[@]}"; do
	jq -c 'select(.kind == "high")' "$tmp/$b.out" >"$tmp/$b.h"
	n=$(wc -l <"$tmp/$b.h")
	us=$(jq -s 'map(.lat_ns) | add // 0 | . / 1000 | floor' "$tmp/$b.h")
	diag "$b: $n high stalls, $us us in all, $(jq -s 'map(.pages) | add' "$tmp/$b.h") pages"
	test_expect "$b: high stalls of the reader, no more than memory.events high rose ($events)" \
		"[ $n -gt 0 ] && [ $n -le $events ]"
	test_expect "$b: their LAT ($us us) no more than memory.pressure some rose ($some us)" \
		"[ $us -le $some ]"
	test_expect "$b: every line the reader's, high or direct" \
		"jq -e -s 'all(.[]; .comm == \"t75-reader\" and (.kind == \"high\" or .kind == \"direct\"))' '$tmp/$b.out' >/dev/null"
	t=$(stalls ${b}t | awk '$1 == "t75-reader" && $5 == "high"' | wc -l)
	test_expect "$b text: $n lines of KIND high" "[ $t -eq $n ]"
	test_expect "$b: no notice, no lost events" \
		"! grep -qE '^drsnoop: (not tracing|lost)' '$tmp/$b.err'"
done

for b in "${notice[@]}"; do
	grep '^drsnoop: not tracing' "$tmp/$b.err" | sed "s/^/# $b: /"
	test_expect "$b: one line says high stalls are not traced" \
		"[ \$(grep -c '^drsnoop: not tracing high stalls: ' '$tmp/$b.err') -eq 1 ] &&
		 [ \$(grep -c '^drsnoop: not tracing' '$tmp/$b.err') -eq 1 ]"
	d=$(jq -r 'select(.kind == "direct" and .comm == "t75-wl") | .tid' "$tmp/$b.out" | wc -l)
	diag "$b: $d direct stalls of the workload"
	test_expect "$b: the direct stalls still traced" "[ $d -gt 0 ]"
	test_expect "$b: no high line" \
		"! jq -e -s 'any(.[]; .kind == \"high\")' '$tmp/$b.out' >/dev/null"
done

if no_btf; then
	# autot, the text drsnoop, runs where the high stalls are traced.
	for d in auto autot; do
		[ -e "$tmp/$d.err" ] || continue
		test_expect "$d: the ftrace backend, saying why in one line" \
			"says_once $d 'drsnoop: bpf backend unavailable ($NO_BTF_WHY, and BPF traces compaction and memory.high only with it), using the ftrace backend'"
	done
fi

test_expect "no instance or kprobe event of drsnoop left" "no_drsnoop_left ${pids[*]}"

done_testing
