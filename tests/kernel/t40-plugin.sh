#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The libtraceevent plugin, .output/plugin_drsnoop.so, loaded from
# TRACEEVENT_PLUGIN_DIR by 'trace-cmd report' and 'perf script' over the
# recorded fixtures (tests/fixtures, counts in its README). Needs no root.
. "$(dirname "$0")/lib.sh"

plugin_dir=$top/.output
plugin=$plugin_dir/plugin_drsnoop.so
fixtures=$top/tests/fixtures
export TRACEEVENT_PLUGIN_DIR=$plugin_dir

# scripts/install-deps installs both: without them, this fails.
command -v trace-cmd >/dev/null || fail_all "no trace-cmd (scripts/install-deps)"
command -v perf >/dev/null || fail_all "no perf (scripts/install-deps)"

# count FILE KEY: a number from the README's "count: FILE k=v..." line.
count() {
	awk -v f="$1" -v k="$2" '$1 == "count:" && $2 == f {
		for (i = 3; i <= NF; i++)
			if (split($i, kv, "=") == 2 && kv[1] == k)
				print kv[2]
	}' "$fixtures/README"
}

# trace-cmd report, its stderr kept in $tmp/report.err.
report() {
	trace-cmd report "$@" 2>"$tmp/report.err"
}

begins=$(count trace.dat begin)
ends=$(count trace.dat end)
pairs=$(count trace.dat pairs)
[ -n "$pairs" ] || fail_all "no trace.dat counts in tests/fixtures/README"

test_expect 'the plugin is built and exports only the TEP_PLUGIN_* entries' '
	[ -f "$plugin" ] &&
	nm -D --defined-only "$plugin" | awk "{ print \$3 }" | sort >"$tmp/exp" &&
	printf "tep_plugin_loader\ntep_plugin_unloader\n" | cmp -s - "$tmp/exp"
'

# perf 6.1 exports only some tep_* functions: every one the plugin needs
# must be there (weak ones are optional and checked at run time).
test_expect 'every strong tep_*/trace_seq_* import is exported by perf' '
	nm -D --undefined-only "$plugin" |
		awk "\$1 == \"U\" && \$2 ~ /^(tep_|trace_seq_)/ { print \$2 }" |
		sort >"$tmp/need" &&
	nm -D --defined-only "$(command -v perf)" | awk "{ print \$3 }" |
		sort >"$tmp/have" &&
	missing=$(comm -23 "$tmp/need" "$tmp/have") &&
	{ [ -z "$missing" ] || { diag "perf lacks: $missing"; false; }; }
'

report -i "$fixtures/trace.dat" >"$tmp/ms.out"
grep ' mm_vmscan_direct_reclaim_end: ' "$tmp/ms.out" >"$tmp/ms.end"
grep ' mm_vmscan_direct_reclaim_begin: ' "$tmp/ms.out" >"$tmp/ms.begin"
grep -F 'LAT(ms)=' "$tmp/ms.end" >"$tmp/ms.stalls"

test_expect "trace-cmd report: one stall line per complete pair ($pairs)" '
	! grep -qi "plugin\|error" "$tmp/report.err" &&
	[ "$(wc -l <"$tmp/ms.end")" -eq "$ends" ] &&
	[ "$(wc -l <"$tmp/ms.stalls")" -eq "$pairs" ] || {
		diag "end lines $(wc -l <"$tmp/ms.end") (want $ends)," \
			"stall lines $(wc -l <"$tmp/ms.stalls") (want $pairs)"
		sed "s/^/# /" "$tmp/report.err"
		false
	}
'

