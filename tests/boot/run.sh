#!/usr/bin/env bash
# The boot scenario suite: boots build/init in qemu (TCG) with the in-guest host
# (tests/guest/) and checks the facts the probe and the host report. See docs/boot.md.
#
#   tests/boot/run.sh [NAME-PATTERN]      (make test-boot)
#
# J=2 VMs at a time (default), T=90 s timeout per VM, VERBOSE=1 lists every passing
# check. Console logs are kept in $O/boot-tests/run.PID/NAME.log.
#
# ARCH=arm64 (make ARCH=arm64 test-boot) boots build/arm64 under qemu-system-aarch64 and
# runs the arm64 set (ARM64_SET: one scenario per mode and fault class, docs/arm64.md);
# BOOT_SET=all runs every scenario there too, except ctrl-alt-del (no keyboard on virt).
set -euo pipefail

O=${O:-build}
J=${J:-2}
T=${T:-90}
PATTERN=${1:-}
export O
cd "$(dirname "$0")/../.."
# shellcheck source=tests/boot/lib.sh
. tests/boot/lib.sh

run_dir run

# --- the arm64 set: every mode and fault class once (a boot there is about 3x x86's) ----
# verbatim, direct, wrapped (init adds the wrapper), relay; entropy served (all of these),
# absent (host-none), stalled (host-silent-noread); log listener absent (host-none), not
# reading (host-silent-noread); the agent exits, is killed by a signal, is missing; PID 1
# signalled; the kernel's word model against the dry run (kline-*); init loading the
# modules; a migratable pod's plan. In the order they are defined (and booted). ARM64_ONLY:
# ARCH=arm64 with no PATTERN nor BOOT_SET=all.
ARM64_SET=(verbatim-e109 direct-e109 verbatim-relay wrapped-bare host-none host-silent-noread
	agent-exit3 agent-crash agent-missing sigterm-pid1 init-loads-modules-entropy
	kline-second-dashes kline-bare-word pod-migratable)
ARM64_ONLY=
if [ "${ARCH:-x86_64}" = arm64 ] && [ -z "$PATTERN" ] && [ "${BOOT_SET:-}" != all ]; then
	ARM64_ONLY=1
fi

AGENT="/bin/gcs -v4 -log-format json -loglevel debug"
NAMES=() PARAMS=() ARGS=() OPTS=() CHECKS=()
scenario() { # scenario NAME PARAMS INITARGS|- CHECKS [HARNESS-OPTS]
	[ -z "$PATTERN" ] || [[ $1 == *$PATTERN* ]] || return 0
	[ -z "$ARM64_ONLY" ] || [[ " ${ARM64_SET[*]} " == *" $1 "* ]] || return 0
	# ctrl-alt-delete needs a keyboard: arm64's virt machine has none
	[ "${ARCH:-x86_64}" = x86_64 ] || [[ ${5:-} != --cad-on* ]] || return 0
	NAMES+=("$1") PARAMS+=("$2") ARGS+=("$3") CHECKS+=("$4") OPTS+=("${5:-}")
}

# --- every mode against every hcsshim command shape ------------------------------------
# shape name | init args | the agent's argv | the command as given (after init's options)
SHAPES=(
	"e109|-e 1 /bin/vsockexec -e 109 $AGENT|$AGENT|/bin/vsockexec -e 109 $AGENT"
	"o109|-e 1 /bin/vsockexec -o 109 -e 109 $AGENT|$AGENT|/bin/vsockexec -o 109 -e 109 $AGENT"
	"relay|-e 1 /bin/vsockexec -r -e 109 $AGENT|$AGENT|/bin/vsockexec -r -e 109 $AGENT"
	"w|-e 1 -w /bin/vsockexec -e 109 $AGENT -scrub-logs=false|$AGENT -scrub-logs=false|/bin/vsockexec -e 109 $AGENT -scrub-logs=false"
	"core|-e 1 /bin/vsockexec -e 109 $AGENT -scrub-logs=false -core-dump-location /run/cores|$AGENT -scrub-logs=false -core-dump-location /run/cores|/bin/vsockexec -e 109 $AGENT -scrub-logs=false -core-dump-location /run/cores"
	"bare|-e 1 $AGENT|$AGENT|$AGENT"
)
# Each mode is spelled a different legal way per shape: booleans, last one wins.
declare -A DIRECT=([e109]="uvminit.migratable=1" [o109]="uvminit.migratable=yes"
	[relay]="uvminit.migratable=0 uvminit.migratable=1" [w]="uvminit.migratable=true"
	[core]="uvminit.migratable=on hcsshim.cgroup=v1" [bare]="uvminit.migratable=1")
