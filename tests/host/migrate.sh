#!/usr/bin/env bash
# Logs that survive a move, end to end on this machine over AF_UNIX (no AF_VSOCK):
#
#   agent | vsockexec -r -o 109 (relay)  ->  uvmhost --uds A  (the source host)
#         the source host is killed (SIGKILL: its socket files stay, stale)
#         the agent writes on, nobody listening
#   ->  uvmhost --uds A again (the destination: the stale socket replaced)
#         stopped cleanly (SIGTERM), the agent writes more than the relay's ring keeps
#   ->  uvmhost --uds A a third time
#
# Checks: the agent never stalls (its longest write), the relay reconnects, every line
# written while a host was up arrives in order, and what was written with no host
# arrives too, up to the relay's ring (1 MiB), with exactly one drop line for the gap
# beyond it.
#
#   tests/host/migrate.sh           make test-migrate
#   tests/host/migrate.sh --demo    make demo-migrate: the same, told step by step
#
# The relay is the test build build/test/vsockexec-unix (port P is $UVMINIT_TEST_UDS_P)
# and the hosts the test build of uvmhost, each under build/fence.
set -euo pipefail

O=${O:-build}
cd "$(dirname "$0")/../.."
# shellcheck source=tests/checks.sh
. tests/checks.sh

DEMO=0
[ "${1:-}" != --demo ] || DEMO=1
UH=$O/test/uvmhost-uds
VX=$O/test/vsockexec-unix
CL=$O/test/uhclient
FENCE=$O/fence
A=$tmp/vm
LINE=64             # the agent's line, bytes (tests/host/uhclient.c)
RING=$((1 << 20))   # the relay's ring per port (vsock/relay.h)
[ "$DEMO" = 0 ] || checks_verbose=1 # t tells each check that passed

say() { [ "$DEMO" = 0 ] || printf '\n>> %s\n' "$*"; }

# between N LO HI: LO <= N <= HI (one command, so t judges the whole of it)
between() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }

# line_in FILE REGEX: waits until a line of FILE matches (10 s at most), else the test
# ends there, failed
line_in() {
	wait_for 10 grep -qsE -- "$2" "$1" && return 0
	bad "timed out waiting for '$2' in ${1##*/}"
	summary test-migrate || exit 1
}

# host N: uvmhost serve --uds A, its log $tmp/hostN.log; sets HPID
host() {
	: >"$tmp/host$1.err"
	"$FENCE" "$UH" serve --uds "$A" --log "$tmp/host$1.log" 2>"$tmp/host$1.err" 7>&- &
	HPID=$!
	PIDS+=("$HPID")
	line_in "$tmp/host$1.err" '^uvmhost: serving '
}
# agent N MS: the agent writes its next N lines, MS ms apart; waits until it has
agent() {
	local want
	want=$(($(last_wrote) + $1)) # before the agent can write its next line
	echo "$1 $2" >&7
	line_in "$tmp/agent.err" "^wrote=$want "
}
last_wrote() { sed -n 's/^wrote=\([0-9]*\) .*/\1/p' "$tmp/agent.err" | tail -n 1 | grep . || echo 0; }
# seqs FILE: the sequence numbers of the agent's whole lines in a host's log
seqs() { sed -n 's/^109: seq=0*\([0-9][0-9]*\)x\{51\}$/\1/p' "$1"; }
# is_run FILE FROM TO: exactly the lines FROM..TO, in order
is_run() { [ "$(seqs "$1" | tr '\n' ' ')" = "$(seq "$2" "$3" | tr '\n' ' ')" ]; }
show() { # show FILE: a host's log, shortened, for the demo
	[ "$DEMO" = 0 ] && return 0
	printf '   %s: %s lines\n' "${1##*/}" "$(wc -l <"$1")"
	if [ "$(wc -l <"$1")" -le 6 ]; then sed 's/^/     /' "$1"; return 0; fi
	head -n 3 "$1" | sed 's/^/     /'
	echo "     ..."
	tail -n 2 "$1" | sed 's/^/     /'
}

