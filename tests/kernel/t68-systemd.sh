#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# drsnoop.service as make install installs it, run by real systemd (pid 1)
# beside Debian's prometheus-node-exporter.service: once attached, the
# service's drsnoop has no capability left, no_new_privs, a seccomp
# filter (SystemCallFilter=) and a read-only root; node_exporter's scrape
# shows its series, and their direct _count plus lost rose as the kernel's
# allocstall counters did over real reclaim; systemctl stop ends it with
# success, leaving no BPF program, no tracefs instance and the metrics
# file with its last values (drsnoop(8), METRICS); the journal shows no
# denial. Then the same with the ftrace drop-in of drsnoop(8), SYSTEMD.
# Runs where systemd is pid 1 and the unit is installed but not running:
# scripts/vmcheck's 6.1-systemd guest is such a system.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/metrics-lib.sh"
require_root
require_btf
require_vmscan

unit=drsnoop.service
ne_unit=prometheus-node-exporter.service
dir=/var/lib/prometheus/node-exporter
prom=$dir/drsnoop.prom
# Debian's node_exporter listens on :9100 (its ARGS in
# /etc/default/prometheus-node-exporter are empty by default).
ne_url=http://127.0.0.1:9100/metrics
NONE=0000000000000000

[ "$(cat /proc/1/comm)" = systemd ] ||
	skip_all "systemd is not pid 1 (scripts/vmcheck 6.1-systemd boots a guest where it is)"
systemctl cat "$unit" >/dev/null 2>&1 ||
	fail_all "$unit is not installed (make install)"
systemctl is-active -q "$unit" && fail_all "$unit already runs here: not stopping it"
systemctl cat "$ne_unit" >/dev/null 2>&1 ||
	fail_all "$ne_unit is not installed (scripts/install-deps)"

show() {
	systemctl show -p "$2" --value "$1"
}

# field PID NAME: NAME's value in /proc/PID/status.
field() {
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}

# wait_for SECONDS TEST: until the shell test TEST holds.
wait_for() {
	local i
	for ((i = 0; i < $1 * 10; i++)); do
		eval "$2" && return 0
		sleep 0.1
	done
	return 1
}

# journal_of INVOCATION WHAT: drsnoop's own lines and systemd's about
# that run of the unit, and the kernel's since the test started, have no
# denial from the sandbox, and drsnoop complained of nothing.
journal_of() {
	local j=$tmp/journal.$2
	journalctl -q -o cat _SYSTEMD_INVOCATION_ID="$1" + INVOCATION_ID="$1" \
		>"$j" 2>&1
	sed "s/^/# $2 journal: /" "$j"
	dmesg | tail -n +$((dmesg_lines + 1)) >"$tmp/dmesg"
	test_expect "$2: no denial in the journal or the kernel log (EPERM, seccomp)" \
		"! grep -iE 'denied|not permitted|EPERM|seccomp|type=1326' '$j' '$tmp/dmesg'"
	test_expect "$2: drsnoop complained of nothing (its lines but lost stalls)" \
		"! grep '^drsnoop: ' '$j' | grep -vq 'lost [0-9]* stalls'"
}

# A scrape of node_exporter into $1 that has the drsnoop series.
scrape() {
	curl -sf "$ne_url" >"$1" && grep -q '^drsnoop_stall_seconds_count' "$1"
}

[ -e "$prom" ] || at_exit "rm -f '$prom'"
dmesg_lines=$(dmesg | wc -l)
hold_reclaim_lock

touch "$tmp/mark"
at_exit "systemctl stop $unit; systemctl reset-failed $unit"
systemctl start "$unit" 2>"$tmp/start.err"
test_expect "systemctl start $unit" \
	"[ \"\$(show $unit ActiveState)\" = active ] || { sed 's/^/# /' '$tmp/start.err'; false; }"
inv=$(show "$unit" InvocationID)
pid=$(show "$unit" MainPID)
test_expect "drsnoop wrote $prom once attached" \
	"wait_for $((2 * slow_factor)) \"[ '$prom' -nt '$tmp/mark' ]\""