declare -A WRAPPED=([e109]="uvminit.migratable=0" [o109]="uvminit.migratable=off"
	[relay]="uvminit.migratable=no" [w]="uvminit.migratable=false"
	[core]="uvminit.migratable=0 uvminit.cgroup=v1" [bare]="uvminit.migratable=0")
declare -A VERBATIM=([core]="uvminit.cgroup=v1")

for s in "${SHAPES[@]}"; do
	IFS='|' read -r shape args agent given <<<"$s"
	vrelay='' wrelay=''
	case $shape in relay) vrelay=relay wrelay=relay ;; bare) wrelay=relay ;; esac
	common="agent_ran; entropy_ok; t 'agent argv byte for byte' argv_is $agent"
	# verbatim: the command exactly as given.
	chk="$common; agent_clean $vrelay; mode_is verbatim; t 'boot argv is the command as given' boot_argv_is $given"
	case $shape in
	bare) chk+="; no_log_port" ;;
	*) chk+="; log_port_used" ;;
	esac
	case $shape in core) chk+="; t 'cgroup v1 forced' fact boot.cgroup=v1" ;; esac
	scenario "verbatim-$shape" "${VERBATIM[$shape]:-}" "$args" "$chk"
	# direct: the agent alone, the log port never touched.
	chk="$common; agent_clean; mode_is direct; t 'boot argv is the bare agent' boot_argv_is $agent; no_log_port"
	case $shape in
	w) chk+="; t '-w refused, named in the boot record' grep -q '^boot.error=.*-w' \"\$FACTS\"" ;;
	core) chk+="; t 'hcsshim.cgroup=v1 honoured' fact boot.cgroup=v1" ;;
	esac
	scenario "direct-$shape" "${DIRECT[$shape]}" "$args" "$chk"
	# wrapped: under vsockexec on the log port, never twice.
	chk="$common; agent_clean $wrelay; mode_is wrapped; log_port_used"
	case $shape in
	bare) chk+="; t 'wrapper added' fact boot.argv=/bin/vsockexec
		t 'wrapped once' [ \"\$(grep -c '^boot.argv=/bin/vsockexec$' \"\$FACTS\")\" = 1 ]" ;;
	*) chk+="; t 'already wrapped: kept as given' boot_argv_is $given" ;;
	esac
	case $shape in core) chk+="; t 'cgroup v1 forced' fact boot.cgroup=v1" ;; esac
	scenario "wrapped-$shape" "${WRAPPED[$shape]}" "$args" "$chk"
done

E109="-e 1 /bin/vsockexec -e 109 $AGENT"
RELAY="-e 1 /bin/vsockexec -r -e 109 $AGENT"
BARE="-e 1 $AGENT"
PATTERN_LINE="log: 0123456789abcdefghijklmnopqrstuvwxyz"

# --- the agent's stderr reaches the host's log port ------------------------------------
scenario stderr-verbatim "probe.action=stderr:20000 testhost.entropy=short" "$E109" \
	"agent_ran; t 'short entropy: 100 bytes credited' fact boot.entropy_bytes=100; t 'agent wrote 20000 bytes' fact stderr_written=20000
	 t 'all 20000 arrived at port 109' log_bytes_eq 109 20000; t 'pattern seen' host '$PATTERN_LINE'"
