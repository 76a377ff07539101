#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The BPF and ftrace backends side by side with -K over one reclaim-
# pressure run: for the workload's stalls, in order, both give the same
# kernel frames (function+offset) from try_to_free_pages outwards. The
# frames inside it differ by design: each backend's own tracing code
# (the BPF program's trampoline, ftrace's trace_event_raw_event_*).

. "$(dirname "$0")/lib.sh"
require_root
require_btf
require_vmscan
tdir=$(tracefs_dir)
grep -qw stacktrace "$tdir/events/vmscan/mm_vmscan_direct_reclaim_begin/trigger" ||
	skip_all "this kernel has no stacktrace event trigger"

hold_reclaim_lock
# Root, BTF and the events are there: a backend that does not start fails.
start_drsnoop bpf --backend=bpf -K || fail_all "the bpf backend did not start"
start_drsnoop ft --backend=ftrace -K ||
	fail_all "the ftrace backend did not start"
run_pressure -n drsnoop-kcmp || not_ok "workload ran"
sleep 0.3
expect_stopped bpf
expect_stopped ft

# One line per workload stall: pages, then its frames from
# try_to_free_pages outwards ("-" when it has no such frame).
from_reclaim() {
	awk -v p="$wl_pid" 'BEGIN { RS = ""; FS = "\n" }
	{
		i = ($1 ~ /^COMM/) ? 2 : 1
		split($i, f, " ")
		if (f[2] != p)
			next
		line = f[4]; on = 0
		for (i++; i <= NF; i++) {
			sub(/^ +/, "", $i)
			if ($i ~ /^try_to_free_pages\+/)
				on = 1
			if ($i == "--")
				break
			if (on)
				line = line " " $i
		}
		print on ? line : line " -"
	}' "$tmp/$1.out"
}
from_reclaim bpf >"$tmp/bpf.k"
from_reclaim ft >"$tmp/ft.k"
n=$(wc -l <"$tmp/bpf.k")
diag "workload pid $wl_pid: bpf $n, ftrace $(wc -l <"$tmp/ft.k") stalls"
sed -n 1p "$tmp/bpf.k" | sed 's/^/# bpf:    /'
sed -n 1p "$tmp/ft.k" | sed 's/^/# ftrace: /'
test_expect "both backends give every workload stall try_to_free_pages" \
	"[ $n -gt 0 ] && ! grep -q ' -$' '$tmp/bpf.k' && ! grep -q ' -$' '$tmp/ft.k'"
test_expect "the same stalls with the same frames from try_to_free_pages out" \
	"cmp -s '$tmp/bpf.k' '$tmp/ft.k' || { diff '$tmp/bpf.k' '$tmp/ft.k' | head -6 | sed 's/^/# /'; false; }"
test_expect "no lost events, no sanitizer report" \
	"! grep -q lost '$tmp/bpf.err' && ! grep -q lost '$tmp/ft.err' &&
	 clean_stderr bpf && clean_stderr ft"
done_testing
