#!/usr/bin/env bash
# The main job's report (scripts/boot-report, what `make boot` runs) says how the boot
# ended: four qemu boots (and the clean one's floor), the report run from another
# directory, each into a directory of its own (--out: what `make boot` wrote stays). Each
# check is on the report's exit status and its lines, which come from facts the guest
# reported.
# Run by `make test-boot-report` (needs the initrd and the kernel).
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$PWD
O=${O:-build}
case $O in /*) ;; *) O=$ROOT/$O ;; esac
export O
# shellcheck source=tests/boot/check.sh
. tests/boot/check.sh
has() { grep -qF -- "$2" "$tmp/$1.out"; }

report() { # report NAME ARGS...: boot-report run from $tmp, its status in $tmp/NAME.rc
	local name=$1 rc=0
	shift
	(cd "$tmp" && O=$O "$ROOT/scripts/boot-report" -t 120 --out "$tmp/$name" "$@") >"$tmp/$name.out" 2>&1 || rc=$?
	echo "$rc" >"$tmp/$name.rc"
}
status_is() { [ "$(cat "$tmp/$1.rc")" = "$2" ]; }

# what `make boot` wrote: never touched by these boots
before=$(stat -c %Y:%s "$O/boot.log" "$O/boot-timeline.svg" 2>&1 || true)

# init gives up: the agent does not exist (no in-guest host: nothing else to run)
report missing --no-host --migratable 1 -- /bin/no-such-agent
check "missing agent: exit 3 (init gave up)" status_is missing 3
check "missing agent: named as the reason" \
	has missing "power-off:      NOT clean: init gave up, the agent never ran: exec /bin/no-such-agent: No such file or directory"
check "missing agent: never called clean" bash -c "! grep -q 'power-off: *clean' '$tmp/missing.out'"

# the agent runs and fails: busybox's false, direct mode
report false --no-floor --migratable 1 -- -e 1 /bin/false
check "agent exits 1: exit 1" status_is false 1
check "agent exits 1: named as the reason" has false "NOT clean: the agent exited with status 1"
check "direct: the log port never opened" has false "port 109 never opened (direct)"

# a clean boot, wrapped mode with hcsshim's command (already wrapped)
report clean --migratable 0
check "clean boot: exit 0" status_is clean 0
check "clean boot: said so" has clean "power-off:      clean: the agent exited with status 0"
check "wrapped: the command kept as given" has clean "mode:           wrapped (already wrapped, kept as given)"
check "the log port's connection" has clean "port 109: 1 connection"
check "kernel X ms + init Y ms first, vCPUs known" \
	grep -qxE "kernel [0-9.]+ ms \+ init [0-9.]+ ms \(to vsockexec's start, the agent's wrapper\), 2 vCPUs" "$tmp/clean.out"
total=$(sed -n "s/^kernel [0-9.]* ms + init \([0-9.]*\) ms (to .*/\1/p" "$tmp/clean.out")
check "the picture's total is the report's" \
	grep -qF "+ init $total ms (to vsockexec's start, the agent's wrapper), 2 vCPUs (floor" "$tmp/clean/boot-timeline.svg"
check "vsockexec's connect: a step of its own (the in-guest host's accept)" \
	grep -qE "^  vsockexec: connect +[0-9.]+ \.\. +[0-9.]+ +[0-9.]+ ms$" "$tmp/clean.out"
check "vsockexec's exec: a step of its own (the demo agent's start)" \
	grep -qE "^  vsockexec: exec +[0-9.]+ \.\. +[0-9.]+ +[0-9.]+ ms$" "$tmp/clean.out"
check "and bars of their own" grep -qF " ms: to the log port, until the host accepted" "$tmp/clean/boot-timeline.svg"
check "the picture's title: the user's command line, not the launcher's" \
	grep -qF ">uvminit.migratable=0 uvminit.bootrec=console -- -e 1 /bin/vsockexec -e 109 /bin/gcs" "$tmp/clean/boot-timeline.svg"
check "no launcher's word in the title" bash -c "! grep -qE 'rdinit|console=ttyS0' '$tmp/clean/boot-timeline.svg'"

# an image without the test launcher, booted without --no-host: said so, not a panic
O=$O "$ROOT/scripts/mkinitrd" -o "$tmp/plain.img" >/dev/null
report nolauncher --no-floor -i "$tmp/plain.img" --migratable 1 -- /bin/true
check "no launcher: exit 1" status_is nolauncher 1
check "no launcher: named, --no-host suggested" has nolauncher "this image has no test launcher (/bin/testinit"
check "no launcher: --no-host suggested" has nolauncher "boot it with --no-host"
check "no launcher: no kernel panic reported" bash -c "! grep -qi panic '$tmp/nolauncher.out'"

check "what make boot wrote is untouched" \
	[ "$before" = "$(stat -c %Y:%s "$O/boot.log" "$O/boot-timeline.svg" 2>&1 || true)" ]

if [ "$fails" != 0 ]; then
	for f in "$tmp"/*.out; do printf '\n== %s\n' "$f"; cat "$f"; done
	echo "test-boot-report: $fails failed"
	exit 1
fi
echo "test-boot-report: all passed"
