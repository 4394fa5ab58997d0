#!/usr/bin/env bash
# uvmhost over AF_UNIX only (make test-uvmhost). The behaviour runs on the test build
# build/test/uvmhost-uds (ASan+UBSan; tests/host/novsock.c in place of the AF_VSOCK
# code) under build/fence (socket(AF_VSOCK) fails): nothing here can reach this
# machine's vsock. The shipped builds are run only under the strace fence, for their
# options and for --vsock failing to listen (exit 1) when socket(2) fails.
# The guest's side is build/test/uhclient (tests/host/uhclient.c).
set -euo pipefail

O=${O:-build}
cd "$(dirname "$0")/../.."
# shellcheck source=tests/checks.sh
. tests/checks.sh
# shellcheck source=tests/fence.sh
. tests/fence.sh

UH=$O/test/uvmhost-uds
CL=$O/test/uhclient
FENCE=$O/fence

# start NAME [OPTIONS...]: uvmhost serve --uds $tmp/NAME (stdout $tmp/NAME.out, stderr
# $tmp/NAME.err unless the options redirect the log), waits until it serves (5 s at
# most; status 1 when it does not, or ends first); sets HPID.
start() {
	local name=$1
	shift
	: >"$tmp/$name.err"
	"$FENCE" "$UH" serve --uds "$tmp/$name" "$@" >>"$tmp/$name.out" 2>"$tmp/$name.err" &
	HPID=$!
	PIDS+=("$HPID")
	wait_for 5 serving_or_gone "$name" || true
	serving "$name"
}
serving() { grep -q '^uvmhost: serving ' "$tmp/$1.err"; }
serving_or_gone() { serving "$1" || ! kill -0 "$HPID" 2>/dev/null; }
# stop [SIGNAL]: ends HPID, sets ST to its exit status (a uvmhost that died before is
# the checks' to tell, not the end of the script)
stop() {
	kill "-${1:-TERM}" "$HPID" 2>/dev/null || true
	ST=0
	{ wait "$HPID" || ST=$?; } 2>/dev/null
}
lines_of() { grep -c -- "$2" "$1" || true; }

# --- usage: exit 2, nothing on stdout, one line on stderr --------------------------------
usage() { # usage ARGS...
	local rc=0 out
	out=$(timeout 10 "$FENCE" "$UH" "$@" 2>"$tmp/uerr") || rc=$?
	if [ "$rc" = 2 ] && [ -z "$out" ] && [ "$(wc -l <"$tmp/uerr")" = 1 ] &&
		grep -q '^uvmhost: error: .*(see uvmhost --help)$' "$tmp/uerr"; then
		ok
	else
		bad "usage $*: status $rc, stdout '$out', stderr '$(cat "$tmp/uerr")'"
	fi
}
usage
usage bogus
usage serve
usage serve --uds
usage serve --uds ""
usage serve --uds "$tmp/u" --vsock any
usage serve --vsock any --vsock 3
usage serve --vsock 2
usage serve --vsock 3x
usage serve --uds "$tmp/u" stray
usage serve --uds "$tmp/u" -x
usage serve --uds "$tmp/u" --bogus 1
usage serve --uds "$tmp/u" --log-port 0
usage serve --uds "$tmp/u" --log-port 4294967295
usage serve --uds "$tmp/u" --log-port 109 --log-port=109
usage serve --uds "$tmp/u" --entropy-port 109
usage serve --uds "$tmp/u" --entropy-bytes 0
usage serve --uds "$tmp/u" --entropy-bytes 1048577
usage serve --uds "$tmp/u" --max-line 15
usage serve --uds "$tmp/u" --max-line 08
usage serve --uds "$tmp/u" --log ""
usage serve --uds "$tmp/$(printf 'x%.0s' $(seq 100))"
t "usage errors left no socket behind" [ -z "$(find "$tmp" -name 'u_*')" ]