diag "$unit main process $pid: uid $(awk '$1 == "Uid:" { print $2 }' "/proc/$pid/status")" \
	"CapEff $(field "$pid" CapEff) CapPrm $(field "$pid" CapPrm)" \
	"CapBnd $(field "$pid" CapBnd) CapAmb $(field "$pid" CapAmb)" \
	"NoNewPrivs $(field "$pid" NoNewPrivs) Seccomp $(field "$pid" Seccomp)" \
	"Seccomp_filters $(field "$pid" Seccomp_filters)"
test_expect "attached: no capability left (CapEff, CapPrm, CapInh, CapAmb 0)" \
	"[ '$(field "$pid" CapEff)' = $NONE ] && [ '$(field "$pid" CapPrm)' = $NONE ] &&
	 [ '$(field "$pid" CapInh)' = $NONE ] && [ '$(field "$pid" CapAmb)' = $NONE ]"
test_expect "bounding set CAP_BPF and CAP_PERFMON at most" \
	"[ \$((0x$(field "$pid" CapBnd) & ~0xc000000000)) -eq 0 ]"
test_expect "NoNewPrivs 1, Seccomp 2 (SystemCallFilter=)" \
	"[ '$(field "$pid" NoNewPrivs)' = 1 ] && [ '$(field "$pid" Seccomp)' = 2 ]"
root_opts=$(awk '$5 == "/" { print $6 }' "/proc/$pid/mountinfo" | tail -1)
dir_opts=$(awk -v d="$dir" '$5 == d { print $6 }' "/proc/$pid/mountinfo" | tail -1)
diag "drsnoop's mounts: / $root_opts, $dir $dir_opts"
test_expect "ProtectSystem=strict: / read-only, $dir writable" \
	"[ '${root_opts%%,*}' = ro ] && [ '${dir_opts%%,*}' = rw ]"
grep -hE '^(prog_id|link_id):' /proc/"$pid"/fdinfo/* 2>/dev/null |
	sort -u | tr '\t' ' ' >"$tmp/bpf_ids"
diag "drsnoop holds $(wc -l <"$tmp/bpf_ids") BPF programs and links"
phase "bpf: started and checked"

if ! systemctl is-active -q "$ne_unit"; then
	at_exit "systemctl stop $ne_unit"
	systemctl start "$ne_unit" 2>"$tmp/ne.err" || sed 's/^/# /' "$tmp/ne.err"
fi
test_expect "$ne_unit serves $ne_url with drsnoop's series" \
	"wait_for $((3 * slow_factor)) \"scrape '$tmp/scrape1'\""
phase "bpf: node_exporter served"

run_pressure -n drsnoop-t68 || not_ok "workload ran"
phase "bpf: the workload ran"
# The next write after the workload (every 15 s, the unit has no
# --interval) has all its stalls.
touch "$tmp/mark"
wait_for 30 "[ '$prom' -nt '$tmp/mark' ]" || diag "no write within 30 s"
phase "bpf: the next write came"
scrape "$tmp/scrape2" || not_ok "second scrape"

s1=$tmp/scrape1 s2=$tmp/scrape2
mycg=$(awk -F: '$1 == 0 { print $3 }' /proc/self/cgroup)
grep -E '^drsnoop_stall_seconds_(sum|count)|^drsnoop_(lost|kernel)' "$s2" |
	sed 's/^/# /'
test_expect "node_exporter read the file without error" \
	"grep -qx 'node_textfile_scrape_error 0' '$s2'"
for series in drsnoop_stall_seconds_bucket drsnoop_stall_seconds_sum \
	drsnoop_stall_seconds_count drsnoop_reclaimed_bytes_total \
	drsnoop_lost_stalls_total drsnoop_kernel_allocstall_total; do
	test_expect "the scrape has $series" "grep -q '^$series' '$s2'"
done
expect_capture "between the scrapes" "$s1" "$s2"
# The workload's group enters the top 10 at the first write after its
# stalls; those before count in "other" (drsnoop(8), METRICS).
cgline="drsnoop_stall_seconds_count{cgroup=\"$mycg\",kind=\"direct\"}"
test_expect "the cgroup label names the workload's systemd cgroup ($mycg)" \
	"grep -qF '$cgline ' '$s2'"
exposure=$(systemd-analyze security "$unit" 2>/dev/null |
	sed -n 's/.*Overall exposure level for drsnoop.service: //p')
diag "systemd-analyze security of the running unit: $exposure"

systemctl stop "$unit" 2>"$tmp/stop.err"
test_expect "systemctl stop: inactive, Result=success, exit status 0, no restart" \
	"[ \"\$(show $unit ActiveState)\" = inactive ] &&
	 [ \"\$(show $unit Result)\" = success ] &&
	 [ \"\$(show $unit ExecMainStatus)\" = 0 ] &&
	 [ \"\$(show $unit NRestarts)\" = 0 ] ||
	 { sed 's/^/# /' '$tmp/stop.err'; false; }"
test_expect "drsnoop's process is gone" "[ ! -e /proc/$pid ]"
test_expect "none of its BPF programs and links is left" \
	"[ -s '$tmp/bpf_ids' ] && all_gone '$tmp/bpf_ids'"
t=$(tracefs_dir)
test_expect "no drsnoop tracefs instance, no vmscan event enabled" \
	"! ls -d '$t'/instances/drsnoop* >/dev/null 2>&1 &&
	 ! grep -qs 1 '$t'/events/vmscan/*/enable"
