# shellcheck shell=bash
# Sourced by the small script tests (tests/cache.sh, tests/boot/harness.sh,
# tests/timeline/run.sh): a scratch directory removed on exit, pass/fail counts, and
# the one summary line whose status is the test's.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL: %s\n' "$*"; }
# summary NAME: "NAME: P passed, F failed", then the status: 0 only when none failed
summary() { echo "$1: $pass passed, $fail failed"; [ "$fail" = 0 ]; }
