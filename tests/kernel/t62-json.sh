#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# -j under real memcg reclaim, by a reader whose name (set with prctl)
# holds a quote, a backslash and a control character. Every line parses
# with jq, round-trips the values of a text drsnoop of the same run, and
# the name comes out escaped, in both backends.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/memcg-lib.sh"
require_root
require_btf
require_vmscan
require_memcg
command -v jq >/dev/null || fail_all "no jq (scripts/install-deps)"

make_memcg drsnoop-t62-$$ || fail_all "cannot create a memory cgroup"
comm=$'q"b\\c\x01x'

# Two windows. In the first only BPF tracers run, whose latencies of one
# stall differ by the other's few microseconds; an ftrace tracer's reader
# wake-ups would land in theirs. The second compares bpf with ftrace.
start_drsnoop text --backend=bpf --memcg || fail_all "the bpf backend does not start"
start_drsnoop_quiet bj --backend=bpf --memcg -j || not_ok "bpf -j started"
memcg_read "$comm" || not_ok "the reader read the file (exit status $?)"
sleep 0.3
for d in text bj; do expect_stopped $d; done
bj_reader=$reader_pid
start_drsnoop_quiet bj2 --backend=bpf --memcg -j || not_ok "bpf -j started"
start_drsnoop_quiet fj --backend=ftrace --memcg -j || not_ok "ftrace -j started"
memcg_read "$comm" || not_ok "the reader read the file (exit status $?)"
sleep 0.3
for d in bj2 fj; do expect_stopped $d; done
fj_reader=$reader_pid

# The name as JSON must spell it: quote, backslash and \u0001 escaped.
printf '%s\n' '"comm":"q\"b\\c\u0001x"' >"$tmp/escaped"
for d in bj fj; do
	reader_pid=$(eval echo "\$${d}_reader")
	n=$(wc -l <"$tmp/$d.out")
	# jq -e's status is its last output's: slurp, and ask of every line.
	test_expect "$d: all $n lines parse as JSON objects" \
		"[ $n -gt 100 ] && jq -se 'length == $n and
			all(.[]; type == \"object\")' '$tmp/$d.out' >/dev/null"
	test_expect "$d: numbers are numbers, unknowns null, on every line" \
		"jq -se 'all(.[]; (.lat_ns|type) == \"number\" and
			(.pid|type) == \"number\" and (.pages|type) == \"number\" and
			.free_kb == null and (.cgroup_id|type) == \"number\")' \
			'$tmp/$d.out' >/dev/null"
	test_expect "$d: the reader's name comes out escaped" \
		"grep -qFf '$tmp/escaped' '$tmp/$d.out'"
	test_expect "$d: and decodes back to the same bytes" \
		"jq -r --argjson p $reader_pid 'select(.pid == \$p) | .comm' '$tmp/$d.out' |
			sort -u | cmp -s - <(printf '%s\n' \"\$comm\")"
done

# The text run's values: PID, LAT(ms), PAGES, KIND, CGROUP of the reader's
# lines (other tasks' stalls on other CPUs may come in another order).
# Two tracers time each stall a few microseconds apart (whichever probe
# runs second counts the other's), so LAT(ms) agrees within 0.1 ms; but
# the task can be preempted between the two tracers' probes, which only
# one of them then counts: a few stalls (at most 1 in 20) may differ more.
# The same replay of a recording must agree exactly.
stalls text | awk -v p=$bj_reader '$2 == p { print $2, $3, $4, $5, $6 }' >"$tmp/text.vals"
jq -r --argjson p $bj_reader 'select(.pid == $p) | "\(.pid) \(.lat_ns) \(.pages) \(.kind) \(.cgroup)"' "$tmp/bj.out" |
	awk '{ printf "%s %.2f %s %s %s\n", $1, $2 / 1e6, $3, $4, $5 }' >"$tmp/bj.vals"
diag "text $(wc -l <"$tmp/text.vals") lines, json $(wc -l <"$tmp/bj.vals")"
paste -d' ' "$tmp/text.vals" "$tmp/bj.vals" |
	awk '{ d = $2 - $7; if (d < 0) d = -d; if (d > 0.1 + 1e-9) n++ }
	     END { print n + 0 }' >"$tmp/lat.off"
diag "$(cat "$tmp/lat.off") of $(wc -l <"$tmp/text.vals") latencies differ by more than 0.1 ms"
test_expect "bpf: the JSON lines round-trip the text lines of the same run" \
	"[ -s '$tmp/text.vals' ] &&
	 diff <(cut -d' ' -f1,3- '$tmp/text.vals') <(cut -d' ' -f1,3- '$tmp/bj.vals') >/dev/null &&
	 [ \$((20 * \$(cat '$tmp/lat.off'))) -le \$(wc -l <'$tmp/text.vals') ]"
for d in bj2 fj; do
	jq -r "select(.pid == $fj_reader) | \"\\(.pid) \\(.pages) \\(.kind) \\(.cgroup)\"" \
		"$tmp/$d.out" >"$tmp/$d.vals"
done
diag "window 2: bpf $(wc -l <"$tmp/bj2.vals"), ftrace $(wc -l <"$tmp/fj.vals") stalls of the reader"
diff "$tmp/bj2.vals" "$tmp/fj.vals" | head -5 | sed 's/^/# /'
test_expect "bpf and ftrace JSON agree on pid, pages, kind and cgroup" \
	"[ -s '$tmp/fj.vals' ] && cmp -s '$tmp/bj2.vals' '$tmp/fj.vals'"

dat=$top/tests/fixtures/trace.dat
"$DRSNOOP" -i "$dat" -T -g >"$tmp/dat_g.out" 2>"$tmp/dat_g.err"
test_expect "trace.dat -T -g: exits 0" "exit_status_is 0 $? && clean_stderr dat_g"
"$DRSNOOP" -i "$dat" -j >"$tmp/dat_j.out" 2>"$tmp/dat_j.err"
test_expect "trace.dat -j: exits 0" "exit_status_is 0 $? && clean_stderr dat_j"
stalls dat_g >"$tmp/file.text"
jq -r '"\(.comm) \(.tid) \(.lat_ns) \(.pages) \(.order) \(.gfp)"' "$tmp/dat_j.out" |
	awk '{ printf "%s %.2f %s %s %s\n", $1, $3 / 1e6, $4, $5, $6 }' >"$tmp/file.json"
test_expect "trace.dat: -j round-trips -g's COMM, LAT(ms), PAGES, ORDER, GFP exactly" \
	"[ -s '$tmp/file.json' ] &&
	 diff <(awk '{ print \$2, \$4, \$5, \$6, \$7 }' '$tmp/file.text') '$tmp/file.json' >/dev/null"
done_testing
