#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The parts stay parts (README's Layout): every #include "..." of src/,
# bpf/, fallback/ and plugin/ points down, no two of drsnoop's objects
# need each other, and README's Layout has a row for every folder and
# names only paths that exist. Run after the build: it reads .output/.

set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
readme=README.md
n=0 failed=0

# check DESCRIPTION PROBLEMS: ok when PROBLEMS is empty, else not ok with it.
check() {
	n=$((n + 1))
	if [ -z "$2" ]; then
		echo "ok $n - $1"
	else
		failed=$((failed + 1))
		echo "not ok $n - $1: $2"
	fi
}

# The folders a folder's files may include from, besides their own.
below() {
	local lower="src/lib src/sys src/symbols src/core"

	case $1 in
	src/lib) echo ;;
	src/sys) echo src/lib ;;
	src/symbols) echo src/lib src/sys ;;
	src/core) echo src/lib src/sys src/symbols ;;
	src/output) echo "$lower" ;;
	src) echo "$lower" src/output ;;
	bpf | fallback/shared) echo "$lower" ;;
	fallback/ftrace | fallback/file) echo "$lower" fallback/shared ;;
	fallback/tracedat | fallback/perfdata)
		echo "$lower" fallback/shared fallback/file ;;
	plugin) echo src/lib ;;
	*) return 1 ;;
	esac
}

# What FILE, of folder DIR, includes from other than DIR and ALLOWED, or
# from nowhere.
bad_includes() {
	local file=$1 dir=$2 allowed=$3 inc

	sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' \
		"$file" | while IFS= read -r inc; do
		if [[ $inc != */* ]]; then
			[ -f "$dir/$inc" ] ||
				printf '%s includes "%s", not in its folder; ' \
					"$file" "$inc"
		elif [ ! -f "$inc" ]; then
			printf '%s includes "%s", which does not exist; ' \
				"$file" "$inc"
		elif ! tr ' ' '\n' <<<"$dir $allowed" |
			grep -qx "$(dirname "$inc")"; then
			printf '%s includes "%s", not below it; ' "$file" "$inc"
		fi
	done
}

check_includes() {
	local dir allowed file bad

	for dir in $(find src bpf fallback plugin -name '*.[ch]' \
		     -printf '%h\n' | sort -u); do
		if ! allowed=$(below "$dir"); then
			check "$dir/ includes only from below" \
				"no rule for $dir/ (add it to layout.sh and README's Layout)"
			continue
		fi
		bad=
		for file in "$dir"/*.[ch]; do
			bad+=$(bad_includes "$file" "$dir" "$allowed")
		done
		check "$dir/ includes only from its folder${allowed:+ and $allowed}" \
			"${bad%; }"
	done
}

# drsnoop's objects, from the sources the Makefile links into it.
drsnoop_objects() {
	find src bpf fallback -name '*.c' ! -name '*.bpf.c' | sort |
		sed 's|^\(.*\)\.c$|.output/\1.o|'
}

# Each object's undefined symbols resolve to the object that defines
# them; objects that reach each other are a cycle, printed as sources.
cycles() {
	xargs nm -A -g | awk '
	{
		obj = $1
		sub(/:[^:]*$/, "", obj)
		sub(/^\.output\//, "", obj)
		sub(/\.o$/, ".c", obj)
		objs[obj] = 1
		if ($2 == "U")
			need[obj, $3] = 1
		else
			def[$3] = obj
	}
	END {
		for (o in objs)
			name[++nr] = o
		for (k in need) {
			split(k, p, SUBSEP)
			if ((p[2] in def) && def[p[2]] != p[1])
				edge[p[1], def[p[2]]] = 1
		}
		for (i = 1; i <= nr; i++)
			for (j = 1; j <= nr; j++)
				if ((name[i], name[j]) in edge)
					reach[i, j] = 1
		for (k = 1; k <= nr; k++)
			for (i = 1; i <= nr; i++)
				if ((i, k) in reach)
					for (j = 1; j <= nr; j++)
						if ((k, j) in reach)
							reach[i, j] = 1
		for (i = 1; i <= nr; i++) {
			if ((i in done) || !((i, i) in reach))
				continue
			line = ""
			for (j = 1; j <= nr; j++)
				if (((i, j) in reach) && ((j, i) in reach)) {
					done[j] = 1
					line = line (line ? " " : "") name[j]
				}
			printf "{%s}; ", line
		}
	}'
}

check_cycles() {
	local objs missing='' obj

	objs=$(drsnoop_objects)
	for obj in $objs; do
		[ -f "$obj" ] || missing+=" $obj"
	done
	if [ -n "$missing" ]; then
		check "no two of drsnoop's objects need each other" \
			"not built (make test-build):$missing"
		return
	fi
	check "no two of drsnoop's objects need each other" \
		"$(printf '%s\n' "$objs" | cycles | sed 's/; $//')"
}

# README's Layout section, up to the next section.
layout() {
	sed -n '/^## Layout$/,/^## /{/^## [^L]/d;p}' "$readme"
}

check_readme() {
	local rows row dir missing='' cell token path

	rows=$(layout | grep '^| `')
	for dir in src $(find src fallback -mindepth 1 -type d | sort); do
		printf '%s\n' "$rows" | grep -qF "| \`$dir/\` |" ||
			missing+=" $dir/"
	done
	check "README's Layout has a row for each folder of src/ and fallback/" \
		"${missing:+no row for$missing}"
	missing=''
	while IFS= read -r row; do
		cell=$(printf '%s\n' "$row" | cut -d'|' -f2 |
			grep -o '`[^`]*/`' | head -1 | tr -d '`')
		for token in $(printf '%s\n' "$row" | grep -o '`[^`]*`' |
			       tr -d '`' | grep -E '^[A-Za-z0-9_.*-][A-Za-z0-9_./*-]*$' |
			       grep -E '/|\.[a-z0-9]+$'); do
			path=$token
			[[ $token != */* ]] && path=$cell$token
			compgen -G "$path" >/dev/null || missing+=" $path"
		done
	done <<<"$rows"
	check "every path README's Layout names exists" \
		"${missing:+missing:$missing}"
}

check_includes
check_cycles
check_readme
echo "1..$n"
[ $failed -eq 0 ]