scenario stderr-wrapped "uvminit.migratable=0 probe.action=stderr:20000" "$BARE" \
	"agent_ran; mode_is wrapped; t 'agent wrote 20000 bytes' fact stderr_written=20000
	 t 'all 20000 arrived at port 109' log_bytes_ge 109 20000; t 'pattern seen' host '$PATTERN_LINE'"
scenario stderr-wrapped-port "uvminit.migratable=0 uvminit.log_port=5000 testhost.log_port=5000 probe.action=stderr:3000" "$BARE" \
	"agent_ran; t 'uvminit.log_port honoured' log_port_used 5000; t 'stderr arrived at 5000' log_bytes_ge 5000 3000"

# --- the host misbehaves: the boot stays bounded ---------------------------------------
# An entropy failure ends before the agent starts, a log failure begins after: one VM each.
scenario host-none "testhost.entropy=none testhost.log=none" "$E109" \
	"agent_ran; t 'agent argv intact' argv_is $AGENT
	 t 'no entropy credited' fact boot.entropy_bytes=0; t 'result says why' no_fact_prefix boot.entropy_result=ok"
scenario host-silent-noread "testhost.entropy=silent testhost.log=noread" "$E109" \
	"agent_ran; t 'no entropy credited' fact boot.entropy_bytes=0; t 'result is not ok' no_fact_prefix boot.entropy_result=ok
	 t 'host held the entropy connection' host 'holding port=1 conn=1 open'; t 'log host accepted' log_port_used"
scenario host-noclose-noaccept "testhost.entropy=noclose testhost.log=noaccept" "$E109" \
	"agent_ran; t 'the 512 bytes credited' fact boot.entropy_bytes=512; t 'host never closed' host 'holding port=1 conn=1 open'"
scenario host-noaccept-none-wrapped "uvminit.migratable=0 testhost.entropy=noaccept testhost.log=none probe.action=stderr:1000" "$BARE" \
	"agent_ran; mode_is wrapped; t 'no entropy credited' fact boot.entropy_bytes=0
	 t 'agent wrote its stderr' fact stderr_written=1000"
scenario relay-noread "testhost.log=noread probe.action=stderr:1048576" "$RELAY" \
	"agent_ran; t 'a log host that never reads does not block the agent' fact stderr_written=1048576"
scenario relay-volume "probe.action=stderr:4194304" "$RELAY" \
	"agent_ran; t 'agent wrote 4 MiB' fact stderr_written=4194304
	 t 'every byte arrived or was announced dropped' log_accounts 109 4194304"
scenario relay-drop "testhost.log=drop probe.action=stderr:20000" "$RELAY" \
	"agent_ran; t 'host dropped the first connection' host_re 'drop port=109 conn=1 '
	 t 'relay reconnected' host_re 'conn port=109 n=2( |$)'"

# --- the product uvmhost (host/uvmhost.c, static) as the in-guest host -----------------
# testinit.host=uvmhost starts /bin/uvmhost serve --vsock any --log - over vsock loopback
# in place of the test host; its log lines ("109: TEXT") go to the console. The probe
# writes 100 pattern lines and a last line of 20 bytes with no newline.
UH="testinit.host=uvmhost probe.action=stderr:3720"
uvmhost_served() {
	t "uvmhost ready (READY=1 on NOTIFY_SOCKET)" grep -q '^TESTINIT uvmhost ready' "$LOGF"
	t "uvmhost said where it serves" grep -q '^uvmhost: serving entropy vsock port 1, log vsock port 109' "$LOGF"
	t "the test host was not started" no_host_re 'listen '
	t "uvmhost served 512 bytes of entropy" fact boot.entropy_bytes=512
	t "boot record: entropy_result=ok" fact boot.entropy_result=ok
	t "agent wrote 3720 bytes" fact stderr_written=3720
	t "100 whole lines, prefixed by the port" \
		[ "$(grep -c '^109: 0123456789abcdefghijklmnopqrstuvwxyz$' "$LOGF")" = 100 ]
	t "the last 20 bytes as a line at the connection's end" grep -qx '109: 0123456789abcdefghij' "$LOGF"
	t "nothing dropped" no_uvmhost_drop
}
no_uvmhost_drop() { ! grep -q '^uvmhost: dropped' "$LOGF"; }
scenario uvmhost-verbatim "$UH" "$E109" "agent_ran; mode_is verbatim; uvmhost_served
	 t 'hcsshim shape: vsockexec -e 109 as given' boot_argv_is /bin/vsockexec -e 109 $AGENT"
