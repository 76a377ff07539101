#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# A kernel without BTF: drsnoop's BPF backend says so in one line and
# attaches the programs that need none (raw_tp-nobtf), which report
# exactly as many direct reclaims as allocstall_* rose, with either
# buffer; -v says its FREE(KB) is /proc/vmstat's; what needs BTF (the
# cgroup of --memcg) goes to the ftrace backend, saying why. The BTF is
# hidden from drsnoop by a tmpfs over /sys/kernel/btf in a private mount
# namespace, which this test runs in: the machine's own stays as it is.

if [ -z "${DRSNOOP_T80_UNSHARED:-}" ] && [ "$(id -u)" = 0 ]; then
	DRSNOOP_T80_UNSHARED=1 exec unshare -m --propagation private \
		bash "$0" "$@"
fi

. "$(dirname "$0")/lib.sh"
require_root
require_vmscan
[ -n "${DRSNOOP_T80_UNSHARED:-}" ] || fail_all "no unshare (util-linux)"
if [ -d /sys/kernel/btf ]; then
	mount -t tmpfs -o size=4k,mode=0555 drsnoop-no-btf /sys/kernel/btf ||
		fail_all "cannot mount a tmpfs over /sys/kernel/btf"
fi
no_btf || fail_all "/sys/kernel/btf/vmlinux is still there"

hold_reclaim_lock

NO_BTF_LINE="drsnoop: $NO_BTF_WHY: using the BPF programs that need none"

# no_btf_window NAME BUFFER ARGS...: lib.sh's count_window of drsnoop
# --backend=bpf --debug ARGS, which says once that the kernel has no BTF
# and attaches as raw_tp-nobtf, with BUFFER.
no_btf_window() {
	local name=$1 buffer=$2
	shift 2
	count_window "$name" --backend=bpf --debug "$@" || return
	test_expect "$name: says once that the kernel has no BTF" \
		"says_once $name '$NO_BTF_LINE'"
	test_expect "$name: attached as raw_tp-nobtf" \
		"grep -q '^drsnoop: attached as raw_tp-nobtf, $buffer' '$tmp/$name.err'"
}

no_btf_window ringbuf "ring buffer"
DR_ENV=DRSNOOP_BPF_BUFFER=perf no_btf_window perfbuf-v "perf buffer" -v

test_expect "-v: every stall has a FREE(KB)" \
	"[ -s '$tmp/perfbuf-v.out' ] && ! stalls perfbuf-v | awk '\$NF !~ /^[0-9]+\$/ { bad = 1 } END { exit !bad }'"
test_expect "-v: says once that FREE(KB) is /proc/vmstat's" \
	"says_once perfbuf-v 'drsnoop: free memory at reclaim begin is not readable here; FREE(KB) is /proc/vmstat'\\''s nr_free_pages when each stall is reported'"

# The cgroup of a memcg reclaim is read by CO-RE: --memcg goes to ftrace.
if start_drsnoop memcg --memcg; then
	expect_stopped memcg
	test_expect "--memcg: the ftrace backend, saying why in one line" \
		"says_once memcg 'drsnoop: bpf backend unavailable ($NO_BTF_WHY, and raw_tp-nobtf programs cannot read cgroups), using the ftrace backend'"
else
	not_ok "--memcg: drsnoop started"
fi

done_testing