start=$(date +%s%N)
say "the source host: uvmhost serve --uds $A  (listens on ${A}_1 and ${A}_109)"
host 1
mkfifo "$tmp/ctl"
: >"$tmp/agent.err"
say "the agent starts under the relay: vsockexec -r -o 109 AGENT, port 109 = ${A}_109"
UVMINIT_TEST_UDS=$A "$FENCE" "$VX" -r -o 109 "$CL" agent <"$tmp/ctl" 2>>"$tmp/agent.err" &
VPID=$!
PIDS+=("$VPID")
exec 7>"$tmp/ctl"

say "200 lines, 2 ms apart, with the source host up"
agent 200 2
line_in "$tmp/host1.log" '^109: seq=00000200'
show "$tmp/host1.log"
t "the source host got lines 1..200, in order" is_run "$tmp/host1.log" 1 200

say "the source host dies (SIGKILL: its socket files stay behind, stale)"
kill -9 "$HPID"
wait "$HPID" 2>/dev/null || true
t "the stale socket files are there" [ -S "${A}_109" ]
say "300 more lines with no host at all"
agent 300 1

say "the destination host starts on the same path (the stale sockets replaced)"
host 2
line_in "$tmp/host2.log" '^109: seq=00000500'
show "$tmp/host2.log"
t "the relay reconnected: the destination got lines 201..500, in order" is_run "$tmp/host2.log" 201 500
t "no drop line: the gap fitted in the relay's ring" [ "$(grep -c 'dropped' "$tmp/host2.log")" = 0 ]
say "200 lines with the destination up"
agent 200 1
line_in "$tmp/host2.log" '^109: seq=00000700'
t "and then lines 501..700 too, in order" is_run "$tmp/host2.log" 201 700

gap=$((3 * RING / LINE))
say "the destination stops (SIGTERM), and the agent writes $gap lines ($((gap * LINE)) bytes) at full speed: 3 times the relay's ring"
kill -TERM "$HPID"
st=0
wait "$HPID" || st=$?
t "the destination stopped cleanly (exit 0)" [ "$st" = 0 ]
agent "$gap" 0
last=$(last_wrote)
say "a third host starts on the path"
host 3
line_in "$tmp/host3.log" "^109: seq=0*$last"
show "$tmp/host3.log"
drops=$(grep -c '^109: vsockexec: dropped [0-9]* bytes$' "$tmp/host3.log" || true)
t "exactly one drop line for the gap" [ "$drops" = 1 ]
dropped=$(sed -n 's/^109: vsockexec: dropped \([0-9]*\) bytes$/\1/p' "$tmp/host3.log")
first=$(seqs "$tmp/host3.log" | sed -n 1p)
t "after it, whole lines ${first:-?}..$last in order" is_run "$tmp/host3.log" "${first:-0}" "$last"
kept=$(((last - ${first:-0} + 1) * LINE))
t "what arrived is the newest of the ring ($kept bytes in whole lines, the ring $RING)" \
	between "$kept" $((RING - 4 * LINE)) "$RING"
lost=$((gap * LINE - kept))
t "the drop line counts the rest (dropped ${dropped:-?}, lost $lost, less a cut line)" \
	between "${dropped:-0}" "$lost" $((lost + LINE - 1))

exec 7>&-
st=0
wait "$VPID" || st=$?
kill -TERM "$HPID"
wait "$HPID" || true
worst=$(sed -n 's/.*max_write_ms=\([0-9]*\)$/\1/p' "$tmp/agent.err" | tail -n 1)
say "the agent ends: its longest write took ${worst:-?} ms; vsockexec exit status $st"
t "the agent never stalled: no write took 100 ms (${worst:-?} ms)" [ "${worst:-999}" -lt 100 ]
t "vsockexec exited 0 with the agent" [ "$st" = 0 ]
t "the relay's own warnings went to its stderr, not the agent's lines" \
	[ "$(grep -vcE '^(wrote=|vsockexec: )' "$tmp/agent.err" || true)" = 0 ]
ms=$((($(date +%s%N) - start) / 1000000))
say "done in $ms ms"
summary test-migrate