scenario uvmhost-wrapped "uvminit.migratable=0 $UH" "$BARE" "agent_ran; mode_is wrapped; uvmhost_served
	 t 'wrapper added' fact boot.argv=/bin/vsockexec"
scenario uvmhost-relay "$UH" "$RELAY" "agent_ran; mode_is verbatim; uvmhost_served
	 t 'hcsshim HEAD shape: vsockexec -r -e 109 as given' boot_argv_is /bin/vsockexec -r -e 109 $AGENT"
# --vsock CID serves that guest only: over loopback the peer is the guest itself, not
# CID 3, so init's entropy connection is refused (one warning), the boot goes on
scenario uvmhost-cid-filter "testinit.host=uvmhost testinit.host_cid=3" "$BARE" \
	"agent_ran; t 'uvmhost ready' grep -q '^TESTINIT uvmhost ready' \"\$LOGF\"
	 t 'the connection refused, named in one warning' grep -q '^uvmhost: warning: port 1: a connection from CID [0-9]* refused (serving CID 3)' \"\$LOGF\"
	 t 'no entropy credited' fact boot.entropy_bytes=0"

# --- the agent exits, crashes, is missing, leaves orphans ------------------------------
scenario agent-exit3 "uvminit.migratable=1 probe.action=exit:3" "$E109" "agent_ran; t 'exit status logged' console 'status 3|exit.*3'
	 t 'the harness tells status 3' boot_agent exit:3"
scenario agent-crash "uvminit.migratable=0 probe.action=crash" "$BARE" "agent_ran; t 'the signal is logged' console 'status 139|signal 11|SIGSEGV'
	 t 'the harness tells 139 (vsockexec -r: 128+11)' boot_agent exit:139"
# init gives up: the harness says so (result=failed), never a clean power-off
scenario agent-missing "" "-e 1 /bin/nope -x" "t 'init gave up' boot_result failed; t 'no agent' boot_agent none
	 t 'no kernel panic' no_panic; t 'missing path named' console /bin/nope"
scenario agent-missing-direct "uvminit.migratable=1" "-e 1 /bin/vsockexec -e 109 /bin/nope -x" \
	"t 'init gave up (the wrapper stripped)' boot_result failed; t 'no agent' boot_agent none
	 t 'missing path named' console /bin/nope; no_log_port"
scenario agent-orphans "uvminit.migratable=1 probe.action=orphans:200" "$BARE" \
	"agent_ran; t '200 orphans left for PID 1' fact orphans=200"

# --- ctrl-alt-del and SIGTERM to PID 1 --------------------------------------------------
scenario ctrl-alt-del "testhost.watch=1 probe.action=wait" "$E109" \
	"agent_ran; t 'agent got SIGTERM' fact got=SIGTERM" "--cad-on HOST agent waiting"
scenario sigterm-pid1 "uvminit.migratable=1 testhost.kill1=TERM probe.action=wait" "$BARE" \
	"agent_ran; t 'host signalled PID 1' host 'sending SIGTERM to pid 1'; t 'agent got SIGTERM' fact got=SIGTERM"

# --- invalid parameters are named, the safe choice taken -------------------------------
scenario invalid-migratable "uvminit.migratable=maybe uvminit.log_port=0 uvminit.bootrec=yes" "$E109" \
	"agent_ran; mode_is direct; no_log_port
	 t 'uvminit.migratable=maybe named on the console' console uvminit.migratable maybe
	 t 'uvminit.log_port=0 named on the console' console uvminit.log_port '=0|0'
	 t 'uvminit.bootrec=yes named on the console' console 'uvminit: warning: uvminit.bootrec=yes: not console'
	 t 'uvminit.bootrec=yes: no record on the console' no_console_record"