# --- the shipped builds, under the strace fence ------------------------------------------
for bin in "$O/uvmhost" "$O/uvmhost-static"; do
	rc=0
	out=$(fenced_run "$tmp/trace" "$bin" --help 2>&1) || rc=$?
	t "$bin --help" [ "$rc" = 0 ]
	t "$bin --help: usage line" grep -q '^usage: uvmhost serve (--vsock CID|any | --uds PATH)' <<<"$out"
	rc=0
	out=$(fenced_run "$tmp/trace" "$bin" --version 2>&1) || rc=$?
	t "$bin --version" [ "$rc/$out" = "0/uvmhost (uvminit) 0.1" ]
	t "$bin: --help and --version open no socket" [ ! -s "$tmp/trace" ]
	rc=0
	out=$(fenced_run "$tmp/trace" "$bin" serve --vsock 3 --log-port 0 2>&1) || rc=$?
	t "$bin: a usage error is 2" [ "$rc" = 2 ]
	rc=0
	out=$(fenced_run "$tmp/trace" "$bin" serve --vsock any 2>&1) || rc=$?
	t "$bin --vsock: socket(2) refused by the fence: exit 1, one line" \
		[ "$rc/$(wc -l <<<"$out")" = 1/1 ]
	t "$bin --vsock: the line names the port" grep -q '^uvmhost: error: vsock port 1: ' <<<"$out"
	t "$bin --vsock: it tried AF_VSOCK, and only that" \
		[ "$(grep -c 'socket(AF_VSOCK' "$tmp/trace")/$(grep -c 'socket(' "$tmp/trace")" = 1/1 ]
done

# --- listening: a live socket is exit 1, a stale one is replaced -------------------------
start live || bad "uvmhost did not start"
LIVE=$HPID
rc=0
timeout 10 "$FENCE" "$UH" serve --uds "$tmp/live" 2>"$tmp/live2.err" || rc=$?
t "a live listener at PATH_1: exit 1" [ "$rc" = 1 ]
t "... with one line saying so" [ "$(cat "$tmp/live2.err")" = "uvmhost: error: $tmp/live_1: another listener is live there" ]
t "... and the first uvmhost still serves" [ "$("$CL" read "$tmp/live_1")" = 512 ]
HPID=$LIVE
stop
t "SIGTERM: exit 0" [ "$ST" = 0 ]
t "SIGTERM: our socket file PATH_1 removed" [ ! -e "$tmp/live_1" ]
t "SIGTERM: our socket file PATH_109 removed" [ ! -e "$tmp/live_109" ]

start stale || bad "uvmhost did not start"
stop KILL
t "SIGKILL leaves the socket file PATH_1 (stale)" [ -S "$tmp/stale_1" ]
t "SIGKILL leaves the socket file PATH_109 (stale)" [ -S "$tmp/stale_109" ]
start stale || bad "uvmhost did not start over stale sockets"
t "stale sockets replaced: entropy served" [ "$("$CL" read "$tmp/stale_1")" = 512 ]
printf 'after restart\n' | "$CL" send "$tmp/stale_109"
stop
t "stale sockets replaced: logs served" grep -qx '109: after restart' "$tmp/stale.out"

: >"$tmp/file_109"
rc=0
timeout 10 "$FENCE" "$UH" serve --uds "$tmp/file" 2>"$tmp/file.err" || rc=$?
t "a file that is not a socket at PATH_P: exit 1" [ "$rc" = 1 ]
t "... named in one line" [ "$(cat "$tmp/file.err")" = "uvmhost: error: $tmp/file_109: exists and is not a socket" ]
t "... the file left alone" [ -f "$tmp/file_109" ]
t "... PATH_1 not left behind" [ ! -e "$tmp/file_1" ]

# --- entropy -----------------------------------------------------------------------------
start ent --entropy-bytes 100000 --entropy-port 7 || bad "uvmhost did not start"
t "entropy: --entropy-bytes 100000 sent, then a close" [ "$("$CL" read "$tmp/ent_7")" = 100000 ]
t "entropy: two connections, two servings" [ "$("$CL" read "$tmp/ent_7")" = 100000 ]
t "entropy: no listener on port 1 with --entropy-port 7" [ ! -e "$tmp/ent_1" ]
stop
start ent0 --entropy-port 0 || bad "uvmhost did not start"
t "entropy: --entropy-port 0, no entropy listener" [ ! -e "$tmp/ent0_1" ]
t "entropy: --entropy-port 0, the log listener still" [ -S "$tmp/ent0_109" ]
stop
# A guest that never reads: cut off after the deadline (2 s), its bytes unsent
start slow --entropy-bytes 1048576 || bad "uvmhost did not start"
got=$("$CL" read "$tmp/slow_1" 3000)
t "entropy: a guest that does not read is cut off ($got of 1048576 bytes)" [ "$got" -lt 1048576 ]
t "entropy: the cut is one warning line" grep -q "^uvmhost: warning: port 1: the guest did not read its entropy in 2000 ms" "$tmp/slow.err"
stop

