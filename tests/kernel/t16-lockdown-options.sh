#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# On a kernel locked down to confidentiality, -v cannot run at all: its
# BPF programs read kernel memory, which the kernel forbids, and tracefs
# is disabled. drsnoop exits 1 and says both reasons, each naming kernel
# lockdown. (t15 checks that the default backend still chooses BPF.)

. "$(dirname "$0")/lib.sh"
require_root
require_btf
lockdown=$(cat /sys/kernel/security/lockdown 2>/dev/null) ||
	skip_all "no /sys/kernel/security/lockdown (no lockdown LSM, or no securityfs)"
[[ $lockdown == *"[confidentiality]"* ]] ||
	skip_all "the kernel is not locked down to confidentiality ($lockdown)"

"$DRSNOOP" -v -d 1 >"$tmp/v.out" 2>"$tmp/v.err"
rc=$?
sed 's/^/# -v: /' "$tmp/v.err"
test_expect "-v: status 1, nothing on stdout" "[ $rc -eq 1 ] && [ ! -s '$tmp/v.out' ]"
test_expect "-v: the bpf backend's reason names lockdown and -v" \
	"grep -q '^drsnoop: bpf backend unavailable (kernel lockdown .* which -v needs), using the ftrace backend\$' '$tmp/v.err'"
test_expect "-v: the ftrace backend's reason names lockdown" \
	"grep -q '^drsnoop: cannot use the ftrace backend: tracefs is disabled by kernel lockdown' '$tmp/v.err'"
test_expect "-v: those two lines only" "[ \$(wc -l <'$tmp/v.err') -eq 2 ]"

"$DRSNOOP" --backend=bpf --memcg -d 1 >"$tmp/m.out" 2>"$tmp/m.err"
rc=$?
sed 's/^/# --memcg: /' "$tmp/m.err"
test_expect "--backend=bpf --memcg: status 1, one line naming lockdown" \
	"[ $rc -eq 1 ] && [ \$(wc -l <'$tmp/m.err') -eq 1 ] &&
	 grep -q '^drsnoop: cannot use the bpf backend: kernel lockdown .* which tracing by cgroup needs\$' '$tmp/m.err'"

done_testing
