#!/usr/bin/env bash
# The shipped build/init, run as an ordinary process: the dry run prints the plan in the
# documented format (docs/interface.md); anything but PID 1 without --dry-run refuses
# with exit 2 and touches nothing. Every run is fenced: socket, mount and reboot fail by injection and are traced,
# and the trace must show none was even attempted.
#
#   tests/dryrun.sh               the checks (make test-dryrun)
#   tests/dryrun.sh --plan LINE   print the plan for kernel command line LINE (fenced)
#
# RUN_GUEST=qemu-aarch64-static (make ARCH=arm64 test-dryrun) runs build/arm64/init under
# that user-mode emulator, fenced the same way (the emulator makes the guest's syscalls
# on this machine: an attempted socket is traced and fails); the expected plans are the
# same, so the arm64 init plans every case as the x86 one does.
set -euo pipefail

O=${O:-build}
INIT=$O/init
RUN=(${RUN_GUEST:+"$RUN_GUEST"} "$INIT")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

# shellcheck source=tests/fence.sh
. "$(dirname "$0")/fence.sh"
fenced() { fenced_run "$tmp/trace" "${RUN[@]}" "$@"; }

# tests/dryrun.sh --plan CMDLINE: the fenced dry run's plan for CMDLINE, for the boot
# scenarios that compare a booted guest with it; exit 1 if anything was attempted.
if [ "${1:-}" = --plan ]; then
	fenced --dry-run --cmdline "$2"
	if [ -s "$tmp/trace" ]; then
		echo "dryrun.sh: build/init attempted a forbidden syscall:" >&2
		cat "$tmp/trace" >&2
		exit 1
	fi
	exit 0
fi

check() { # NAME EXPECTED-OUTPUT EXPECTED-STATUS -- ARGS...
	local name=$1 want=$2 want_rc=$3 got rc=0
	shift 4
	got=$(fenced "$@" 2>"$tmp/err") || rc=$?
	if [ "$got" != "$want" ] || [ "$rc" != "$want_rc" ]; then
		printf 'FAIL %s: status %s (want %s)\n--- want\n%s\n--- got\n%s\n' \
			"$name" "$rc" "$want_rc" "$want" "$got"
		fails=$((fails + 1))
	elif [ -s "$tmp/trace" ]; then
		printf 'FAIL %s: attempted a forbidden syscall:\n' "$name"
		cat "$tmp/trace"
		fails=$((fails + 1))
	else
		printf 'ok   %s\n' "$name"
	fi
}

check_usage() { # NAME ARGS...: exit 2, nothing on stdout, exactly one line on stderr
	local name=$1
	shift
	check "$name" "" 2 -- "$@"
	if [ "$(wc -l <"$tmp/err")" != 1 ]; then
		printf 'FAIL %s: want one line on stderr, got:\n' "$name"
		cat "$tmp/err"
		fails=$((fails + 1))
	fi
}

HCS='console=ttyS0 quiet -- -e 1 /bin/vsockexec -e 109 /bin/gcs -v4 -log-format json -loglevel debug -scrub-logs=false'
GCS=$'argv=/bin/gcs\nargv=-v4\nargv=-log-format\nargv=json\nargv=-loglevel\nargv=debug\nargv=-scrub-logs=false'
WRAP=$'argv=/bin/vsockexec\nargv=-e\nargv=109'
head_() { # MODE ENTROPY-PORT LOG-PORT OVERLAY [CGROUP [ENTROPY-TIMEOUT]]
	printf 'mode=%s\nentropy_port=%s\nentropy_timeout_ms=%s\nlog_port=%s\ncgroup=%s\noverlay=%s' \
		"$1" "$2" "${6:-500}" "$3" "${5:-auto}" "$4"
}

check "verbatim from the command line's tail" "$(head_ verbatim 1 109 0)"$'\n'"$WRAP"$'\n'"$GCS" 0 -- \
	--dry-run --cmdline "$HCS"
check "direct" "$(head_ direct 1 109 0)"$'\n'"$GCS" 0 -- \
	--dry-run --cmdline "uvminit.migratable=1 $HCS"
