# SPDX-License-Identifier: GPL-2.0
#
# Shared by the kernel tests (tests/kernel/t*.sh), after git's t/test-lib:
# prerequisites first (skip_all with a reason), cleanup registered before
# the thing it undoes, and TAP on stdout. Source it, then call
# test_expect / ok / not_ok, and done_testing at the end.

set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# The sanitizer build, so that the kernel tests also catch memory errors.
DRSNOOP=${DRSNOOP:-$top/.output/asan/drsnoop}
PRESSURE=$top/scripts/reclaim-pressure
RECLAIM_LOCK=/run/lock/drsnoop-reclaim.lock
# No LeakSanitizer here: its ptrace-based stop-the-world hung at exit on
# this kernel when drsnoop was signalled; leaks are checked by the unit
# tests, the fuzzers and t12's -d run.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=0:exitcode=99}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=99}

# scripts/vmcheck's guests run under emulation (DRSNOOP_TEST_EMULATED=1),
# where a process starts and ends tens of times slower: a bound on how fast
# drsnoop starts or stops, never on what it reports, is widened by this.
slow_factor=1
[ -n "${DRSNOOP_TEST_EMULATED:-}" ] && slow_factor=10

tmp=$(mktemp -d /tmp/drsnoop-test.XXXXXX)
test_n=0
test_failed=0
cleanups=()

# Run "$@" at exit, last registered first.
at_exit() {
	cleanups+=("$*")
}

run_cleanups() {
	local i
	for ((i = ${#cleanups[@]} - 1; i >= 0; i--)); do
		eval "${cleanups[$i]}" >/dev/null 2>&1 || true
	done
	rm -rf "$tmp"
}
trap run_cleanups EXIT
trap 'exit 130' INT TERM HUP

# skip_all REASON: the kernel or the machine lacks what this test tests.
# tests/run counts it as a skip only if REASON is on tests/README's list
# of reasons to skip; anything else that goes wrong is fail_all.
skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

# fail_all REASON: the test cannot go on (its set-up failed, or what it
# tests does not start): one failure, the plan of what ran, exit 1.
fail_all() {
	not_ok "$*"
	done_testing
	exit 1
}

ok() {
	test_n=$((test_n + 1))
	echo "ok $test_n - $*"
}

not_ok() {
	test_n=$((test_n + 1))
	test_failed=$((test_failed + 1))
	echo "not ok $test_n - $*"
}

skip() {
	test_n=$((test_n + 1))
	echo "ok $test_n # SKIP $*"
}

# Say something that helps read a failure.
diag() {
	echo "# $*"
}

# phase WHAT: a comment with the seconds since the last phase (or since
# the test began): where a long test's time goes, under emulation.
phase_t0=$SECONDS
phase() {
	diag "$1 in $((SECONDS - phase_t0)) s"
	phase_t0=$SECONDS
}

# test_expect 'what' 'shell code': ok when the code succeeds.
test_expect() {
	local what=$1 code=$2
	if (eval "$code"); then
		ok "$what"
	else
		not_ok "$what"
	fi
}

done_testing() {
	echo "1..$test_n"
	[ $test_failed -eq 0 ]
}

require_root() {
	[ "$(id -u)" = 0 ] || skip_all "needs root"
}

require_btf() {
	[ -r /sys/kernel/btf/vmlinux ] || skip_all "the kernel has no BTF"
}

# Whether the kernel's BTF is hidden or missing (CONFIG_DEBUG_INFO_BTF
# off): drsnoop's BPF backend then loads only raw_tp-nobtf programs.
no_btf() {
	[ ! -r /sys/kernel/btf/vmlinux ]
}

# kernel_before VERSION: the running kernel is older than VERSION (5.12).
kernel_before() {
	[ "$(printf '%s\n' "$1" "$(uname -r)" | sort -V | head -1)" != "$1" ]
}

NO_BTF_WHY='the kernel has no BTF (/sys/kernel/btf/vmlinux: No such file or directory)'

# says_once NAME LINE: LINE is on NAME's stderr exactly once.
says_once() {
	[ "$(grep -cxF "$2" "$tmp/$1.err")" -eq 1 ] && return 0
	diag "$1's stderr:"
	sed 's/^/# /' "$tmp/$1.err"
	return 1
}

# refused_without_btf NAME WHY ARGS...: one result: drsnoop
# --backend=bpf ARGS (DR_ENV as launch_drsnoop's) exits 1 at once on a
# kernel without BTF, its stderr the one line that says so and WHY
# ("raw_tp programs need the kernel's BTF").
refused_without_btf() {
	local name=$1 why=$2 rc
	shift 2
	# shellcheck disable=SC2086
	timeout -s INT -k 10 60 env ${DR_ENV:-} "$DRSNOOP" --backend=bpf "$@" \
		>"$tmp/$name.out" 2>"$tmp/$name.err"
	rc=$?
	if exit_status_is 1 $rc && [ "$(cat "$tmp/$name.err")" = \
		"drsnoop: cannot use the bpf backend: $NO_BTF_WHY, and $why" ]; then
		ok "$name: --backend=bpf exits 1 without BTF: $why"
	else
		sed 's/^/# /' "$tmp/$name.err"
		not_ok "$name: --backend=bpf exits 1 without BTF: $why"
	fi
}

require_vmscan() {
	tracefs_dir >/dev/null || skip_all "no tracefs"
	[ -d "$(tracefs_dir)/events/vmscan/mm_vmscan_direct_reclaim_begin" ] ||
		skip_all "the kernel has no vmscan:mm_vmscan_direct_reclaim_* events"
}

# syscall_nr NAME: the number of system call NAME on this machine, for
# /proc/PID/syscall and gdb; those the tests use, on x86-64 and arm64.
syscall_nr() {
	case $(uname -m):$1 in
	x86_64:recvmsg) echo 47 ;;
	x86_64:bpf) echo 321 ;;
	aarch64:recvmsg) echo 212 ;;
	aarch64:bpf) echo 280 ;;
	*) return 1 ;;
	esac
}

