#!/usr/bin/env bash
# make clean-cache removes what scripts/deps and scripts/kernel put in UVMINIT_CACHE and
# nothing else (make test-cache). Runs on a scratch directory, never the real cache.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=tests/checks.sh
. tests/checks.sh

c=$tmp/cache
mkdir -p "$c/kernel/x" "$c/libnl-musl/lib" "$c/uapi" "$c/libnl-src"
: >"$c/libnl-build.log"
: >"$c/.lock"
: >"$c/.lock-kernel"
# arm64's (scripts/deps)
mkdir -p "$c/libnl-musl-arm64/lib" "$c/libnl-src-arm64" "$c/uapi-arm64" \
	"$c/cmocka-musl-arm64/lib" "$c/cmocka-src-arm64" "$c/busybox-arm64/root"
: >"$c/libnl-build-arm64.log"
make -s --no-print-directory clean-cache UVMINIT_CACHE="$c"
if [ ! -e "$c" ]; then ok; else bad "the cache's own entries left: $(ls -A "$c")"; fi

mkdir -p "$c/kernel" "$c/libnl-musl"
echo mine >"$c/notes.txt"
make -s --no-print-directory clean-cache UVMINIT_CACHE="$c"
if [ -f "$c/notes.txt" ] && [ ! -e "$c/kernel" ] && [ ! -e "$c/libnl-musl" ]; then ok
else bad "a file of the user's removed, or ours kept: $(ls -A "$c" 2>&1)"; fi

# a cache that is not there is not an error
if make -s --no-print-directory clean-cache UVMINIT_CACHE="$tmp/none"; then ok
else bad "absent cache: an error"; fi

# UVMINIT_CACHE unset: the default (scripts/paths.sh), XDG_CACHE_HOME's then HOME's, read
# from clean-cache's commands as make -n prints them: nothing runs, so a wrong default
# can never remove a real cache
cleans() { # cleans DIR ENV...: clean-cache under ENV would empty DIR
	local dir=$1 out
	shift
	out=$(env -u UVMINIT_CACHE -u XDG_CACHE_HOME "$@" make -n -s --no-print-directory clean-cache) &&
		grep -qF -- "rmdir -- \"$dir\"" <<<"$out"
}
if cleans "$tmp/xdg/uvminit" HOME="$tmp/home" XDG_CACHE_HOME="$tmp/xdg"; then ok
else bad "UVMINIT_CACHE unset: \$XDG_CACHE_HOME/uvminit not the cache"; fi
if cleans "$tmp/home/.cache/uvminit" HOME="$tmp/home"; then ok
else bad "UVMINIT_CACHE and XDG_CACHE_HOME unset: ~/.cache/uvminit not the cache"; fi

summary cache
