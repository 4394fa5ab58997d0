# shellcheck shell=bash
# Sourced by the plain check scripts (tests/boot/initrd.sh, tests/boot/report.sh): a
# scratch directory $tmp removed at exit, and one line per check, counted in $fails.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

ok() { printf 'ok   %s\n' "$1"; }
bad() { printf 'FAIL %s\n' "$1"; fails=$((fails + 1)); }
check() { # check NAME CMD...
	local name=$1
	shift
	if "$@"; then ok "$name"; else bad "$name"; fi
}
