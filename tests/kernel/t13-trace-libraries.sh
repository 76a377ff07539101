#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The trace libraries are loaded only by what needs them: a BPF run maps
# none, the ftrace backend libtraceevent and libtracefs but not
# libtracecmd. Where one cannot be loaded (hidden in a private mount
# namespace), what needs it fails in one line naming it, with status 1;
# -g falls back to hex, and the BPF backend traces as before.

. "$(dirname "$0")/lib.sh"
require_root
require_btf
require_vmscan
# What Debian, make test-build and scripts/install-deps provide.
command -v unshare >/dev/null || fail_all "no unshare (util-linux)"
RELEASE=$top/drsnoop
[ -x "$RELEASE" ] || fail_all "no $RELEASE (make test-build)"
NO_BPF=$top/.output/no-bpf
[ -x "$NO_BPF" ] || fail_all "no $NO_BPF (make test-build)"
libdir=$(pkg-config --variable=libdir libtracefs) ||
	fail_all "no pkg-config file for libtracefs (scripts/install-deps)"

# The trace libraries (and libzstd, which libtracecmd needs) that a
# running drsnoop maps, on one line; "failed" if its maps cannot be read.
trace_libs_of() {
	local maps
	maps=$(cat /proc/"$1"/maps) || { echo failed; return; }
	printf '%s\n' "$maps" |
		grep -oE 'lib(traceevent|tracefs|tracecmd|zstd)\.so' |
		sort -u | sed 's/\.so$//' | paste -sd ' '
}

# maps_test NAME BINARY EXPECTED ARGS...
maps_test() {
	local name=$1 bin=$2 want=$3 libs pid
	shift 3
	DRSNOOP=$bin start_drsnoop "$name" "$@" ||
		{ not_ok "$name: started"; return; }
	pid=$(eval echo "\$${name}_pid")
	libs=$(trace_libs_of "$pid")
	expect_stopped "$name"
	diag "$name: maps '$libs'"
	test_expect "$name: maps ${want:-no trace library}" "[ '$libs' = '$want' ]"
}

maps_test release_bpf "$RELEASE" "" --backend=bpf
maps_test release_bpf_filters "$RELEASE" "" --backend=bpf -v -T -U -n x
maps_test release_ftrace "$RELEASE" "libtraceevent libtracefs" \
	--backend=ftrace
maps_test asan_bpf "$DRSNOOP" "" --backend=bpf

# hidden LIB NAME ARGS...: run drsnoop with libLIB unreadable; its output
# in $tmp/NAME.out and .err, its status in $tmp/NAME.rc.
hidden() {
	local lib name=$2
	lib=$(readlink -f "$libdir/lib$1.so")
	shift 2
	unshare -m sh -c 'mount --bind /dev/null "$0" && exec "$@"' "$lib" \
		"$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
	echo $? >"$tmp/$name.rc"
	sed "s/^/# $name: /" "$tmp/$name.err"
}

# fails_naming NAME LIB PREFIX: status 1 and one line, PREFIX then LIB's.
fails_naming() {
	[ "$(cat "$tmp/$1.rc")" = 1 ] && [ "$(wc -l <"$tmp/$1.err")" -eq 1 ] &&
		grep -q "^$3cannot load lib$2\.so\.[0-9]*: " "$tmp/$1.err"
}

hidden tracefs ftrace "$DRSNOOP" --backend=ftrace -d 1
test_expect "no libtracefs: the ftrace backend exits 1 naming it" \
	"fails_naming ftrace tracefs 'drsnoop: cannot use the ftrace backend: '"

hidden tracefs auto "$NO_BPF" "$DRSNOOP" -d 1
test_expect "no libtracefs, no bpf(2): a reason to fall back, then the library" \
	"[ \$(cat $tmp/auto.rc) = 1 ] && [ \$(wc -l <$tmp/auto.err) -eq 2 ] &&
	 head -1 $tmp/auto.err | grep -q '^drsnoop: bpf backend unavailable (.*), using the ftrace backend\$' &&
	 tail -1 $tmp/auto.err | grep -q '^drsnoop: cannot use the ftrace backend: cannot load libtracefs\.so'"

hidden tracecmd tracedat "$DRSNOOP" -i "$top/tests/fixtures/trace.dat"
test_expect "no libtracecmd: -i trace.dat exits 1 naming it" \
	"fails_naming tracedat tracecmd \"drsnoop: cannot read '.*trace.dat': \""

hidden traceevent perfdata "$DRSNOOP" -i "$top/tests/fixtures/perf.data"
test_expect "no libtraceevent: -i perf.data exits 1 naming it" \
	"fails_naming perfdata traceevent \"drsnoop: cannot read '.*perf.data': \""

hidden tracefs gfp "$DRSNOOP" --backend=bpf -g -d 1
test_expect "no libtracefs: -g traces with the gfp flags in hex" \
	"[ \$(cat $tmp/gfp.rc) = 0 ] && head -1 $tmp/gfp.out | grep -q ' GFP\$' &&
	 grep -q \"^drsnoop: cannot read the gfp flag names of '.*' (cannot load libtracefs\.so.*): GFP shows the flags in hex\$\" $tmp/gfp.err"

hidden traceevent bpf "$DRSNOOP" --backend=bpf -v -T -d 1
test_expect "no libtraceevent: the BPF backend traces" \
	"[ \$(cat $tmp/bpf.rc) = 0 ] && [ ! -s $tmp/bpf.err ] &&
	 head -1 $tmp/bpf.out | grep -q '^TIME(s) '"

done_testing