scenario invalid-port "uvminit.migratable=0 uvminit.log_port=99999999999" "$BARE" \
	"agent_ran; mode_is wrapped; log_port_used 109
	 t 'bad port named on the console' console uvminit.log_port 99999999999"

# --- init on its own: modules, no entropy, default command -----------------------------
NMOD=$(grep -c . "$O/kernel/modules.order")
scenario init-loads-modules "testhost.off=1 uvminit.migratable=1" "/bin/gcs -v4" \
	"agent_ran; t 'init loaded the $NMOD modules' fact boot.modules_loaded=$NMOD; t 'no entropy port' fact boot.entropy_port=0"
# vsock is not there when init starts: the entropy connect comes once init has loaded
# the modules (the host listens as soon as vsock is live)
scenario init-loads-modules-entropy "testhost.late=1 uvminit.migratable=1" "-e 1 /bin/gcs -v4" \
	"agent_ran; t 'init loaded the $NMOD modules' fact boot.modules_loaded=$NMOD
	 t 'entropy connect after the load: 512 bytes' fact boot.entropy_bytes=512
	 t 'entropy ok' fact boot.entropy_result=ok; t 'one entropy connection' host 'entropy port=1 conn=1 sent=512'"
scenario init-overlay "testhost.off=1" "-w /bin/gcs -v4" \
	"agent_ran; t 'no error in the boot record' no_fact_prefix boot.error"
scenario debug-shell "" "-e 1 -d /bin/sh /bin/vsockexec -e 109 $AGENT" \
	"agent_ran; entropy_ok; t 'agent argv intact' argv_is $AGENT; t 'shell not in the agent argv' boot_argv_is /bin/vsockexec -e 109 $AGENT"
scenario default-command "testhost.off=1" - \
	"agent_ran; t 'the default command' argv_is /bin/gcs -loglevel debug -logfile=/run/gcs/gcs.log"

# --- the boot record out of any image (uvminit.bootrec=console) -------------------------
# An agent that is not the probe (busybox's sleep), init on its own (it loads the modules):
# the record reaches the console, and boot-report --log and boot-timeline --log tell the
# boot from the console log alone, with the same total. Without the parameter: none (the
# agent, cat, shows the record in /run/uvminit/boot; the console has no line of it).
# report_from_log: boot-report --log on this scenario's log, into $LOGF.report/
report_from_log() {
	local rc=0
	O=$O scripts/boot-report --log "$LOGF" --out "$LOGF.report" >"$LOGF.report.txt" 2>&1 || rc=$?
	[ "$rc" = 0 ]
}
report_line() { grep -qxE -- "$1" "$LOGF.report.txt"; }
# the report's total (its first line) is the picture's
same_total() {
	local total
	total=$(sed -n "s/^kernel [0-9.]* ms + init \([0-9.]*\) ms (to the agent's start), .*/\1/p" "$LOGF.report.txt")
	[ -n "$total" ] && grep -qF "+ init $total ms (to the agent's start)" "$LOGF.report/boot-timeline.svg"
}
no_console_record() { ! grep -q 'uvminit: bootrec:' "$LOGF"; }
scenario bootrec-console "testhost.off=1 uvminit.migratable=1 uvminit.bootrec=console" "/bin/sleep 1" \
	"powered_off; t 'the agent is not the probe' [ ! -s \"\$FACTS\" ]
	 t 'the record on the console, whole' console '^uvminit: bootrec: end lines=[0-9]+$'
	 t 'its argv: the agent' console '^uvminit: bootrec: argv=/bin/sleep$'
	 t 'its kernel times' console '^uvminit: bootrec: kmsg_exec_us=[0-9]+$'
	 t 'its vCPU count' console '^uvminit: bootrec: cpus=2$'
	 t 'its kernel command line' console '^uvminit: bootrec: cmdline=.* uvminit.bootrec=console -- /bin/sleep 1$'
	 t 'boot-report --log: exit 0' report_from_log
	 t 'boot-report --log: kernel X ms + init Y ms first' report_line \"kernel [0-9.]+ ms \\+ init [0-9.]+ ms \\(to the agent's start\\), 2 vCPUs\"
	 t 'boot-report --log: the command' report_line 'init launched:  /bin/sleep 1'
	 t 'boot-report --log: mode' report_line 'mode: +direct'
	 t 'boot-report --log: modules loaded by init' report_line 'modules: +[1-9][0-9]* loaded by init.*'
	 t 'the picture: the same total as the report' same_total"
