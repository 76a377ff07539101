#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# --metrics through Debian's real node_exporter: drsnoop writes its file
# into a textfile collector directory, as drsnoop.service does, with only
# the capabilities that unit gives it (CAP_BPF and CAP_PERFMON, no new
# privileges); node_exporter on 127.0.0.1 serves it; curl scrapes it
# before and after real direct and memcg reclaim. The drsnoop series are
# there, each histogram is cumulative with +Inf = _count, _count rose
# exactly as the kernel's allocstall counters in the same scrapes did, the
# cgroup label names the memcg's group, and promtool accepts the file.
# Beside it, -s -j --interval 1 adds up over its intervals to the
# allocstall rise. node_exporter is stopped by pid on every way out.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/memcg-lib.sh"
. "$(dirname "$0")/metrics-lib.sh"
require_root
require_btf
require_vmscan
require_memcg

NODE_EXPORTER=/usr/bin/prometheus-node-exporter
for tool in "$NODE_EXPORTER" promtool curl setpriv ss; do
	command -v "$tool" >/dev/null ||
		fail_all "no $tool (scripts/install-deps)"
done

dir=$tmp/textfile
prom=$dir/drsnoop.prom
mkdir "$dir"

# The unit's capabilities and limits: root's uid, a bounding set of
# CAP_BPF and CAP_PERFMON, no new privileges, LimitMEMLOCK=infinity.
cat >"$tmp/restricted" <<EOF
#!/bin/sh
ulimit -l unlimited
exec setpriv --bounding-set=-all,+bpf,+perfmon --inh-caps=-all \
	--no-new-privs "$DRSNOOP" "\$@"
EOF
chmod +x "$tmp/restricted"

# node_exporter on a free port of 127.0.0.1, its textfile collector alone.
start_node_exporter() {
	local port i
	for port in $(shuf -i 20000-60000 -n 20); do
		[ -z "$(ss -Hltn "sport = :$port")" ] || continue
		"$NODE_EXPORTER" --web.listen-address="127.0.0.1:$port" \
			--collector.disable-defaults --collector.textfile \
			--collector.textfile.directory="$dir" \
			>"$tmp/ne.out" 2>"$tmp/ne.err" &
		ne_pid=$!
		at_exit "kill $ne_pid; wait $ne_pid"
		# 10 s, 100 s under emulation (a Go binary through 9p).
		for i in $(seq $((100 * slow_factor))); do
			if curl -sf "http://127.0.0.1:$port/metrics" >/dev/null; then
				ne_url=http://127.0.0.1:$port/metrics
				return 0
			fi
			kill -0 $ne_pid 2>/dev/null || break
			sleep 0.1
		done
		kill $ne_pid 2>/dev/null
		wait $ne_pid 2>/dev/null
	done
	sed 's/^/# /' "$tmp/ne.err" | tail -5
	return 1
}

# Every histogram of a scrape: buckets cumulative in le order, and the
# +Inf bucket equal to _count of the same labels.
histograms_consistent() {
	local s=$1
	sed -n 's/^drsnoop_stall_seconds_bucket{\(.*\)le="\([^"]*\)"\(.*\)} \(.*\)$/\1\3 \2 \4/p' "$s" |
		sed 's/,,/,/; s/,* / /' | sort -k1,1 -k2,2g >"$s.buckets"
	[ -s "$s.buckets" ] || return 1
	awk '$1 == key && $3 + 0 < last { bad = 1 }
	     { key = $1; last = $3 + 0 }
	     END { exit bad }' "$s.buckets" || return 1
	sed -n 's/^drsnoop_stall_seconds_count{\(.*\)} \(.*\)$/\1 \2/p' "$s" |
		sort >"$s.counts"
	awk '$2 == "+Inf" { print $1, $3 + 0 }' "$s.buckets" | sort |
		diff - <(awk '{ print $1, $2 + 0 }' "$s.counts") >&2
}

hold_reclaim_lock
start_node_exporter || fail_all "node_exporter does not serve 127.0.0.1"
ok "node_exporter serves $ne_url with --collector.textfile.directory=$dir"