# The frame where a workload stall's kernel stack reaches the kernel's
# entry (an ERE): a system call (the hugetlb sysctl write, a read, a
# worker's mmap) or a page fault (for a THP, a page table or a small page):
# x86's two entries, or arm64's one for both (el0t_64_sync).
KERNEL_ENTRY_RE='(asm_exc_page_fault|entry_SYSCALL_64_after_hwframe|el0t_64_sync)[+]0x'

# Where tracefs is, mounting it at /sys/kernel/tracing when it is not.
tracefs_dir() {
	local d
	d=$(awk '$3 == "tracefs" { print $2; exit }' /proc/mounts)
	if [ -z "$d" ]; then
		mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || return 1
		d=/sys/kernel/tracing
	fi
	echo "$d"
}

# instance_of PID [PIDNS]: the tracefs instance of the drsnoop whose pid
# is PID in the PID namespace of inode PIDNS (ours when not given):
# instances/drsnoop-PIDNS-PID, drsnoop(8)'s FILES.
instance_of() {
	echo "$(tracefs_dir)/instances/drsnoop-${2:-$(stat -L -c %i /proc/self/ns/pid)}-$1"
}

# Sum of the allocstall_* counters: one per direct reclaim, the oracle.
allocstall_total() {
	awk '/^allocstall_/ { n += $2 } END { print n + 0 }' /proc/vmstat
}

# Hold the reclaim lock for the rest of the test, so that no other
# reclaim workload of ours runs inside this test's window; the workload
# script sees DRSNOOP_RECLAIM_LOCKED and does not take it again.
hold_reclaim_lock() {
	exec 9>"$RECLAIM_LOCK"
	flock 9
	export DRSNOOP_RECLAIM_LOCKED=1
}