check "wrapped, already wrapped" "$(head_ wrapped 1 109 0)"$'\n'"$WRAP"$'\n'"$GCS" 0 -- \
	--dry-run --cmdline="uvminit.migratable=0 $HCS"
check "invalid value named, safe choice" \
	"$(head_ direct 0 109 0)"$'\nargv=/bin/gcs\nerror=uvminit.migratable=maybe: not a boolean; using direct mode' 0 -- \
	--dry-run --cmdline 'uvminit.migratable=maybe' -- /bin/gcs
check "uvminit.bootrec=console shown" "$(head_ verbatim 0 109 0)"$'\nbootrec=console\nargv=/bin/gcs' 0 -- \
	--dry-run --cmdline 'uvminit.bootrec=console' -- /bin/gcs
printf 'uvminit.migratable=0 uvminit.log_port=2000\n' >"$tmp/cmdline"
check "--cmdline-file and explicit init arguments" \
	"$(head_ wrapped 0 2000 1)"$'\nargv=/bin/vsockexec\nargv=-r\nargv=-e\nargv=2000\nargv=/bin/gcs\nargv=-x' 0 -- \
	--dry-run --cmdline-file "$tmp/cmdline" -w /bin/gcs -x
check "honoured: cgroup, entropy deadline, debug shell" \
	"$(head_ verbatim 1 109 0 v1 250)"$'\ndebug_shell=/bin/sh\nargv=/bin/gcs' 0 -- \
	--dry-run --cmdline 'hcsshim.cgroup=v1 uvminit.entropy_timeout_ms=250' -e 1 -d /bin/sh /bin/gcs
check "a second -- ends init's arguments, named" \
	"$(head_ verbatim 0 109 0)"$'\nargv=/bin/gcs\nargv=-v4\nerror=kernel command line: a second "--" ends init\'s arguments; the kernel drops it and what follows: -- -x tail-arg' 0 -- \
	--dry-run --cmdline '-- /bin/gcs -v4 -- -x tail-arg'
check "0xa0 splits, b=\" repaired, a bare word before -- dropped" \
	"$(head_ wrapped 0 109 0)"$'\nargv=/bin/vsockexec\nargv=-r\nargv=-e\nargv=109\nargv=/bin/gcs\nargv=b=\nerror=kernel command line: foo: not a kernel option init knows; the kernel passes it to init ahead of the command after "--", and init drops it\nerror=kernel command line: unterminated quote; read to the end' 0 -- \
	--dry-run --cmdline $'quiet uvminit.migratable=0\xa0y.z foo -- /bin/gcs b="'
check "a newline in a value stays on its line" \
	"$(head_ direct 0 109 0)"$'\nargv=/bin/gcs\nerror=uvminit.migratable=1\\nmode=wrapped: not a boolean; using direct mode' 0 -- \
	--dry-run --cmdline $'uvminit.migratable="1\nmode=wrapped"' /bin/gcs
check "default command" \
	"$(head_ verbatim 0 109 0)"$'\nargv=/bin/gcs\nargv=-loglevel\nargv=debug\nargv=-logfile=/run/gcs/gcs.log' 0 -- \
	--dry-run --cmdline ''

# a stray bare word before "--" is dropped: the command after it, as at boot
NOKASLR_OUT="$(head_ direct 1 109 0)"$'\n'"$GCS"$'\nerror=kernel command line: nokaslr: not a kernel option init knows; the kernel passes it to init ahead of the command after "--", and init drops it'
check "nokaslr before --: dropped, named once" "$NOKASLR_OUT" 0 -- \
	--dry-run --cmdline "uvminit.migratable=1 nokaslr $HCS"
# --check: the same output; exit 1 when there is an error= line, 0 when there is none
check "--check, an error: exit 1, output unchanged" "$NOKASLR_OUT" 1 -- \
	--dry-run --check --cmdline "uvminit.migratable=1 nokaslr $HCS"
