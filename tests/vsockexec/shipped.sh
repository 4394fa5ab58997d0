#!/bin/sh
# Checks on the shipped build/vsockexec (AF_VSOCK only). It must never reach this
# machine's vsock: every run is fenced by strace, which fails every socket(2) call
# with EACCES, inside fresh pid/net/mount namespaces. Its size budget is make test-size's
# (VSOCKEXEC_MAX_BYTES in the Makefile), for both architectures, and checked there only.
# usage: tests/vsockexec/shipped.sh BUILD/vsockexec
set -u
vx=${1:?usage: shipped.sh VSOCKEXEC}
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# INJECT: further syscall failures, e.g. "signalfd4:error=EMFILE"
INJECT=
fenced() {
	set -- strace -f -qq -o /dev/null -e trace=socket -e inject=socket:error=EACCES \
		${INJECT:+-e "trace=${INJECT%%:*}" -e "inject=$INJECT"} "$@"
	timeout -k 5 60 unshare --pid --fork --mount --net --uts --ipc --mount-proc "$@"
}

check() { # NAME WANT_STATUS GOT_STATUS WANT_OUT GOT_OUT WANT_ERR GOT_ERR
	if [ "$2" != "$3" ] || [ "$4" != "$5" ] || [ "$6" != "$7" ]; then
		printf 'FAIL shipped vsockexec: %s\n  status %s (want %s)\n  stdout [%s] (want [%s])\n  stderr [%s] (want [%s])\n' \
			"$1" "$3" "$2" "$5" "$4" "$7" "$6"
		fails=$((fails + 1))
	else
		printf 'ok   shipped vsockexec: %s\n' "$1"
	fi
}

run() { # runs the fenced command, sets st, out, err
	fenced "$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

if grep -q UVMINIT_TEST_UDS "$vx"; then
	check "no test transport inside" 0 1 "" "" "" ""
else
	check "no test transport inside" 0 0 "" "" "" ""
fi

run "$vx" --help
check "--help" 0 "$st" "usage: vsockexec [-r] [-i PORT] [-o PORT] [-e PORT] [-t MS] [-w MS] [-c CID] [--] PROGRAM [ARGS...]" \
	"$(printf '%s\n' "$out" | head -n 1)" "" "$err"

run "$vx" -e 4294967295 /bin/true
check "port out of range" 125 "$st" "" "$out" \
	"vsockexec: -e 4294967295: not a port in 1..4294967294 (try --help)" "$err"

run "$vx" -t 200 -o 109 -e 109 /bin/sh -c 'echo ran; echo e >&2; exit 7'
check "direct: connect fails, the program runs on inherited stdio" 7 "$st" "ran" "$out" \
	"vsockexec: port 109: Permission denied; stdout,stderr left as inherited
e" "$err"

run "$vx" -r -t 100 -e 109 /bin/sh -c 'echo ran; exit 3'
check "relay: the program runs, its status is ours" 3 "$st" "ran" "$out" \
	"vsockexec: port 109: Permission denied; relaying when the host listens (newest 1048576 bytes kept)" "$err"

run "$vx" -r -t 100 -o 109 /bin/sh -c 'kill -TERM $$'
check "relay: death by SIGTERM is 143" 143 "$st" "" "$out" \
	"vsockexec: port 109: Permission denied; relaying when the host listens (newest 1048576 bytes kept)" "$err"

INJECT=signalfd4:error=EMFILE
run "$vx" -r -e 109 /bin/sh -c 'echo ran; exit 6'
check "relay: no signalfd, the program still runs" 6 "$st" "ran" "$out" \
	"vsockexec: signalfd: No file descriptors available
vsockexec: relay unavailable; running /bin/sh with inherited stdio" "$err"
INJECT=

[ "$fails" -eq 0 ]