# The variable that holds NAME's pid: NAME_pid, with any character that
# cannot be in a shell name (raw_tp-compat) as '_'.
pid_var() {
	echo "${1//[^A-Za-z0-9_]/_}_pid"
}

# launch_drsnoop NAME READY ARGS...: run drsnoop in the background, output
# in $tmp/NAME.out and $tmp/NAME.err, and wait (10 s at most) until the
# shell test READY holds. Sets the variable NAME_pid. DR_ENV="VAR=value
# ..." sets environment variables for drsnoop alone.
launch_drsnoop() {
	local name=$1 ready=$2 i
	shift 2
	# shellcheck disable=SC2086
	env ${DR_ENV:-} "$DRSNOOP" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
	eval "$(pid_var "$name")=$!"
	at_exit "stop_pid $!"
	for i in $(seq 200); do
		eval "$ready" && return 0
		kill -0 $! 2>/dev/null || break
		sleep 0.05
	done
	diag "drsnoop $* did not start:"
	sed 's/^/# /' "$tmp/$name.err"
	return 1
}

# start_drsnoop NAME ARGS...: attached once its header is out.
start_drsnoop() {
	local name=$1
	shift
	launch_drsnoop "$name" "[ -s '$tmp/$name.out' ]" "$@"
}

# start_drsnoop_quiet NAME ARGS...: for output with no header (-j, -s):
# attached once --debug says so on stderr.
start_drsnoop_quiet() {
	local name=$1
	shift
	launch_drsnoop "$name" \
		"grep -qsE '^drsnoop: (attached as|tracing in)' '$tmp/$name.err'" \
		--debug "$@"
}

# Whether PID is a live child of this shell, not a pid reused since.
is_child() {
	local s f
	read -r s 2>/dev/null <"/proc/$1/stat" || return 1
	read -r -a f <<<"${s##*) }"
	[ "${f[1]}" = "$BASHPID" ] && [ "${f[0]}" != Z ]
}

# wait_child PID SECONDS: wait for PID, a child of this shell, SECONDS at
# most, and return its exit status; if it still runs then, say where it
# is in the kernel and return 124, leaving it running.
wait_child() {
	local pid=$1 i
	for ((i = 0; i < $2 * 10; i++)); do
		is_child "$pid" || { wait "$pid" 2>/dev/null; return; }
		sleep 0.1
	done
	diag "pid $pid ($(cat "/proc/$pid/comm" 2>/dev/null)) still runs after $2 s; its kernel stack:"
	sed 's/^/#   /' "/proc/$pid/stack" 2>/dev/null
	return 124
}

# Some of the "prog_id: N" / "link_id: N" lines in file $1 still exists.
some_left() {
	local kind id
	while read -r kind id; do
		case $kind in
		prog_id:) bpftool prog show id "$id" >/dev/null 2>&1 && return 0 ;;
		link_id:) bpftool link show id "$id" >/dev/null 2>&1 && return 0 ;;
		esac
	done <"$1"
	return 1
}

# all_gone FILE: none of them left, 5 s at most after their holder exited:
# the kernel puts a raw tracepoint link's program after an RCU grace
# period, so its id outlives the process for a moment.
all_gone() {
	local i
	for ((i = 0; i < 50; i++)); do
		some_left "$1" || return 0
		sleep 0.1
	done
	diag "still there 5 s after: $(tr '\n' ' ' <"$1")"
	return 1
}

# reap_child PID SECONDS [WHY]: wait_child, and SIGKILL PID if it still
# runs then, saying so, and WHY when given (124).
reap_child() {
	local rc
	wait_child "$1" "$2"
	rc=$?
	if [ $rc -eq 124 ]; then
		diag "pid $1 killed${3:+: $3}"
		kill -KILL "$1" 2>/dev/null
		wait "$1" 2>/dev/null
	fi
	return $rc
}

