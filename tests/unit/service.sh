#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/drsnoop.service as make install writes it: systemd-analyze
# verify accepts it, and systemd-analyze security --offline=yes rates its
# exposure "OK" or better. Neither needs systemd running as PID 1.

set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# scripts/install-deps installs it: without it, this fails.
command -v systemd-analyze >/dev/null || {
	echo "not ok 1 - no systemd-analyze (scripts/install-deps)"
	echo "1..1"
	exit 1
}
dir=$(mktemp -d /tmp/drsnoop-service.XXXXXX)
trap 'rm -rf "$dir"' EXIT
. "$top/tests/check.sh"

# The built drsnoop stands for the installed one: verify wants it there.
unit=$dir/drsnoop.service
sed "s|@sbindir@|$top|" "$top/scripts/drsnoop.service" >"$unit"
check "systemd-analyze verify accepts the unit" \
	"systemd-analyze verify --man=no '$unit' >'$dir/verify' 2>&1 ||
	 { sed 's/^/# /' '$dir/verify'; false; }"
systemd-analyze security --offline=yes "$unit" >"$dir/security" 2>&1
rating=$(sed -n 's/.*Overall exposure level for drsnoop.service: //p' "$dir/security")
echo "# exposure: $rating"
grep '✗' "$dir/security" | sed 's/  */ /g; s/^/# /'
check "systemd-analyze security rates it OK or better" \
	"printf '%s\n' '$rating' | grep -qE '^[0-9.]+ (OK|SAFE)'"
check "the unit runs drsnoop --metrics into Debian's textfile directory" \
	"grep -q -- '--metrics /var/lib/prometheus/node-exporter/drsnoop.prom' '$unit' &&
	 grep -qx 'ReadWritePaths=/var/lib/prometheus/node-exporter' '$unit'"
check_plan
