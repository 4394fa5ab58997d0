#!/usr/bin/env bash
# scripts/boot-timeline against a hand-made boot log (numbers chosen here, not produced by
# init): rows, lengths, the exec and spawn rows derived from the two clocks, the floor,
# the title, escaping, and one-line errors for bad input.  (make test-timeline)
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=tests/checks.sh
. tests/checks.sh
has() { if grep -qF -- "$2" "$1"; then ok; else bad "$3: no '$2' in $1"; fi; }

# init exec'd at 1.000 s (kernel clock), the agent started at 1.020 s: 20 ms. init's own
# clock: start 5.000 s, agent 5.018 s: 18 ms, so the exec row is 2 ms. Last phase end
# 11.6 ms after init's start -> spawn from 13.6 to 20 ms: 6.4 ms.
cat >"$tmp/boot.log" <<'LOG'
[    1.000000] Run /bin/testinit as init process
PROBE boot.t0_mono_us=5000000
PROBE boot.phase=start 1 0 1500 1400
PROBE boot.mode=direct
PROBE boot.phase=mounts 1 1600 6600 5000
PROBE boot.phase=entropy 1 6700 11000 2000
PROBE boot.phase=cgroup 1 6800 9300 2500
PROBE boot.phase=lo 57 1600 11600 9000
PROBE boot.phase=lo_wait 1 11000 11600 100
PROBE mono_start_us=5018000
PROBE kmsg_exec_us=1000000
PROBE kmsg_started_us=1020000
PROBE cmdline=quiet nr_cpus=2 a<b&c -- -e 1 /bin/gcs
LOG
scripts/boot-timeline -o "$tmp/t.svg" --floor 4 "$tmp/boot.log"
svg=$tmp/t.svg
has "$svg" "init exec to agent start 20.0 ms, 2 vCPUs (floor 4.0 ms, +16.0 ms)" "title: total, vCPUs from nr_cpus, floor"
has "$svg" "quiet nr_cpus=2 a&lt;b&amp;c -- -e 1 /bin/gcs" "title: the command line, escaped"
has "$svg" ">lo (pid 57)</text>" "a child's row names its pid"
has "$svg" ">10.0 ms (CPU 9.0)</text>" "lo's length and CPU"
has "$svg" ">2.0 ms</text>" "exec row: kernel span minus init's own"
has "$svg" ">6.4 ms</text>" "spawn row: init's last step to the agent"
has "$svg" ">4.3 ms (CPU 2.0)</text>" "entropy spans cgroup"
has "$svg" "floor 4.0 ms (agent as PID 1)" "floor marked"
has "$svg" "agent starts 20.0 ms" "agent start marked"
# rows: exec, PID 1's five phases, lo, spawn
n=$(grep -c '<rect x=' "$svg")
if [ "$n" = 8 ]; then ok; else bad "8 bars, got $n"; fi
# PID 1's rows come before the child's
if [ "$(grep -n '>lo_wait</text>' "$svg" | cut -d: -f1)" -lt "$(grep -n '>lo (pid 57)</text>' "$svg" | cut -d: -f1)" ]; then ok
else bad "PID 1's rows first"; fi
scripts/boot-timeline -o "$tmp/v.svg" --vcpus 1 "$tmp/boot.log"
has "$tmp/v.svg" "20.0 ms, 1 vCPU</text>" "--vcpus overrides; no floor given, none drawn"
if grep -q 'stroke-dasharray' "$tmp/v.svg"; then bad "no floor line without --floor"; else ok; fi
# --insn: the same log read as an -icount boot, every time an instruction count
scripts/boot-timeline --insn -o "$tmp/i.svg" --floor 4 "$tmp/boot.log"
has "$tmp/i.svg" "(guest instructions, qemu -icount): init exec to agent start 20000.0 k insn" "--insn: title, in thousands of instructions"
has "$tmp/i.svg" ">10000.0 k insn (CPU 9000.0)</text>" "--insn: a bar's label"
has "$tmp/i.svg" "floor 4000.0 k insn (agent as PID 1)" "--insn: the floor, given in M insn"
has "$tmp/i.svg" ">2000.0 k insn</text>" "--insn: exec row"
if grep -q '[0-9] ms' "$tmp/i.svg"; then bad "--insn: a label still in ms"; else ok; fi

# bad input: one line on stderr, non-zero, no picture
errcase() { # WANT-RC WHAT ARGS...
	local want=$1 what=$2 rc=0
	shift 2
	rm -f "$tmp/e.svg"
	scripts/boot-timeline -o "$tmp/e.svg" "$@" 2>"$tmp/err" || rc=$?
	if [ "$rc" = "$want" ] && [ "$(wc -l <"$tmp/err")" = 1 ] && [ ! -e "$tmp/e.svg" ]; then ok
	else bad "$what: rc $rc (want $want), stderr: $(cat "$tmp/err")"; fi
}
grep -v '^PROBE kmsg' "$tmp/boot.log" >"$tmp/nokmsg.log"
errcase 1 "log without kmsg times" "$tmp/nokmsg.log"
errcase 2 "missing log" "$tmp/absent.log"
errcase 2 "bad floor" --floor 4x "$tmp/boot.log"
errcase 2 "unknown option" --bogus "$tmp/boot.log"
summary timeline