read -r scraped _ < <(capture_counts "$s2")
test_expect "$prom keeps its last values: mode 0644, no temporary file" \
	"[ \"\$(stat -c %a '$prom')\" = 644 ] &&
	 [ \"\$(ls -A '$dir' | grep -c '^drsnoop\.prom')\" = 1 ] &&
	 [ \$(value '$prom' 'drsnoop_stall_seconds_count{') -ge $scraped ]"

journal_of "$inv" bpf
phase "bpf: stopped and checked"

# The ftrace backend under the drop-in of drsnoop(8), SYSTEMD, for kernels
# without BPF: the same command with --backend=ftrace,
# ProtectKernelTunables=no, tracefs writable.
dropin=/run/systemd/system/$unit.d
cmd=$(show "$unit" ExecStart | sed -n 's/.*argv\[\]=\([^;]*\) ;.*/\1/p')
mkdir -p "$dropin"
at_exit "rm -rf '$dropin'; systemctl daemon-reload"
cat >"$dropin/ftrace.conf" <<EOS
[Service]
ExecStart=
ExecStart=${cmd/--backend=bpf/--backend=ftrace}
ProtectKernelTunables=no
ReadWritePaths=/sys/kernel/tracing
EOS
systemctl daemon-reload
touch "$tmp/mark"
systemctl start "$unit" 2>"$tmp/start.err"
pid=$(show "$unit" MainPID)
inv=$(show "$unit" InvocationID)
test_expect "ftrace drop-in: started, and wrote $prom once attached" \
	"wait_for $((2 * slow_factor)) \"[ '$prom' -nt '$tmp/mark' ]\" ||
	 { sed 's/^/# /' '$tmp/start.err'; false; }"
diag "ftrace: main process $pid: CapEff $(field "$pid" CapEff)" \
	"CapPrm $(field "$pid" CapPrm) NoNewPrivs $(field "$pid" NoNewPrivs)" \
	"Seccomp $(field "$pid" Seccomp)"
test_expect "ftrace drop-in: CapEff and CapPrm 0, NoNewPrivs 1, Seccomp 2" \
	"[ '$(field "$pid" CapEff)' = $NONE ] && [ '$(field "$pid" CapPrm)' = $NONE ] &&
	 [ '$(field "$pid" NoNewPrivs)' = 1 ] && [ '$(field "$pid" Seccomp)' = 2 ]"
test_expect "ftrace drop-in: its tracefs instance is there" \
	"[ -d '$(instance_of $pid)' ]"
cp "$prom" "$tmp/ftrace1.prom"
phase "ftrace: started and checked"
run_pressure -n drsnoop-t68 || not_ok "workload ran"
phase "ftrace: the workload ran"
touch "$tmp/mark"
wait_for 30 "[ '$prom' -nt '$tmp/mark' ]" || diag "no write within 30 s"
phase "ftrace: the next write came"
expect_capture "ftrace drop-in, between two writes" "$tmp/ftrace1.prom" "$prom"
systemctl stop "$unit" 2>"$tmp/stop.err"
test_expect "ftrace drop-in: stopped with success, its instance removed" \
	"[ \"\$(show $unit Result)\" = success ] &&
	 [ \"\$(show $unit ExecMainStatus)\" = 0 ] &&
	 [ ! -e '$(instance_of $pid)' ] &&
	 ! grep -qs 1 '$t'/events/vmscan/*/enable"
journal_of "$inv" ftrace
done_testing
