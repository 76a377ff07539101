# SPDX-License-Identifier: GPL-2.0
#
# awk -f flame-widths.awk FILE.svg: "ok" when, in --flamegraph's SVG,
# every row of frames is at most as wide as the root (in hundredths of a
# pixel) and the row on the root (the task names, and "other stacks") is
# exactly as wide; else what differs.
/<g class="f / {
	match($0, /y="[0-9]+"/)
	y = substr($0, RSTART + 3, RLENGTH - 4)
	match($0, /width="[0-9.]+"/)
	w = int(substr($0, RSTART + 7, RLENGTH - 8) * 100 + 0.5)
	row[y] += w
	if ($0 ~ /id="drsnoop-flame-root"/) {
		root = w
		ry = y
	}
}
END {
	bad = root == "" || row[ry - 16] != root
	for (y in row)
		if (row[y] > root)
			bad = 1
	if (bad)
		print "root " root ", the row on it " row[ry - 16]
	else
		print "ok"
}
