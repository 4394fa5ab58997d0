# shellcheck shell=bash
# Helpers of the boot scenario suite (tests/boot/run.sh): assertions on the facts a
# booted guest reported on its console. Every check is on a fact (a PROBE, HOST or
# TESTINIT line, a boot record key, the kernel's power-off), never on a timing.
#
# The probe's lines arrive either on the console ("PROBE k=v") or, when its stdout is
# sent to the log port, through the in-guest host ("HOST log: PROBE k=v"); both count.

PASS=0
FAIL=0
FAILED_SCENARIOS=()
CUR=         # current scenario name
LOGF=        # its console log, carriage returns removed
BOOTF=       # the harness's BOOT line for it
FACTS=       # its probe facts, one "k=v" a line
HOSTF=       # its in-guest host's lines

# run_dir KIND: sets DIR to a fresh $O/boot-tests/KIND.PID (two suites may share a
# checkout); runs of that kind whose process is gone are removed.
run_dir() {
	local d
	for d in "$O/boot-tests/$1".*; do
		[ -d "$d" ] || continue
		kill -0 "${d##*.}" 2>/dev/null || rm -rf "$d"
	done
	DIR=$O/boot-tests/$1.$$
	mkdir -p "$DIR"
}

t() { # t DESCRIPTION CMD... : one check
	local desc=$1
	shift
	if "$@"; then
		PASS=$((PASS + 1))
		[ -z "${VERBOSE:-}" ] || printf 'ok   %s: %s\n' "$CUR" "$desc"
	else
		FAIL=$((FAIL + 1))
		printf 'FAIL %s: %s\n' "$CUR" "$desc"
		case " ${FAILED_SCENARIOS[*]} " in *" $CUR "*) ;; *) FAILED_SCENARIOS+=("$CUR") ;; esac
	fi
}

load_log() { # load_log NAME RAWLOG
	CUR=$1
	BOOTF=$2.boot
	LOGF=$2.clean
	tr -d '\r' <"$2" >"$LOGF"
	FACTS=$2.facts
	HOSTF=$2.host
	# A line may start after someone else's unterminated output (a shell prompt, say):
	# take each marker from where it starts.
	grep -ao 'PROBE .*' "$LOGF" | sed 's/^PROBE //' >"$FACTS" || true
	grep -ao 'HOST .*' "$LOGF" >"$HOSTF" || true
}

fact() { grep -qxF -- "$1" "$FACTS"; }
no_fact_prefix() { ! grep -q -- "^$1" "$FACTS"; }
fact_value() { sed -n "s/^$1=//p" "$FACTS" | head -n 1; }
host() { grep -qxF -- "HOST $1" "$HOSTF"; }
no_host_re() { ! grep -qE -- "^HOST $1" "$HOSTF"; }
host_re() { grep -qE -- "^HOST $1" "$HOSTF"; }
# A console line from init or the kernel (not the probe, not the host) matching all REs.
console() {
	local f
	f=$(grep -vE '^(PROBE|HOST|TESTINIT) ' "$LOGF")
	for re in "$@"; do
		f=$(grep -E -- "$re" <<<"$f") || return 1
	done
}
boot_result() { grep -q "^BOOT result=$1 " "$BOOTF"; }
# what the harness read of the agent's end: exit:N, signal:N, none, unknown
boot_agent() { grep -q "^BOOT result=[a-z]* agent=$1 " "$BOOTF"; }
no_panic() { ! grep -qE 'Kernel panic|Attempted to kill init' "$LOGF"; }

# The agent's argv, byte for byte, and nothing more.
argv_is() {
	local i=0 a
	fact "argc=$#" || return 1
	for a in "$@"; do
		fact "argv[$i]=$a" || return 1
		i=$((i + 1))
	done
}

# The boot record's argv lines, in order, exactly.
boot_argv_is() {
	local want got
	want=$(printf 'boot.argv=%s\n' "$@")
	got=$(grep '^boot\.argv=' "$FACTS")
	[ "$want" = "$got" ]
}

# Bytes received on PORT over all its connections, from the host's eof/open lines.
log_bytes() {
	sed -n "s/^HOST \(eof\|open\|error\|drop\) port=$1 conn=[0-9]* bytes=\([0-9]*\)$/\2/p" \
		"$HOSTF" | awk '{ s += $1 } END { print s + 0 }'
}
log_bytes_ge() { [ "$(log_bytes "$1")" -ge "$2" ]; }
log_bytes_eq() { [ "$(log_bytes "$1")" -eq "$2" ]; }
# log_accounts PORT N: the program's bytes that arrived plus those the relay announced
# as dropped (its "vsockexec: dropped N bytes" lines) make N, over all connections.
log_accounts() {
	[ "$(sed -n "s/^HOST data port=$1 conn=[0-9]* bytes=\([0-9]*\) dropped=\([0-9]*\)$/\1 \2/p" \
		"$HOSTF" | awk '{ s += $1 + $2 } END { print s + 0 }')" -eq "$2" ]
}

# --- composite checks ---------------------------------------------------------------
powered_off() {
	t "powered off cleanly (init did not give up)" boot_result poweroff
	t "no kernel panic" no_panic
}

agent_ran() {
	t "agent reported (PROBE done)" fact "done"
	powered_off
}

# The agent's inheritance from init: own session, fds 0-2 only, clean signals, PATH only.
# agent_clean relay: vsockexec -r runs the agent as its child, in its session.
agent_clean() {
	local pid
	pid=$(fact_value pid)
	t "agent is not PID 1" [ "${pid:-1}" != 1 ]
	if [ "${1:-}" = relay ]; then
		t "agent's session is vsockexec's" fact "sid=$(fact_value ppid)"
	else
		t "agent leads its own session" fact "sid=$pid"
	fi
	t "agent has fds 0,1,2 only" fact "fds=0,1,2"
	t "agent signal mask empty" fact "sigblk=0000000000000000"
	t "agent ignores no signal" fact "sigign=0000000000000000"
	t "agent environment is PATH only" [ "$(grep -c '^env=' "$FACTS")" = 1 ]
	t "boot record: lo=up" fact "boot.lo=up"
	t "/dev's links and mounts made before the agent" fact "dev=fd:/proc/self/fd stdin:/proc/self/fd/0 stdout:/proc/self/fd/1 stderr:/proc/self/fd/2 pts:devpts shm:tmpfs"
}

entropy_ok() {
	t "host sent 512 bytes of entropy" host "entropy port=1 conn=1 sent=512"
	t "boot record: entropy_bytes=512" fact "boot.entropy_bytes=512"
	t "boot record: entropy_result=ok" fact "boot.entropy_result=ok"
	t "getrandom ready" fact "getrandom=ready"
}

mode_is() { t "boot record: mode=$1" fact "boot.mode=$1"; }

no_log_port() { # direct mode: port 109 never touched, and the host lived to say so
	t "nothing connected to port ${1:-109}" no_host_re "conn port=${1:-109} "
	t "host summary shows port ${1:-109} n=0" host_re "summary .*port=${1:-109} n=0"
}

log_port_used() { t "agent's log connection reached port ${1:-109}" host_re "conn port=${1:-109} n=1( |$)"; }
