#!/usr/bin/env bash
# scripts/boot-timeline and scripts/boot-report --log against hand-made console logs
# (numbers chosen here, not produced by init): init's boot record as console lines
# (uvminit.bootrec=console), and the demo probe's form of it. Rows, lengths, the kernel,
# exec and spawn rows derived from the two clocks, the floor row, the title and the
# report's first line telling the same total, each step the report lists drawn with the
# same length, the legend, escaping, and one-line errors for bad input.  (make test-timeline)
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=tests/checks.sh
. tests/checks.sh
has() { if grep -qF -- "$2" "$1"; then ok; else bad "$3: no '$2' in $1"; fi; }
hasnt() { if grep -qF -- "$2" "$1"; then bad "$3: '$2' in $1"; else ok; fi; }

# The kernel execs /init at 1.000 s (its clock). init's first step at 5.000 s on
# CLOCK_MONOTONIC, which runs 3.998 s ahead of the kernel's clock: 1.002 s there, so the
# exec row is 2 ms. The agent's exec returned 18 ms after init's first step: init 20 ms.
# Last phase end 11.6 ms after init's start -> spawn from 13.6 to 20 ms: 6.4 ms.
# A record cut short comes first (an earlier boot): only the last whole one counts. Some
# lines carry the kernel's timestamp (its echo of kmsg when not quiet).
cat >"$tmp/boot.log" <<'LOG'
uvminit: bootrec: begin
uvminit: bootrec: t0_mono_us=9
uvminit: bootrec: phase=stale 1 0 99 99
[    1.000000] Run /init as init process
junk before uvminit: bootrec: begin
uvminit: bootrec: t0_mono_us=5000000
uvminit: bootrec: phase=start 1 0 1500 1400
[    1.010000] uvminit: bootrec: mode=direct
uvminit: bootrec: argv=/bin/sh
uvminit: bootrec: argv=-c
uvminit: bootrec: phase=mounts 1 1600 6600 5000
uvminit: bootrec: phase=entropy 1 6700 11000 2000
uvminit: bootrec: phase=cgroup 1 6800 9300 2500
uvminit: bootrec: phase=lo 57 1600 11600 9000
uvminit: bootrec: phase=lo_wait 1 11000 11600 100
uvminit: bootrec: cpus=2
uvminit: bootrec: agent_us=18000
uvminit: bootrec: cmdline=quiet a<b&c uvminit.bootrec=console -- /bin/sh -c
uvminit: bootrec: kmsg_exec_us=1000000
uvminit: bootrec: kmsg_mono_us=-3998000
[    1.100000] uvminit: bootrec: end lines=15
LOG
scripts/boot-timeline -o "$tmp/t.svg" --floor 4 "$tmp/boot.log"
svg=$tmp/t.svg
has "$svg" "uvminit boot: kernel 1000.0 ms + init 20.0 ms (to the agent's start), 2 vCPUs (floor 4.0 ms, +16.0 ms)" "title: kernel, init, vCPUs from the record, floor"
has "$svg" "quiet a&lt;b&amp;c uvminit.bootrec=console -- /bin/sh -c" "title: the record's command line, escaped"
has "$svg" ">lo (pid 57)</text>" "a child's row names its pid"
has "$svg" ">10.0 ms (CPU 9.0)</text>" "lo's length and CPU"
has "$svg" ">2.0 ms</text>" "exec row: kernel span minus init's own"
has "$svg" ">6.4 ms</text>" "spawn row: init's last step to the agent"
has "$svg" ">4.3 ms (CPU 2.0)</text>" "entropy spans cgroup"
has "$svg" ">1000.0 ms (kernel start to its exec of /init; not to scale)</text>" "the kernel bar"
has "$svg" ">floor (agent as PID 1)</text>" "the floor: a row of its own"
has "$svg" "floor 4.0 ms (agent as PID 1): another boot" "the floor row says what it is"
has "$svg" "agent starts 20.0 ms" "agent start marked"
has "$svg" "so a short bar's CPU can exceed its wall time" "legend: CPU above wall"
has "$svg" "PID 1's own bars overlap where one step waits around another" "legend: PID 1's bars overlap"
hasnt "$svg" "stale" "an earlier record cut short is not drawn"
# no line across the rows for the floor (it read as part of init's exec)
if grep -q '<line[^>]*stroke-dasharray' "$svg"; then bad "the floor drawn as a line across the rows"; else ok; fi
# rows: kernel, exec, PID 1's five phases, lo, spawn, floor
n=$(grep -c '<rect x=' "$svg")
if [ "$n" = 10 ]; then ok; else bad "10 bars, got $n"; fi
# PID 1's rows come before the child's
if [ "$(grep -n '>lo_wait</text>' "$svg" | cut -d: -f1)" -lt "$(grep -n '>lo (pid 57)</text>' "$svg" | cut -d: -f1)" ]; then ok
else bad "PID 1's rows first"; fi
scripts/boot-timeline -o "$tmp/v.svg" --vcpus 1 --cmdline "uvminit.migratable=1 -- /bin/sh" --log "$tmp/boot.log"
has "$tmp/v.svg" "20.0 ms (to the agent's start), 1 vCPU</text>" "--vcpus overrides; no floor given, none drawn"
has "$tmp/v.svg" ">uvminit.migratable=1 -- /bin/sh</text>" "--cmdline: the user's command line in the title"
hasnt "$tmp/v.svg" "a&lt;b" "--cmdline: the record's command line not shown"
hasnt "$tmp/v.svg" "floor" "no floor row without --floor"

