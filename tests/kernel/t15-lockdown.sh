#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# On a kernel locked down to confidentiality (lockdown=confidentiality),
# tracefs is disabled but BPF programs still run: the default backend
# chooses BPF without a word of fallback, and --backend=ftrace exits 1
# with one line naming kernel lockdown as the cause. (t14 checks, on the
# same kernel, that the default backend reports every stall.)

. "$(dirname "$0")/lib.sh"
require_root
require_btf
lockdown=$(cat /sys/kernel/security/lockdown 2>/dev/null) ||
	skip_all "no /sys/kernel/security/lockdown (no lockdown LSM, or no securityfs)"
[[ $lockdown == *"[confidentiality]"* ]] ||
	skip_all "the kernel is not locked down to confidentiality ($lockdown)"
diag "lockdown: $lockdown"

"$DRSNOOP" --debug -d 1 >"$tmp/auto.out" 2>"$tmp/auto.err"
rc=$?
sed 's/^/# auto: /' "$tmp/auto.err" | grep -v libbpf
test_expect "auto: status 0, attached with BPF, no fallback" \
	"[ $rc -eq 0 ] && grep -q '^drsnoop: attached as ' '$tmp/auto.err' &&
	 ! grep -q 'using the ftrace backend' '$tmp/auto.err'"
test_expect "auto: printed the header" \
	"head -1 '$tmp/auto.out' | grep -q '^COMM  *PID  *LAT(ms) PAGES\$'"
test_expect "auto: no sanitizer report" "clean_stderr auto"

"$DRSNOOP" --backend=ftrace -d 1 >"$tmp/ft.out" 2>"$tmp/ft.err"
rc=$?
sed 's/^/# ftrace: /' "$tmp/ft.err"
test_expect "--backend=ftrace: status 1, one line naming lockdown" \
	"[ $rc -eq 1 ] && [ \$(wc -l <'$tmp/ft.err') -eq 1 ] &&
	 grep -q '^drsnoop: .*lockdown' '$tmp/ft.err'"
test_expect "--backend=ftrace: nothing on stdout" "[ ! -s '$tmp/ft.out' ]"

done_testing