# --- log lines ---------------------------------------------------------------------------
start lines --log-port 109 --log-port 5000 --max-line 16 || bad "uvmhost did not start"
printf 'first\nsecond\n' | "$CL" send "$tmp/lines_109"
printf 'other port\n' | "$CL" send "$tmp/lines_5000"
printf 'again\n' | "$CL" send "$tmp/lines_109"
{ printf 'part'; sleep 0.3; printf 'ial\n'; } | "$CL" send "$tmp/lines_109"
printf '0123456789abcdefXYZ\n' | "$CL" send "$tmp/lines_109"
printf '0123456789abcdef\n' | "$CL" send "$tmp/lines_109"
printf '0123456789abcdef0123456789abcdefQ\n' | "$CL" send "$tmp/lines_109"
printf '\n' | "$CL" send "$tmp/lines_109"
printf 'no newline' | "$CL" send "$tmp/lines_109"
sleep 0.2
stop
t "lines: exit 0" [ "$ST" = 0 ]
cat >"$tmp/lines.want" <<'EOF'
109: first
109: second
5000: other port
109: again
109: partial
109: 0123456789abcdef
109+ XYZ
109: 0123456789abcdef
109: 0123456789abcdef
109+ 0123456789abcdef
109+ Q
109: 
109: no newline
EOF
t "lines: prefixed by port, a partial line held, pieces of --max-line, reconnects appended in order" \
	diff -u "$tmp/lines.want" "$tmp/lines.out"

# a line held across reads grows its buffer up to --max-line (5000: not a power of two),
# and is cut into pieces of exactly that; the next partial line after it still held
ys() { head -c "$1" /dev/zero | tr '\0' y; }
start long --max-line 5000 || bad "uvmhost did not start"
{ ys 1000; sleep 0.1; ys 3000; sleep 0.1; ys 4000; sleep 0.1; ys 4000; printf '\n'; sleep 0.1
  ys 5000; sleep 0.1; printf '\n'; printf 'ab'; sleep 0.1; printf 'cd\n'; } |
	"$CL" send "$tmp/long_109" || true # a uvmhost gone mid-line is the check's to tell
sleep 0.2
stop
{ printf '109: %s\n109+ %s\n109+ %s\n' "$(ys 5000)" "$(ys 5000)" "$(ys 2000)"
  printf '109: %s\n109: abcd\n' "$(ys 5000)"; } >"$tmp/long.want"
t "long: 12000 bytes held across reads: pieces of 5000, 5000, 2000; 5000 then a newline \
one line; a short one after them" cmp -s "$tmp/long.want" "$tmp/long.out"
t "long: exit 0" [ "$ST" = 0 ]

# --- two connections at once never interleave within a line ------------------------------
start pair --max-line 16 || bad "uvmhost did not start"
"$CL" pair "$tmp/pair_109" 3000
sleep 0.3
stop
t "pair: 3000 whole lines of each connection" \
	[ "$(lines_of "$tmp/pair.out" '^109: aaaaaaaa$')/$(lines_of "$tmp/pair.out" '^109: bbbbbbbb$')" = 3000/3000 ]
t "pair: no other line" [ "$(wc -l <"$tmp/pair.out")" = 6000 ]

# --- a log that does not keep up: the guest never waits, one drop line per gap ------------
mkfifo "$tmp/fifo"
cat "$tmp/fifo" >"$tmp/stuck.out" &
READER=$!
PIDS+=("$READER")
start stuck --log "$tmp/fifo" || bad "uvmhost did not start"
kill -STOP "$READER"
secs=$(timeout 20 "$CL" flood "$tmp/stuck_109" 40000 100) || secs=timeout
t "stuck log: 4 MB of lines written with the reader stopped (${secs} s)" \
	awk -v s="$secs" 'BEGIN { exit !(s != "timeout" && s < 10) }'
kill -CONT "$READER"
sleep 0.5
printf 'after the gap\n' | "$CL" send "$tmp/stuck_109"
sleep 0.3
stop
wait "$READER" || true
t "stuck log: exit 0" [ "$ST" = 0 ]
t "stuck log: exactly one drop line" [ "$(lines_of "$tmp/stuck.out" '^uvmhost: dropped')" = 1 ]
dropped=0
read -r dropped _ < <(sed -n 's/^uvmhost: dropped \([0-9]*\) lines (\([0-9]*\) bytes)$/\1 \2/p' "$tmp/stuck.out") || true
got=$(lines_of "$tmp/stuck.out" '^109: x\{99\}$')
t "stuck log: some lines dropped ($dropped)" [ "${dropped:-0}" -gt 0 ]
t "stuck log: some lines written ($got)" [ "$got" -gt 0 ]
t "stuck log: written + dropped = 40000 ($got + ${dropped:-0})" [ $((got + ${dropped:-0})) = 40000 ]
t "stuck log: the drop line comes before the next line, which arrives" \
	[ "$(grep -A1 '^uvmhost: dropped' "$tmp/stuck.out" | tail -n 1)" = "109: after the gap" ]