# stop_pid PID [SECONDS]: SIGINT PID and wait for it, if it is a child of
# this shell; its exit status is returned. One that has not exited SECONDS
# (60) later is SIGKILLed (124): a test says which of its tasks hung, and
# ends.
stop_pid() {
	kill -INT "$1" 2>/dev/null
	reap_child "$1" "${2:-60}" "it did not exit on SIGINT"
}

# stop_drsnoop NAME [SECONDS]: stop_pid of NAME's drsnoop.
stop_drsnoop() {
	stop_pid "$(eval echo "\$$(pid_var "$1")")" "${2:-}"
}

# exit_status_is WANT GOT: whether GOT is WANT, saying what GOT was if not:
# a signal's name (status 128+N from wait), a hang (124), a sanitizer
# report (99, lib.sh's ASAN_OPTIONS and UBSAN_OPTIONS) or the number.
exit_status_is() {
	[ "$2" -eq "$1" ] && return 0
	if [ "$2" -eq 124 ]; then
		diag "it hung and was killed"
	elif [ "$2" -eq 99 ]; then
		diag "exit status 99: a sanitizer report"
	elif [ "$2" -gt 128 ]; then
		diag "killed by SIG$(kill -l $(($2 - 128)) 2>/dev/null)"
	else
		diag "exit status $2"
	fi
	return 1
}

# expect_stopped NAME [SECONDS]: stop NAME's drsnoop with SIGINT; one
# result: it exited 0, as drsnoop(8)'s EXIT STATUS says, with a clean
# stderr.
expect_stopped() {
	local rc
	stop_drsnoop "$@"
	rc=$?
	if exit_status_is 0 $rc && clean_stderr "$1"; then
		ok "drsnoop $1 exits 0 after SIGINT"
	else
		not_ok "drsnoop $1 exits 0 after SIGINT"
	fi
}

# No sanitizer report, no unexpected complaint in NAME's stderr.
clean_stderr() {
	if grep -qE 'Sanitizer|runtime error|LeakSanitizer' "$tmp/$1.err"; then
		sed 's/^/# /' "$tmp/$1.err" | head -40
		return 1
	fi
	return 0
}

# Stall lines of NAME's output (the header dropped).
stalls() {
	tail -n +2 "$tmp/$1.out"
}

# workload_ready FD: a reclaim-pressure -w workload's lines read from FD
# until it is ready, its pid in wl_pid and its threads in wl_tids; the test
# stops, showing the workload's errors ($tmp/wl.err), if it named no pid.
workload_ready() {
	local key value
	wl_pid= wl_tids=()
	while read -r key value <&"$1"; do
		case $key in
		pid) wl_pid=$value ;;
		tid) wl_tids+=("$value") ;;
		ready) break ;;
		esac
	done
	[ -n "$wl_pid" ] && return 0
	sed 's/^/# /' "$tmp/wl.err"
	fail_all "the workload did not start"
}

# workload_go OUT IN: a ready workload told to go on its stdin (fd IN),
# returning when it says it is done on its stdout (fd OUT).
workload_go() {
	local key value
	echo go >&"$2"
	while read -r key value <&"$1"; do
		[ "$key" = done ] && break
	done
}

# run_pressure ARGS...: the reclaim workload; its pid/tid lines go to
# $tmp/wl.out, its progress to $tmp/wl.err, of which the sizing, the pool,
# the rounds and the summary are shown. Sets wl_pid and wl_tids.
run_pressure() {
	"$PRESSURE" "$@" >"$tmp/wl.out" 2>"$tmp/wl.err" || {
		diag "reclaim-pressure failed:"
		sed 's/^/# /' "$tmp/wl.err"
		return 1
	}
	grep -E 'pool|round|allocstall \+' "$tmp/wl.err" | sed 's/^/# /'
	wl_pid=$(awk '$1 == "pid" { print $2; exit }' "$tmp/wl.out")
	wl_tids=$(awk '$1 == "tid" { print $2 }' "$tmp/wl.out")
}