test_expect 'stall lines: comm, tid, latency, pages and order are plausible' '
	awk "
	{
		ok = 0
		for (i = 1; i <= NF; i++) {
			split(\$i, kv, \"=\")
			if (kv[1] == \"COMM\" && kv[2] != \"\") ok++
			if (kv[1] == \"TID\" && kv[2] ~ /^[0-9]+\$/ && kv[2] > 0) ok++
			if (kv[1] == \"LAT(ms)\" && kv[2] ~ /^[0-9]+\\.[0-9][0-9][0-9]\$/ &&
			    kv[2] < 60000) ok++
			if (kv[1] == \"PAGES\" && kv[2] ~ /^[0-9]+\$/) ok++
			if (kv[1] == \"ORDER\" && kv[2] ~ /^[0-9]+\$/ && kv[2] <= 10) ok++
		}
		if (ok != 5) { print \"# bad: \" \$0; bad++ }
		if (\$0 ~ /COMM=drpressure /) wl++
	}
	END { exit bad || !wl }" "$tmp/ms.stalls"
'

test_expect "begin lines keep libtraceevent's order and decoded gfp_flags" '
	[ "$(wc -l <"$tmp/ms.begin")" -eq "$begins" ] &&
	! grep -v -E "TID=[0-9]+ order=[0-9]+ gfp_flags=(none|[A-Z_|]+)\$" \
		"$tmp/ms.begin" | grep -q .
'

test_expect 'trace-cmd list -O lists drsnoop:latency and drsnoop:unit' '
	trace-cmd list -O >"$tmp/opts" 2>&1 &&
	grep -A1 "plugin:[[:space:]]*drsnoop" "$tmp/opts" |
		grep -q "option:[[:space:]]*latency" &&
	grep -A1 "plugin:[[:space:]]*drsnoop" "$tmp/opts" |
		grep -q "option:[[:space:]]*unit"
'

# Same stalls in microseconds: each value is 1000 times the ms one.
test_expect '-O drsnoop:unit=us prints the latencies in microseconds' '
	report -O drsnoop:unit=us -i "$fixtures/trace.dat" |
		grep -F "LAT(us)=" >"$tmp/us.stalls" &&
	[ "$(wc -l <"$tmp/us.stalls")" -eq "$pairs" ] &&
	paste -d" " <(grep -o "LAT(ms)=[0-9.]*" "$tmp/ms.stalls" | cut -d= -f2) \
		<(grep -o "LAT(us)=[0-9.]*" "$tmp/us.stalls" | cut -d= -f2) |
		awk "{ d = \$1 * 1000 - \$2; if (d > 0.5 || d < -0.5) bad++ }
		     END { exit bad }"
'

test_expect '-O drsnoop:latency=0 drops the latency, keeps the lines' '
	report -O drsnoop:latency=0 -i "$fixtures/trace.dat" |
		grep " mm_vmscan_direct_reclaim_end: " >"$tmp/nolat.end" &&
	[ "$(wc -l <"$tmp/nolat.end")" -eq "$ends" ] &&
	! grep -q "LAT(" "$tmp/nolat.end" &&
	[ "$(grep -c "PAGES=" "$tmp/nolat.end")" -eq "$ends" ]
'

# Two files, two teps: with state in globals, the second file's begins
# would replace the first's, and half the stalls would be lost.
test_expect 'pairing state is per tep: two inputs give twice the stalls' '
	[ "$(report -i "$fixtures/trace.dat" -i "$fixtures/trace.dat" |
		grep -cF "LAT(ms)=")" -eq $((2 * pairs)) ]
'

perf_ends=$(count perf.data end)
perf_begins=$(count perf.data begin)
test_expect 'perf script loads the plugin with nothing on stderr' '
	perf script -i "$fixtures/perf.data" >"$tmp/perf.out" \
		2>"$tmp/perf.err" &&
	! grep -q . "$tmp/perf.err" || {
		sed "s/^/# /" "$tmp/perf.err"
		false
	}
'
# perf hands plugins records with timestamp 0: no latency there.
test_expect 'perf script: every end line formatted, without latency' '
	[ "$(grep -c "_end: TID=[0-9]* PAGES=[0-9]*\$" "$tmp/perf.out")" \
		-eq "$perf_ends" ] &&
	[ "$(grep -cE "_begin: TID=[0-9]+ order=[0-9]+ gfp_flags=" \
		"$tmp/perf.out")" -eq "$perf_begins" ] &&
	! grep -q "LAT(" "$tmp/perf.out"
'

done_testing