# boot-report --log: its first line and the picture's title tell one total
mkdir "$tmp/out"
echo stale >"$tmp/out/boot-timeline.svg"
rc=0
O=build scripts/boot-report --log "$tmp/boot.log" --out "$tmp/out" >"$tmp/report" 2>&1 || rc=$?
if [ "$rc" = 0 ]; then ok; else bad "boot-report --log: exit $rc"; fi
if [ "$(sed -n 3p "$tmp/report")" = "kernel 1000.0 ms + init 20.0 ms (to the agent's start), 2 vCPUs" ]; then ok
else bad "boot-report --log: first line: $(sed -n 3p "$tmp/report")"; fi
has "$tmp/out/boot-timeline.svg" "uvminit boot: kernel 1000.0 ms + init 20.0 ms (to the agent's start), 2 vCPUs" "the picture next to the report: the same total"
has "$tmp/report" "init launched:  /bin/sh -c" "boot-report --log: the command init ran"
# a total on a rounding edge (53.15 ms is 53.1499... as a double): the report rounds it as
# the picture does (the shell's own printf, a long double, made it 53.2 beside 53.1)
sed -e 's|agent_us=18000|agent_us=51150|' "$tmp/boot.log" >"$tmp/edge.log"
mkdir "$tmp/edge"
O=build scripts/boot-report --log "$tmp/edge.log" --out "$tmp/edge" >"$tmp/edge.txt" 2>&1 || true
first=$(sed -n 3p "$tmp/edge.txt")
case $first in
"kernel 1000.0 ms + init 53."?" ms (to the agent's start), 2 vCPUs")
	has "$tmp/edge/boot-timeline.svg" "uvminit boot: $first" "a total on a rounding edge: the same in the report and the picture" ;;
*) bad "a total on a rounding edge: first line: $first" ;;
esac
has "$tmp/report" "  exec                       0.0 ..     2.0     2.0 ms" "boot-report --log: the exec row, from time 0"
has "$tmp/report" "  mounts                     3.6 ..     8.6     5.0 ms" "boot-report --log: steps on the picture's clock"
has "$tmp/report" "  spawn                     13.6 ..    20.0     6.4 ms" "boot-report --log: the spawn row"
hasnt "$tmp/report" "demo probe" "boot-report --log: no probe, no probe lines"
# a log without a record: no picture, and an older one is gone
echo "[    1.0] Run /init as init process" >"$tmp/none.log"
rc=0
O=build scripts/boot-report --log "$tmp/none.log" --out "$tmp/out" >"$tmp/report" 2>&1 || rc=$?
if [ "$rc" = 1 ] && [ ! -e "$tmp/out/boot-timeline.svg" ]; then ok
else bad "boot-report --log without a record: exit $rc (want 1), picture left: $(ls "$tmp/out")"; fi
has "$tmp/report" "no boot record in the log (boot with uvminit.bootrec=console)" "boot-report --log: says what is missing"