# expect_counted RISE NAME...: each drsnoop NAME, stopped, showed RISE
# stalls (the allocstall rise of the window they all covered), lost none
# and has a clean stderr.
expect_counted() {
	local rise=$1 n c
	shift
	for n in "$@"; do
		c=$(stalls "$n" | wc -l)
		diag "$n: $c stalls, allocstall rose by $rise"
		test_expect "$n: stalls equal the allocstall rise" \
			"[ $c -gt 0 ] && [ $c -eq $rise ]"
		test_expect "$n: no lost events, no sanitizer report" \
			"! grep -q lost '$tmp/$n.err' && clean_stderr $n"
	done
}

# count_window NAME ARGS...: drsnoop ARGS (DR_ENV as launch_drsnoop's)
# around one workload run, stopped after it: its stalls against the
# allocstall rise of the window, and no stall lost. Fails if it did not
# start.
count_window() {
	local name=$1 before after reported ran=1
	shift
	if ! start_drsnoop "$name" "$@"; then
		not_ok "$name: drsnoop started"
		return 1
	fi
	before=$(allocstall_total)
	run_pressure -n drsnoop-wl || ran=
	sleep 0.3
	after=$(allocstall_total)
	expect_stopped "$name"
	[ -n "$ran" ] || { not_ok "$name: workload ran"; return; }
	# Stall lines: the frames of -K's stacks, indented, aside.
	reported=$(stalls "$name" | grep -c '^[^ ]')
	diag "$name: allocstall rose by $((after - before)), drsnoop reported $reported"
	if [ $((after - before)) -gt 0 ] && [ "$reported" -eq $((after - before)) ]; then
		ok "$name: reported stalls equal the allocstall rise ($reported)"
	else
		not_ok "$name: reported $reported stalls, allocstall rose by $((after - before))"
	fi
	test_expect "$name: no lost events" \
		"! grep -q '^drsnoop: lost ' '$tmp/$name.err'"
}

# vmstat KEY: /proc/vmstat's KEY (compact_stall, compact_success, ...).
vmstat() {
	awk -v k="$1" '$1 == k { print $2; found = 1 } END { if (!found) print 0 }' /proc/vmstat
}

require_compaction() {
	[ -d "$(tracefs_dir)/events/compaction/mm_compaction_try_to_compact_pages" ] ||
		skip_all "the kernel has no compaction:mm_compaction_try_to_compact_pages event (no CONFIG_COMPACTION)"
}

# can_fentry FUNC: whether BPF can fentry/fexit FUNC here, judged as the
# kernel does: FUNC is in the function tracer's list (the development
# machine cannot even read that list; Debian's kernels list both
# __alloc_pages_direct_compact and the memory.high handler).
can_fentry() {
	grep -qE "^$1( |\$)" "$(tracefs_dir)/available_filter_functions" 2>/dev/null
}

# can_kprobe FUNC: whether a kprobe event on FUNC can be made (tried, and
# removed at once).
can_kprobe() {
	local ev=$(tracefs_dir)/kprobe_events probe=drsnoop_test_probe_$$
	[ -w "$ev" ] || return 1
	echo "p:$probe $1" >>"$ev" 2>/dev/null || return 1
	echo "-:$probe" >>"$ev"
}

# The memory.high handler's name in this kernel's symbols: 6.1's
# mem_cgroup_handle_over_high, newer kernels' __mem_cgroup_handle_over_high.
high_func() {
	awk '$3 == "mem_cgroup_handle_over_high" || $3 == "__mem_cgroup_handle_over_high" {
		print $3; exit }' /proc/kallsyms
}

# no_drsnoop_left PID...: no kprobe event of drsnoop's in tracefs (the
# ftrace backend's for --high) and no instance of these drsnoops left.
no_drsnoop_left() {
	local T p left=0
	T=$(tracefs_dir)
	if grep -s drsnoop "$T/dynamic_events" "$T/kprobe_events"; then
		left=1
	fi
	for p in "$@"; do
		[ ! -e "$(instance_of "$p")" ] || { echo "instance of $p"; left=1; }
	done
	return $left
}