make_memcg drsnoop-t64 || fail_all "cannot create a memory cgroup"
before=$(allocstall_total)
DRSNOOP=$tmp/restricted launch_drsnoop m "[ -s '$prom' ]" \
	--memcg --metrics "$prom" --metrics-by=cgroup --interval 1 ||
	not_ok "drsnoop --metrics started"
start_drsnoop_quiet iv --backend=bpf -s -j --interval 1 ||
	not_ok "drsnoop -s --interval started"
capeff=$(awk '/^CapEff:/ { print $2 }' "/proc/$m_pid/status")
diag "CapEff of drsnoop --metrics: $capeff"
test_expect "drsnoop --metrics runs with CAP_BPF and CAP_PERFMON at most" \
	"[ \$((0x$capeff & ~0xc000000000)) -eq 0 ]"

sleep 1.5
curl -sf "$ne_url" >"$tmp/scrape1" || not_ok "first scrape"
run_pressure -n drsnoop-prom || not_ok "workload ran"
memcg_read || not_ok "the reader read the file (exit status $?)"
# The group enters the top at the next write; its series counts from then.
sleep 1.5
memcg_read || not_ok "the reader read the file (exit status $?)"
sleep 2.5
curl -sf "$ne_url" >"$tmp/scrape2" || not_ok "second scrape"
cp "$prom" "$tmp/last.prom"
expect_stopped iv
expect_stopped m
after=$(allocstall_total)

s1=$tmp/scrape1 s2=$tmp/scrape2
grep -E '^drsnoop_stall_seconds_(bucket|sum|count)\{cgroup="/drsnoop-t64",kind="memcg"' "$s2" |
	grep -vE 'le="(1e-05|2.5e-05|0.00025|0.0025|0.025|0.25)"' | sed 's/^/# /'
test_expect "node_exporter read the file without error" \
	"grep -qx 'node_textfile_scrape_error 0' '$s2'"
for series in drsnoop_stall_seconds_bucket drsnoop_stall_seconds_sum \
	drsnoop_stall_seconds_count drsnoop_reclaimed_bytes_total \
	drsnoop_lost_stalls_total drsnoop_kernel_allocstall_total; do
	test_expect "the scrape has $series" "grep -q '^$series' '$s2'"
done
test_expect "the scrape has the HELP and TYPE of the histogram" \
	"grep -qx '# TYPE drsnoop_stall_seconds histogram' '$s2'"
test_expect "histograms are cumulative and +Inf = _count, in both scrapes" \
	"histograms_consistent '$s1' && histograms_consistent '$s2'"

expect_capture "between the scrapes" "$s1" "$s2"
cg=$(value "$s2" 'drsnoop_stall_seconds_count{cgroup="/drsnoop-t64",kind="memcg"}')
diag "memcg stalls of /drsnoop-t64 since it entered the top: $cg"
test_expect "the cgroup label names the memcg's group, with its stalls" \
	"[ '${cg:-0}' -gt 0 ]"
test_expect "at most 11 cgroup label values (10 and \"other\")" \
	"[ \$(grep -o 'cgroup=\"[^\"]*\"' '$s2' | sort -u | wc -l) -le 11 ]"
test_expect "promtool check metrics accepts the file" \
	"promtool check metrics <'$tmp/last.prom' >&2"
test_expect "drsnoop --metrics left no temporary file" \
	"[ \"\$(ls -A '$dir')\" = drsnoop.prom ]"

rise=$((after - before))
iv=$tmp/iv.out
diag "-s --interval 1: $(wc -l <"$iv") summaries; allocstall rose by $rise"
test_expect "-s -j --interval 1: one summary a second, direct adds up to the rise ($rise)" \
	"[ \$(wc -l <'$iv') -ge 5 ] &&
	 jq -se 'map(.summary.capture) |
		(map(.direct) | add) == $rise and
		(map(.allocstall_rise) | add) == $rise' '$iv' >/dev/null"
done_testing