# a wrapper (vsockexec, init's command) and the demo probe's own report of its start: the
# wrapper's connect and exec a row of their own, from init's exec of it (20 ms) to the
# probe's first step (kernel clock 1.030 s: 30 ms); the title says what init started
sed -e 's|argv=/bin/sh|argv=/bin/vsockexec|' "$tmp/boot.log" >"$tmp/wrap.log"
echo "PROBE kmsg_started_us=1030000" >>"$tmp/wrap.log"
scripts/boot-timeline -o "$tmp/w.svg" "$tmp/wrap.log"
has "$tmp/w.svg" "kernel 1000.0 ms + init 20.0 ms (to vsockexec's start, the agent's wrapper), 2 vCPUs" "wrapper: the title says what init started"
has "$tmp/w.svg" ">10.0 ms: its connect to the log port and its exec of the agent" "wrapper: vsockexec's connect and exec, a bar of their own"
has "$tmp/w.svg" ">vsockexec</text>" "wrapper: its row"
O=build scripts/boot-report --log "$tmp/wrap.log" --out "$tmp/out" >"$tmp/report" 2>&1 || true
has "$tmp/report" "  vsockexec                 20.0 ..    30.0    10.0 ms" "boot-report --log: vsockexec's row"
has "$tmp/report" "kernel 1000.0 ms + init 20.0 ms (to vsockexec's start, the agent's wrapper), 2 vCPUs" "boot-report --log: the wrapper in the first line"
# the in-guest host's accept of the log connection (CLOCK_MONOTONIC 5.025 s: 27 ms on the
# picture) splits it: connect 20 -> 27, exec 27 -> 30
cp "$tmp/wrap.log" "$tmp/wrap2.log"
echo "HOST conn port=109 n=1 mono_us=5025000" >>"$tmp/wrap2.log"
scripts/boot-timeline -o "$tmp/w3.svg" "$tmp/wrap2.log"
has "$tmp/w3.svg" ">7.0 ms: to the log port, until the host accepted</text>" "wrapper: its connect, a bar of its own"
has "$tmp/w3.svg" ">3.0 ms: of the agent, to its first step</text>" "wrapper: its exec, a bar of its own"
O=build scripts/boot-report --log "$tmp/wrap2.log" --out "$tmp/out" >"$tmp/report" 2>&1 || true
has "$tmp/report" "  vsockexec: connect        20.0 ..    27.0     7.0 ms" "boot-report --log: vsockexec's connect"
has "$tmp/report" "  vsockexec: exec           27.0 ..    30.0     3.0 ms" "boot-report --log: vsockexec's exec"
# every step the report lists is a row of the picture drawn beside it (its label, then its
# bar, then its length), the same length: one piece of code computes both
drawn=$(awk 'FNR == NR { if ($0 ~ /^  .* [0-9.]+ \.\. +[0-9.]+ +[0-9.]+ ms$/) {
		n++; nm[n] = substr($0, 3, 22); sub(/ +$/, "", nm[n]); len[n] = $(NF - 1) }; next }
	{ line[FNR] = $0 }
	END { for (i = 1; i <= n; i++) { hit = 0
			for (j in line) if (index(line[j], ">" nm[i] "</text>") && index(line[j + 2], ">" len[i] " ms")) hit = 1
			print (hit ? "drawn " : "not drawn ") nm[i] " " len[i] } }' "$tmp/report" "$tmp/out/boot-timeline.svg")
if [ "$(grep -c '^drawn ' <<<"$drawn")" = 10 ] && ! grep -q '^not drawn' <<<"$drawn"; then ok
else bad "the report's 10 steps, each drawn with its length: $drawn"; fi
scripts/boot-timeline -o "$tmp/w2.svg" "$tmp/boot.log"
hasnt "$tmp/w2.svg" ">vsockexec</text>" "no wrapper, no vsockexec row"

# the demo probe's form of the same boot (bench-boot's boots): the same picture
cat >"$tmp/probe.log" <<'LOG'
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
scripts/boot-timeline -o "$tmp/p.svg" --floor 4 "$tmp/probe.log"
has "$tmp/p.svg" "kernel 1000.0 ms + init 20.0 ms (to the agent's start), 2 vCPUs (floor 4.0 ms, +16.0 ms)" "probe form: the same title"
has "$tmp/p.svg" ">2.0 ms</text>" "probe form: exec row"
has "$tmp/p.svg" ">6.4 ms</text>" "probe form: spawn row"
# --insn: the same log read as an -icount boot, every time an instruction count
scripts/boot-timeline --insn -o "$tmp/i.svg" --floor 4 "$tmp/boot.log"
has "$tmp/i.svg" "(guest instructions, qemu -icount): kernel 1000000.0 k insn + init 20000.0 k insn" "--insn: title, in thousands of instructions"
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
grep -v 'kmsg_' "$tmp/boot.log" | sed 's/end lines=15/end lines=13/' >"$tmp/nokmsg.log"
errcase 1 "record without kmsg times" "$tmp/nokmsg.log"
grep -v 'end lines' "$tmp/boot.log" >"$tmp/noend.log"
errcase 1 "record without its end line" "$tmp/noend.log"
grep -v 'argv=-c' "$tmp/boot.log" >"$tmp/short.log"
errcase 1 "record a line short" "$tmp/short.log"
grep -v '^PROBE kmsg' "$tmp/probe.log" >"$tmp/nokmsgp.log"
errcase 1 "probe log without kmsg times" "$tmp/nokmsgp.log"
errcase 2 "missing log" "$tmp/absent.log"
errcase 2 "bad floor" --floor 4x "$tmp/boot.log"
errcase 2 "unknown option" --bogus "$tmp/boot.log"
summary timeline