scenario bootrec-absent "testhost.off=1 uvminit.migratable=1" "/bin/cat /run/uvminit/boot" \
	"powered_off; t 'the record is in /run/uvminit/boot (the agent printed it)' console '^mode=direct$'
	 t 'the agent printed all of it' console '^t_total_us=[0-9]+$'
	 t 'no record on the console without the parameter' no_console_record
	 t 'boot-report --log: exit 1' eval '! report_from_log'
	 t 'boot-report --log: says what is missing' grep -qF 'no boot record in the log (boot with uvminit.bootrec=console)' \"\$LOGF.report.txt\""

# --- the kernel hands init what the dry run predicts -----------------------------------
# Each line is booted; the guest's own /proc/cmdline (the probe's cmdline fact) is then
# planned on this machine by build/init --dry-run under the fence (tests/dryrun.sh
# --plan). The boot record's mode, argv, errors and entropy port, and the agent's argv,
# must equal the prediction; each scenario also pins what the kernel did, by hand.
# dry_agrees [N]: the agent's argv is the plan's without its first N words (a wrapper).
# The guest's bytes are read in the C locale: 0xa0 alone is not UTF-8.
dry_agrees() {
	local skip=${1:-0} line plan k want got
	local -a agent
	line=$(LC_ALL=C grep -ao 'PROBE cmdline=.*' "$LOGF" | LC_ALL=C sed 's/^PROBE cmdline=//;q')
	t "the guest reported its /proc/cmdline" [ -n "$line" ]
	if ! plan=$(tests/dryrun.sh --plan "$line"); then
		t "the dry run planned the guest's command line" false
		return
	fi
	for k in mode entropy_port argv error; do
		want=$(LC_ALL=C grep "^$k=" <<<"$plan" || true)
		got=$(LC_ALL=C grep -ao "PROBE boot\.$k=.*" "$LOGF" | LC_ALL=C sed 's/^PROBE boot\.//' || true)
		t "boot record's $k lines equal the dry run's" [ "$want" = "$got" ]
	done
	mapfile -t agent < <(LC_ALL=C sed -n 's/^argv=//p' <<<"$plan" | tail -n +$((skip + 1)))
	t "the agent's argv is the dry run's" argv_is "${agent[@]}"
}
GCSDEF="/bin/gcs -loglevel debug -logfile=/run/gcs/gcs.log"
KL="testhost.off=1 uvminit.migratable=1"
scenario kline-second-dashes "$KL" "/bin/gcs -v4 -loglevel info -- -x tail-arg" \
	"agent_ran; dry_agrees; t 'the kernel dropped the second -- and the rest' argv_is /bin/gcs -v4 -loglevel info
	 t 'the drop is named' grep -q '^boot.error=.*second \"--\".*: -- -x tail-arg$' \"\$FACTS\""
scenario kline-init-dashes "testhost.off=1" "-w -- /bin/gcs -v4" \
	"agent_ran; dry_agrees; t 'the command after init -- was dropped: the default ran' argv_is $GCSDEF"
scenario kline-nbsp $'uvminit.migratable=0\xa0y.z' "-e 1 /bin/gcs -v4" \
	"agent_ran; dry_agrees 4; mode_is wrapped; t 'no error: 0xa0 split the word' no_fact_prefix boot.error"