check "--check after --cmdline, an init option refused: exit 1" \
	"$(head_ direct 0 109 0)"$'\nargv=/bin/gcs\nerror=init: -w refused in direct mode (migratable VM); no writable overlays' 1 -- \
	--dry-run --cmdline uvminit.migratable=1 --check -- -w /bin/gcs
check "--check, no error: exit 0, output unchanged" "$(head_ verbatim 1 109 0)"$'\n'"$WRAP"$'\n'"$GCS" 0 -- \
	--dry-run --check --cmdline "$HCS"

check_usage "--cmdline without a value" --dry-run --cmdline
check_usage "--check, a usage error: still exit 2" --dry-run --check --cmdline
check_usage "--check takes no value" --dry-run --check=1 --cmdline ''
check_usage "two command lines" --dry-run --cmdline a --cmdline-file "$tmp/cmdline"
check_usage "unknown dry-run option" --dry-run --frobnicate
check_usage "unreadable --cmdline-file" --dry-run --cmdline-file "$tmp/missing"
# a command line over 64 KiB is no command line: one line, exit 2, at once (the fence's
# timeout would end a read of /dev/zero that never stops, and the check would fail)
check_usage "--cmdline-file /dev/zero" --dry-run --cmdline-file /dev/zero
head -c 65537 /dev/zero | tr '\0' a >"$tmp/long"
check_usage "--cmdline-file of 65537 bytes" --dry-run --cmdline-file "$tmp/long"
check_usage "--cmdline of 65537 bytes" --dry-run --cmdline "$(cat "$tmp/long")"
head -c 65536 "$tmp/long" >"$tmp/long64"
rc=0
fenced --dry-run --cmdline-file "$tmp/long64" >/dev/null 2>&1 || rc=$?
if [ "$rc" = 0 ]; then
	echo "ok   --cmdline-file of exactly 65536 bytes is planned"
else
	printf 'FAIL --cmdline-file of exactly 65536 bytes: status %s\n' "$rc"
	fails=$((fails + 1))
fi
check_usage "not PID 1, no --dry-run" -e 1 /bin/gcs
check_usage "not PID 1, no arguments"

# --help and --version work anywhere (not PID 1), fenced like the rest. --help names
# each of init's options and every kernel parameter of README.md's table, in a few lines.
# shellcheck disable=SC2016 # the backquotes are README's
PARAMS=$(sed -n 's/^| `\(uvminit\.[a-z_]*\)` |.*/\1/p' README.md)
help_ok() {
	local out rc=0 p
	[ "$(wc -w <<<"$PARAMS")" -ge 4 ] || { echo "README.md: no parameter table found"; return 1; }
	out=$(fenced --help 2>"$tmp/err") || rc=$?
	[ "$rc" = 0 ] && [ ! -s "$tmp/err" ] && [ ! -s "$tmp/trace" ] || return 1
	[ "$(printf '%s\n' "$out" | wc -l)" -le 20 ] || return 1
	for p in '-e PORT' '-w ' '-d SHELL' '--dry-run' '--check' '--version' 'hcsshim.cgroup' $PARAMS; do
		grep -qF -- "$p" <<<"$out" || { echo "--help: no '$p'"; return 1; }
	done
}
if help_ok; then echo "ok   --help, not PID 1"; else echo "FAIL --help, not PID 1"; fails=$((fails + 1)); fi
if out=$(fenced --version 2>"$tmp/err") && [ ! -s "$tmp/err" ] && [ ! -s "$tmp/trace" ] &&
	grep -qxE 'init \(uvminit\) [0-9][0-9a-z.+-]*' <<<"$out"; then
	echo "ok   --version, not PID 1 ($out)"
else
	echo "FAIL --version, not PID 1: $out"
	fails=$((fails + 1))
fi

# /proc/cmdline by default: whatever this machine booted with, it plans something.
if fenced --dry-run /bin/gcs | grep -qx 'argv=/bin/gcs'; then
	echo "ok   reads /proc/cmdline by default"
else
	echo "FAIL reads /proc/cmdline by default"
	fails=$((fails + 1))
fi

if [ "$fails" -ne 0 ]; then
	echo "dry run: $fails check(s) failed"
	exit 1
fi
echo "dry run: all checks passed"
