#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian package (make deb) as apt installs it: apt-get install of
# .output/deb/drsnoop_*.deb; the installed drsnoop -d counts a reclaim run
# exactly (the allocstall rise); drsnoop.service is installed but neither
# enabled nor started, and once started writes its metrics; trace-cmd
# report decodes a recording's stalls through the installed plugin;
# apt-get purge leaves the watched directories as they were. With
# libbpf-tools, whose drsnoop is /usr/sbin/drsnoop too: installed before
# ours or after it, ours is drsnoop on the PATH and theirs
# /usr/sbin/drsnoop.libbpf-tools (the diversion), and purging ours gives
# theirs back; libbpf-tools is purged and installed again from its .deb
# in the apt cache (scripts/vmcheck puts it in the guest's).
#
# It installs and purges packages, so never on a machine's own root: in
# scripts/vmcheck's 6.1-systemd guest, whose root is a throwaway overlay,
# all of it; elsewhere, where systemd is not pid 1, all but the service
# (skipped), inside a throwaway overlay of this root (upper layer on a
# tmpfs) entered with chroot.

. "$(dirname "$0")/lib.sh"
require_root
require_btf
require_vmscan

export DEBIAN_FRONTEND=noninteractive
unit=drsnoop.service
no_systemd="systemd is not pid 1 (scripts/vmcheck 6.1-systemd boots a guest where it is)"
prom=/var/lib/prometheus/node-exporter/drsnoop.prom
theirs_name=/usr/sbin/drsnoop.libbpf-tools
ours_deb=$(ls "$top"/.output/deb/drsnoop_*_"$(dpkg --print-architecture)".deb 2>/dev/null | tail -1)
theirs_deb=$(ls /var/cache/apt/archives/libbpf-tools_*.deb 2>/dev/null | sort -V | tail -1)
plugindir=$(pkg-config --variable=libdir libtraceevent)/traceevent/plugins
fixtures=$top/tests/fixtures
# Where the package puts files, and what dpkg and systemd change for it
# (relative to the root).
watched="usr/sbin usr/share/man/man8 usr/share/doc lib/systemd/system etc
	var/lib/systemd ${plugindir#/} var/lib/prometheus"

[ -n "$ours_deb" ] || fail_all "no $top/.output/deb/drsnoop_*.deb (make deb; make check and make vmcheck run it)"
[ -n "$theirs_deb" ] ||
	fail_all "no libbpf-tools .deb in /var/cache/apt/archives (scripts/vmcheck puts it in the guest's)"

# The root the package goes into: the guest's own ($root empty), or a
# throwaway overlay of this one. Its base is outside $tmp, which lib.sh
# removes with rm -rf: never across a mount left behind.
if [ "$(cat /proc/1/comm)" = systemd ]; then
	[ -f /vmcheck.env ] ||
		fail_all "not scripts/vmcheck's guest: t72 installs packages only on a throwaway root"
	root=
else
	base=$(mktemp -d /tmp/drsnoop-t72-root.XXXXXX)
	root=$base/root
	at_exit "rmdir '$base'"
	mount -t tmpfs tmpfs "$base" || fail_all "cannot mount a tmpfs on $base"
	at_exit "umount '$base'"
	mkdir "$base/upper" "$base/work" "$root"
	mount -t overlay overlay \
		-o "lowerdir=/,upperdir=$base/upper,workdir=$base/work" "$root" ||
		fail_all "cannot mount an overlay of / on $root"
	at_exit "umount -R '$root'"
	# New instances, and /dev without what is mounted below it: nothing
	# unmounted at the end can take a mount of this machine's with it.
	mount -t proc proc "$root/proc" && mount -t sysfs sysfs "$root/sys" &&
		mount -t tracefs tracefs "$root/sys/kernel/tracing" &&
		mount --bind /dev "$root/dev" ||
		fail_all "cannot mount proc, sysfs, tracefs and /dev in $root"
fi

# in_root COMMAND...: COMMAND in the root the package goes into.
in_root() {
	if [ -n "$root" ]; then
		chroot "$root" "$@"
	else
		"$@"
	fi
}

# is_installed PACKAGE: dpkg has it installed (not only its conffiles).
is_installed() {
	[ "$(in_root dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

is_installed libbpf-tools ||
	fail_all "libbpf-tools is not installed (scripts/install-deps)"

# What make install put on the guest's root for t68 (/usr/local, and the
# plugin where the package puts it) would shadow the package's files: set
# aside while this test runs; and man-db's auto-update flag, whose
# trigger would rebuild the whole manual page index after every package
# (minutes under emulation).
mkdir "$tmp/aside"
for f in /usr/local/sbin/drsnoop /usr/local/share/man/man8/drsnoop.8 \
	/usr/local/lib/systemd/system/$unit "$plugindir/plugin_drsnoop.so" \
	/var/lib/man-db/auto-update; do
	[ -e "$root$f" ] || continue
	in_root dpkg-query -S "$f" >/dev/null 2>&1 && continue
	mkdir -p "$tmp/aside${f%/*}"
	mv "$root$f" "$tmp/aside$f"
	at_exit "mv '$tmp/aside$f' '$root$f'"
done
if [ -z "$root" ]; then
	systemctl daemon-reload
	at_exit "systemctl daemon-reload"
	# Whatever failed, leave ours purged and libbpf-tools installed.
	at_exit "is_installed libbpf-tools || apt-get install -y -q '$theirs_deb'"
	at_exit "! is_installed drsnoop || apt-get purge -y -q drsnoop"
fi

# apt_get NAME DIR ARGS...: apt-get -y ARGS in DIR, its output in
# $tmp/NAME.apt.
apt_get() {
	local name=$1
	shift
	# shellcheck disable=SC2016
	in_root sh -c 'cd "$0" && exec apt-get -y -q "$@"' "$@" \
		>"$tmp/$name.apt" 2>&1 || {
		sed "s/^/# $name: /" "$tmp/$name.apt" | tail -20
		return 1
	}
}

snapshot() {
	# shellcheck disable=SC2086
	(cd "${root:-/}" && find $watched -xdev 2>/dev/null | sort) >"$1"
}

# same_file PATH DEB: PATH is DEB's /usr/sbin/drsnoop, byte for byte.
same_file() {
	dpkg-deb --fsys-tarfile "$2" | tar -xO ./usr/sbin/drsnoop |
		cmp -s - "$root$1"
}

diverted_to_theirs() {
	[ "$(in_root dpkg-divert --listpackage /usr/sbin/drsnoop)" = drsnoop ] &&
		[ "$(in_root dpkg-divert --truename /usr/sbin/drsnoop)" = "$theirs_name" ]
}

# install_ours NAME: apt-get install ./drsnoop_*.deb, as a user would.
install_ours() {
	apt_get "$1" "${ours_deb%/*}" install "./${ours_deb##*/}"
}

# expect_ours_first WHAT: ours is drsnoop on the PATH, theirs diverted.
expect_ours_first() {
	test_expect "$1: ours is drsnoop on the PATH, theirs $theirs_name" \
		"[ \"\$(in_root sh -c 'command -v drsnoop')\" = /usr/sbin/drsnoop ] &&
		 same_file /usr/sbin/drsnoop '$ours_deb' &&
		 same_file '$theirs_name' '$theirs_deb' && diverted_to_theirs"
}

# expect_purged WHAT BEFORE: purging ours gave theirs back and left the
# watched directories as in the snapshot BEFORE.
expect_purged() {
	snapshot "$tmp/after.$1"
	test_expect "$1: purged, no diversion left, theirs is drsnoop again" \
		"! is_installed drsnoop &&
		 [ -z \"\$(in_root dpkg-divert --listpackage /usr/sbin/drsnoop)\" ] &&
		 same_file /usr/sbin/drsnoop '$theirs_deb' && [ ! -e '$root$theirs_name' ]"
	test_expect "$1: the watched directories as before the install" \
		"diff '$2' '$tmp/after.$1' >'$tmp/diff.$1' ||
		 { sed 's/^/# /' '$tmp/diff.$1'; false; }"
}

report_stalls() {
	in_root trace-cmd report -i "$fixtures/trace.dat" 2>"$tmp/report.err" |
		grep -c ' mm_vmscan_direct_reclaim_end: .*LAT(ms)='
}

pairs=$(awk '$1 == "count:" && $2 == "trace.dat" {
	for (i = 3; i <= NF; i++)
		if (split($i, kv, "=") == 2 && kv[1] == "pairs")
			print kv[2]
}' "$fixtures/README")
[ -n "$pairs" ] || fail_all "no trace.dat counts in tests/fixtures/README"
test_expect "without our plugin, trace-cmd report prints no stall line" \
	"[ \"\$(report_stalls)\" -eq 0 ]"

# --- libbpf-tools first, then ours --------------------------------------

snapshot "$tmp/before"
test_expect "apt-get install ./${ours_deb##*/} beside libbpf-tools" \
	"install_ours install"
expect_ours_first "libbpf-tools first"
if [ -z "$root" ]; then
	test_expect "$unit installed, neither enabled nor started" \
		"[ \"\$(systemctl show -p FragmentPath --value $unit)\" = /lib/systemd/system/$unit ] &&
		 [ \"\$(systemctl is-enabled $unit)\" = disabled ] &&
		 ! systemctl is-active -q $unit"
else
	skip "$no_systemd"
fi

hold_reclaim_lock
# The window is drsnoop's own: it ends by itself, after the workload
# (a run takes 30-60 s under emulation), and allocstall is read at both
# its ends.
duration=$((12 * slow_factor))
# In the overlay, through chroot: exec keeps the pid start_drsnoop has.
installed=/usr/sbin/drsnoop
if [ -n "$root" ]; then
	installed=$tmp/installed-drsnoop
	printf '#!/bin/sh\nexec chroot %s /usr/sbin/drsnoop "$@"\n' "$root" >"$installed"
	chmod 755 "$installed"
fi
DRSNOOP=$installed start_drsnoop installed -d "$duration" ||
	fail_all "the installed drsnoop did not start"
before=$(allocstall_total)
run_pressure -n drsnoop-t72 || not_ok "workload ran"
# Not in test_expect's subshell, of which drsnoop is no child.
if is_child "$installed_pid"; then
	ok "the workload ended within -d $duration"
else
	not_ok "the workload ended within -d $duration"
fi
# While the installed drsnoop -d runs out its time, what needs no window
# of its own: the service and the plugin (a stall they caused would be in
# both counts).
if [ -z "$root" ]; then
	touch "$tmp/mark"
	at_exit "rm -f '$prom'; systemctl stop $unit"
	systemctl start "$unit" 2>"$tmp/start.err"
	for ((i = 0; i < 20 * slow_factor; i++)); do
		[ "$prom" -nt "$tmp/mark" ] && break
		sleep 0.1
	done
	test_expect "systemctl start $unit: it wrote $prom" \
		"[ '$prom' -nt '$tmp/mark' ] && grep -q '^drsnoop_stall_seconds_count' '$prom' ||
		 { sed 's/^/# /' '$tmp/start.err'; false; }"
	systemctl stop "$unit"
	test_expect "systemctl stop $unit: Result=success" \
		"[ \"\$(systemctl show -p Result --value $unit)\" = success ]"
else
	skip "$no_systemd"
	skip "$no_systemd"
fi

test_expect "trace-cmd report: the installed plugin prints a stall line per pair ($pairs)" \
	"[ \"\$(report_stalls)\" -eq $pairs ] && ! grep -qi 'plugin\|error' '$tmp/report.err'"

reap_child "$installed_pid" $((duration + 10 * slow_factor))
rc=$?
after=$(allocstall_total)
test_expect "drsnoop -d $duration ended by itself with status 0" \
	"exit_status_is 0 $rc && clean_stderr installed"
reported=$(stalls installed | wc -l)
diag "allocstall rose by $((after - before)), the installed drsnoop reported $reported"
test_expect "drsnoop -d: its stalls equal the allocstall rise ($reported)" \
	"[ $((after - before)) -gt 0 ] && [ $reported -eq $((after - before)) ]"

test_expect "apt-get purge drsnoop" "apt_get purge / purge drsnoop"
expect_purged "libbpf-tools first" "$tmp/before"

# --- ours first, then libbpf-tools --------------------------------------

test_expect "apt-get purge libbpf-tools" "apt_get purge-theirs / purge libbpf-tools"
test_expect "apt-get install ./${ours_deb##*/} alone" \
	"install_ours install-alone && same_file /usr/sbin/drsnoop '$ours_deb'"
test_expect "apt-get install ${theirs_deb##*/} after ours" \
	"apt_get install-theirs / install '$theirs_deb'"
expect_ours_first "ours first"
test_expect "apt-get purge drsnoop, libbpf-tools installed after it" \
	"apt_get purge-after / purge drsnoop"
expect_purged "ours first" "$tmp/before"

done_testing