scenario kline-name-quote "$KL" '/bin/gcs b="' \
	"agent_ran; dry_agrees; t 'b=\" reached the agent as b=' argv_is /bin/gcs b="
# a stray bare word before "--" (nokaslr, common on microVMs) ahead of hcsshim's wrapped
# command: init drops it, warns once, and runs the command after "--"
scenario kline-bare-word "uvminit.migratable=1 nokaslr" "$E109" \
	"agent_ran; entropy_ok; dry_agrees; mode_is direct; no_log_port
	 t 'nokaslr dropped: the agent argv byte for byte' argv_is $AGENT
	 t 'nokaslr dropped: the boot ran the agent alone' boot_argv_is $AGENT
	 t 'the boot record names nokaslr in one error' [ \"\$(grep -c '^boot.error=.*nokaslr' \"\$FACTS\")\" = 1 ]
	 t 'init names nokaslr on the console once' [ \"\$(grep -a 'uvminit: ' \"\$LOGF\" | grep -c nokaslr)\" = 1 ]
	 t 'and says it dropped it' console 'uvminit: warning: kernel command line: nokaslr: .*init drops it'"
scenario kline-quiet "testhost.off=1 quiet ro debug" "/bin/gcs -v4" \
	"agent_ran; dry_agrees; t 'no error for the kernel options' no_fact_prefix boot.error"
scenario kline-control-byte "$KL uvminit.log_port=7"$'\x01'"x" "/bin/gcs" \
	"agent_ran; dry_agrees; t 'init logged the value escaped' grep -qaF 'uvminit: warning: uvminit.log_port=7\\x01x: not a port' \"\$LOGF\""
scenario kline-panic-bare "testhost.off=1 panic" "/bin/gcs -v4" \
	"agent_ran; dry_agrees; t 'a rejected panic dropped the words after --' argv_is $GCSDEF"

# --- a pod's plan (uvmctl, host/): the command line it prints, the log listener it says ------
# pod_scenario NAME POD.json EXTRA-PARAMS CHECKS [UVMCTL-OPTS...]: boots `uvmctl plan
# --console [UVMCTL-OPTS] POD.json`'s command line with EXTRA-PARAMS added (the probe's
# action, or testhost.log=none to take a listener away); the in-guest host listens on the
# log port only when the plan says log_listener=yes.
pod_scenario() {
	local name=$1 pod=$2 extra=$3 checks=$4 plan line params
	shift 4
	[ -z "$PATTERN" ] || [[ $name == *$PATTERN* ]] || return 0
	plan=$("$O/uvmctl" plan --console "$@" "$pod") || { echo "uvmctl refused $pod"; exit 1; }
	line=$(sed -n 's/^cmdline=//p' <<<"$plan")
	params=${line% -- *}
	grep -qx 'log_listener=yes' <<<"$plan" || params+=" testhost.log=none"
	scenario "$name" "$params${extra:+ $extra}" "${line##* -- }" "$checks"
}
PAGENT="/bin/gcs -v4 -log-format json -loglevel info" # hcsshim HEAD's default level
# hcsshim HEAD's migratable shape: the relay, a listener; the agent's stderr arrives
pod_scenario pod-migratable examples/pod-migratable.json "probe.action=stderr:20000" \
	"agent_ran; entropy_ok; agent_clean relay; mode_is verbatim
	 t 'agent argv byte for byte' argv_is $PAGENT
	 t 'the relay kept: init ran vsockexec -r on port 109' boot_argv_is /bin/vsockexec -r -e 109 $PAGENT
	 t 'the host listened on port 109 (log_listener=yes)' host 'listen port=109 mode=ok'
	 t 'agent wrote 20000 bytes' fact stderr_written=20000
	 t 'all 20000 arrived at port 109' log_bytes_ge 109 20000; t 'pattern seen' host '$PATTERN_LINE'"
# the same plan on a host with no log listener (a migration target before its listener,
# say): the agent starts, writes and exits without waiting for one
pod_scenario pod-migratable-nolistener examples/pod-migratable.json \
	"testhost.log=none probe.action=stderr:20000" \
	"agent_ran; entropy_ok; agent_clean relay; mode_is verbatim
	 t 'the relay kept: init ran vsockexec -r on port 109' boot_argv_is /bin/vsockexec -r -e 109 $PAGENT
	 t 'the host opened no log listener' host 'no listener on port=109'
	 t 'no connection reached port 109' no_host_re 'conn port=109 '
	 t 'agent wrote all 20000 bytes with nobody listening' fact stderr_written=20000"
# --logs off: the earlier shape, direct mode, no listener
pod_scenario pod-migratable-logs-off examples/pod-migratable.json "" \
	"agent_ran; entropy_ok; agent_clean; mode_is direct
	 t 'agent argv byte for byte' argv_is $PAGENT; t 'no wrapper: init ran the agent' boot_argv_is $PAGENT
	 t 'the host opened no log listener (log_listener=no)' host 'no listener on port=109'
	 t 'nothing connected to port 109' no_host_re 'conn port=109 '" --logs off
pod_scenario pod-normal examples/pod-normal.json "" \
	"agent_ran; entropy_ok; agent_clean; mode_is verbatim
	 t 'agent argv byte for byte' argv_is $PAGENT
	 t 'hcsshim shape: init ran vsockexec on port 109' boot_argv_is /bin/vsockexec -e 109 $PAGENT
	 t 'the host listened on port 109 (log_listener=yes)' host 'listen port=109 mode=ok'
	 log_port_used; t 'kernel boot options reached init: uvminit.cgroup=v2' fact boot.cgroup=v2"

# every name in the arm64 set is a scenario's (a renamed one would drop out unseen)
if [ -n "$ARM64_ONLY" ]; then
	for want in "${ARM64_SET[@]}"; do
		[[ " ${NAMES[*]} " == *" $want "* ]] || { echo "ARM64_SET: no scenario $want"; exit 1; }
	done
fi

[ "${#NAMES[@]}" -gt 0 ] || { echo "no scenario matches '$PATTERN'"; exit 1; }

# --- boot them, J at a time --------------------------------------------------------------
run_one() {
	local i=$1
	local -a args opts params
	read -r -a opts <<<"${OPTS[$i]}"
	local -a boot=(scripts/qemu-boot -t "$T" -l "$DIR/${NAMES[$i]}.log" --host quiet)
	if [ "${#opts[@]}" -gt 0 ] && [ "${opts[0]}" = --cad-on ]; then
		boot+=(--cad-on "${opts[*]:1}")
	fi
	read -r -a params <<<"${PARAMS[$i]}"
	boot+=("${params[@]}")
	if [ "${ARGS[$i]}" != - ]; then
		read -r -a args <<<"${ARGS[$i]}"
		boot+=(-- "${args[@]}")
	fi
	"${boot[@]}" >"$DIR/${NAMES[$i]}.log.boot" 2>&1 || true
}

start=$(date +%s)
printf 'booting %d scenarios (%s), %d at a time\n' "${#NAMES[@]}" "${ARCH:-x86_64}" "$J"
for i in "${!NAMES[@]}"; do
	while [ "$(jobs -rp | wc -l)" -ge "$J" ]; do
		wait -n || true
	done
	run_one "$i" &
done
wait

for i in "${!NAMES[@]}"; do
	load_log "${NAMES[$i]}" "$DIR/${NAMES[$i]}.log"
	eval "${CHECKS[$i]}"
done
secs=$(($(date +%s) - start))
printf 'test-boot: %d scenarios, %d checks passed, %d failed, %d s\n' \
	"${#NAMES[@]}" "$PASS" "$FAIL" "$secs"
if [ "$FAIL" -gt 0 ]; then
	printf 'failed scenarios (logs in %s/NAME.log): %s\n' "$DIR" "${FAILED_SCENARIOS[*]}"
	exit 1
fi