# --- SIGHUP reopens --log; SIGTERM and SIGINT flush and exit 0 -----------------------------
start hup --log "$tmp/hup.log" || bad "uvmhost did not start"
printf 'before rotation\n' | "$CL" send "$tmp/hup_109"
sleep 0.2
mv "$tmp/hup.log" "$tmp/hup.log.1"
kill -HUP "$HPID"
sleep 0.2
printf 'after rotation\n' | "$CL" send "$tmp/hup_109"
sleep 0.2
stop
t "SIGHUP: the old file kept its lines" [ "$(cat "$tmp/hup.log.1")" = "109: before rotation" ]
t "SIGHUP: the new file has the later ones" [ "$(cat "$tmp/hup.log")" = "109: after rotation" ]
t "SIGHUP: exit 0 after" [ "$ST" = 0 ]

for sig in TERM INT; do
	start "flush$sig" || bad "uvmhost did not start"
	{ printf 'complete\nheld back'; sleep 3; } | "$CL" send "$tmp/flush${sig}_109" &
	PIDS+=("$!")
	sleep 0.3
	stop "$sig"
	t "SIG$sig: exit 0" [ "$ST" = 0 ]
	t "SIG$sig: the held partial line flushed" \
		[ "$(cat "$tmp/flush$sig.out")" = "$(printf '109: complete\n109: held back')" ]
	t "SIG$sig: nothing on stderr but the serving line" [ "$(wc -l <"$tmp/flush$sig.err")" = 1 ]
done

# SIGTERM reads what a guest has sent already: the line arrives while uvmhost is stopped,
# so the signal and the bytes are there at once when it runs again
start drain || bad "uvmhost did not start"
{ sleep 0.4; printf 'sent before the end\n'; sleep 3; } | "$CL" send "$tmp/drain_109" &
PIDS+=("$!")
sleep 0.2
kill -STOP "$HPID"
sleep 0.5
kill -TERM "$HPID"
kill -CONT "$HPID"
ST=0
{ wait "$HPID" || ST=$?; } 2>/dev/null
t "SIGTERM: what the guest had sent is read and written first" \
	[ "$ST/$(cat "$tmp/drain.out")" = "0/109: sent before the end" ]

# --- a stderr nobody reads: uvmhost never waits on it ------------------------------------
# a pipe already full, whose reader (fd 8 here) never reads: the serving line finds no
# room. Under timeout, so a uvmhost stuck in a write to it cannot hold the test.
mkfifo "$tmp/errpipe"
exec 8<>"$tmp/errpipe"
dd if=/dev/zero of="$tmp/errpipe" oflag=nonblock bs=4096 count=64 2>/dev/null || true
timeout -s KILL 20 "$FENCE" "$UH" serve --uds "$tmp/mute" >"$tmp/mute.out" 2>"$tmp/errpipe" &
HPID=$!
PIDS+=("$HPID")
wait_for 5 test -S "$tmp/mute_109" || bad "uvmhost did not listen"
t "stderr full: entropy still served" [ "$(timeout 5 "$CL" read "$tmp/mute_1")" = 512 ]
printf 'heard\n' | timeout 5 "$CL" send "$tmp/mute_109" || true
sleep 0.2
stop
exec 8<&-
t "stderr full: the guest's line logged, SIGTERM still exit 0" \
	[ "$ST/$(cat "$tmp/mute.out")" = "0/109: heard" ]

# --- systemd's readiness notification ---------------------------------------------------
"$CL" notify "$tmp/notify.sock" 10000 >"$tmp/notify.got" &
NPID=$!
PIDS+=("$NPID")
wait_for 5 test -S "$tmp/notify.sock" || bad "uhclient notify did not bind $tmp/notify.sock"
NOTIFY_SOCKET=$tmp/notify.sock start notify || bad "uvmhost did not start"
wait "$NPID" || true
stop
t "NOTIFY_SOCKET: READY=1 once it listens" [ "$(cat "$tmp/notify.got")" = READY=1 ]

summary test-uvmhost
