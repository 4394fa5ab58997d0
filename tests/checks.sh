# shellcheck shell=bash
# Sourced by the small script tests (tests/cache.sh, tests/boot/harness.sh,
# tests/timeline/run.sh, tests/host/uvmhost.sh, tests/host/migrate.sh): a scratch
# directory removed on exit, pass/fail counts, and the one summary line whose status is
# the test's.
tmp=$(mktemp -d)
# background processes of the test: killed (SIGKILL) on exit, before $tmp goes
PIDS=()
checks_cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap checks_cleanup EXIT
pass=0 fail=0
# ok [DESCRIPTION]: a check passed (told, with $checks_verbose set); bad DESCRIPTION: failed
ok() { pass=$((pass + 1)); [ -z "${checks_verbose:-}" ] || printf '   ok: %s\n' "$*"; }
bad() { fail=$((fail + 1)); printf 'FAIL: %s\n' "$*"; }
# t DESCRIPTION CMD...: one check, whose verdict is CMD's status (a compound test goes
# through one command, so t judges the whole of it)
t() { local d=$1; shift; if "$@"; then ok "$d"; else bad "$d"; fi; }
# wait_for SECONDS CMD...: runs CMD every 0.05 s until it succeeds (status 0), at most
# SECONDS (status 1)
wait_for() {
	local i n=$(($1 * 20))
	shift
	for ((i = 0; i < n; i++)); do
		"$@" && return 0
		sleep 0.05
	done
	return 1
}
# summary NAME: "NAME: P passed, F failed", then the status: 0 only when none failed
summary() { echo "$1: $pass passed, $fail failed"; [ "$fail" = 0 ]; }
