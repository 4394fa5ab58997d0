#!/usr/bin/env bash
# The shipped build/uvmctl: exit codes (0 fine, 1 violations, 2 usage or bad input) and
# its messages, the examples/ as docs/uvmctl.md shows them, and every plan's cmdline=
# read back by build/init --dry-run (under the strace fence of tests/fence.sh): the mode
# and the agent's argv must be what the plan meant. Also: no guest binary links the JSON
# library. RUN_GUEST=qemu-aarch64-static NM=aarch64-linux-gnu-nm (make ARCH=arm64
# test-uvmctl-cli): the plans read back by the arm64 init under that emulator, fenced alike.
set -euo pipefail

O=${O:-build}
UVMCTL=$O/uvmctl
INIT=$O/init
RUN=(${RUN_GUEST:+"$RUN_GUEST"} "$INIT")
NM=${NM:-nm}
EX=examples
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
# shellcheck source=tests/fence.sh
. "$(dirname "$0")/../fence.sh"

fail() { printf 'FAIL %s\n' "$*"; fails=$((fails + 1)); }

# expect NAME STATUS STDOUT STDERR -- ARGS...: exactly that status and output
expect() {
	local name=$1 want_rc=$2 want_out=$3 want_err=$4 rc=0 out err
	shift 5
	out=$("$UVMCTL" "$@" 2>"$tmp/err") || rc=$?
	err=$(cat "$tmp/err")
	if [ "$rc" != "$want_rc" ] || [ "$out" != "$want_out" ] || [ "$err" != "$want_err" ]; then
		fail "$name: status $rc (want $want_rc)"
		printf -- '--- want stdout\n%s\n--- got stdout\n%s\n' "$want_out" "$out"
		printf -- '--- want stderr\n%s\n--- got stderr\n%s\n' "$want_err" "$err"
	else
		printf 'ok   %s\n' "$name"
	fi
}

# usage NAME ARGS...: exit 2, nothing on stdout, one line on stderr starting "uvmctl: "
usage() {
	local name=$1 rc=0 out
	shift
	out=$("$UVMCTL" "$@" 2>"$tmp/err") || rc=$?
	if [ "$rc" != 2 ] || [ -n "$out" ] || [ "$(wc -l <"$tmp/err")" != 1 ] ||
		! grep -q '^uvmctl: ' "$tmp/err"; then
		fail "$name: status $rc, stdout '$out', stderr:"
		cat "$tmp/err"
	else
		printf 'ok   %s: %s\n' "$name" "$(cat "$tmp/err")"
	fi
}

VM=io.microsoft.virtualmachine
MOVE="cannot move with the VM"

# --- --help, --version, usage errors -----------------------------------------------------
rc=0
"$UVMCTL" --help >"$tmp/help" || rc=$?
if [ "$rc" = 0 ] && grep -q '^usage: uvmctl check \[--migratable\] POD.json \[CONTAINER.json...\]$' "$tmp/help" &&
	grep -q 'Exit status: 0 fine, 1 policy violations, 2 usage' "$tmp/help"; then
	echo "ok   --help"
else
	fail "--help (status $rc)"
fi
expect "--version" 0 "uvmctl (uvminit) 0.1" "" -- --version
expect "plan --help" 0 "$(cat "$tmp/help")" "" -- plan --help
usage "no arguments"
usage "unknown command" frob "$EX/pod-normal.json"
usage "unknown option" check --frob "$EX/pod-normal.json"
usage "missing value" plan "$EX/pod-normal.json" --log-level
usage "check without a pod" check
usage "plan with two files" plan "$EX/pod-normal.json" "$EX/container-ok.json"
usage "a plan option given to check" check --console "$EX/pod-normal.json"
usage "--scrub-logs not a Go boolean" plan --scrub-logs yes "$EX/pod-normal.json"
usage "an option with a newline stays one line" plan $'--scrub-logs=a\nb' "$EX/pod-normal.json"
usage "--logs neither relay nor off" plan --logs on "$EX/pod-migratable.json"
usage "--logs is an option of plan" check --logs off "$EX/pod-migratable.json"
expect "a wrong option after the file is named, not the file" 2 "" \
	"uvmctl: unknown option -x in \"-xy\" (see uvmctl --help)" -- check "$EX/pod-normal.json" -xy
expect "a wrong option ending its word" 2 "" \
	"uvmctl: unknown option -x in \"-x\" (see uvmctl --help)" -- check "$EX/pod-normal.json" -x
expect "an unknown long option" 2 "" \
	"uvmctl: unknown option: --frob (see uvmctl --help)" -- check "$EX/pod-normal.json" --frob
expect "a missing value" 2 "" \
	"uvmctl: --log-level: missing value (see uvmctl --help)" -- plan "$EX/pod-normal.json" --log-level

# --- check ------------------------------------------------------------------------------
expect "migratable pod, container that passes" 0 "" "" -- \
	check "$EX/pod-migratable.json" "$EX/container-ok.json"
expect "device assignment" 1 "" \
	"uvmctl: $EX/container-device.json: windows.devices[0]: rejected: device assignment (idType \"gpu\", id \"PCIP\\\\VEN_10DE&DEV_1EB8\"): an assigned host device $MOVE" -- \
	check "$EX/pod-migratable.json" "$EX/container-ok.json" "$EX/container-device.json"
expect "VHD mounts, each" 1 "" \
	"uvmctl: $EX/container-vhd.json: mounts[0]: rejected: virtual-disk mount of \"C:\\\\disks\\\\data.vhdx\": a VHD mount attaches a host disk that $MOVE
uvmctl: $EX/container-vhd.json: mounts[1]: rejected: physical-disk mount of \"\\\\\\\\.\\\\PHYSICALDRIVE2\": a physical disk mount attaches a host disk that $MOVE
uvmctl: $EX/container-vhd.json: mounts[2]: rejected: extensible-virtual-disk mount of \"evd://space/C:\\\\disks\\\\data.vhdx\": an extensible VHD mount attaches a host disk that $MOVE" -- \
	check "$EX/pod-migratable.json" "$EX/container-vhd.json"
expect "directory mounts of host paths" 1 "" \
	"uvmctl: $EX/container-dir.json: mounts[0]: rejected: bind mount of \"C:\\\\config\": a directory mount of a host path is a Plan9 share that $MOVE
uvmctl: $EX/container-dir.json: mounts[1]: rejected: bind mount of \"/var/lib/data\": a directory mount of a host path is a Plan9 share that $MOVE" -- \
	check "$EX/pod-migratable.json" "$EX/container-dir.json"
POD_BAD="uvmctl: $EX/pod-migratable-bad.json: $VM.hv-socket.service-table.12345678-1234-1234-1234-123456789abc: rejected: binds the VM to a host-side service registration that $MOVE
uvmctl: $EX/pod-migratable-bad.json: $VM.lcow.kernelbootoptions: rejected: not on the live-migration allow list (io.microsoft.virtualmachine.* is denied by default)
uvmctl: $EX/pod-migratable-bad.json: $VM.lcow.preferredrootfstype: \"initrd\" is not allowed: must be vhd (the root file system must be the read-only VHD every host has)
uvmctl: $EX/pod-migratable-bad.json: $VM.lcow.vpcienabled: \"true\" is not allowed: must be false (assigned PCI devices $MOVE)
uvmctl: $EX/pod-migratable-bad.json: $VM.devices.virtualpmem.maximumcount: \"64\" is not allowed: must be 0 (virtual PMem devices $MOVE)
uvmctl: $EX/pod-migratable-bad.json: $VM.lcow.writable-overlay-directories: \"yes\" does not parse as a boolean: must be false (writable overlays are refused in a migratable VM's shape)"
expect "every pod violation, one line each" 1 "" "$POD_BAD" -- check "$EX/pod-migratable-bad.json"
expect "pod and container violations together" 1 "" "$POD_BAD
uvmctl: $EX/container-device.json: windows.devices[0]: rejected: device assignment (idType \"gpu\", id \"PCIP\\\\VEN_10DE&DEV_1EB8\"): an assigned host device $MOVE" -- \
	check "$EX/pod-migratable-bad.json" "$EX/container-ok.json" "$EX/container-device.json"
expect "a pod that is not migratable passes everything" 0 "" "" -- \
	check "$EX/pod-normal.json" "$EX/container-device.json" "$EX/container-vhd.json" "$EX/container-dir.json"
expect "--migratable holds any pod to the policy" 1 "" \
	"uvmctl: $EX/pod-normal.json: $VM.lcow.kernelbootoptions: rejected: not on the live-migration allow list (io.microsoft.virtualmachine.* is denied by default)
uvmctl: $EX/pod-normal.json: $VM.hv-socket.service-table.12345678-1234-1234-1234-123456789abc: rejected: binds the VM to a host-side service registration that $MOVE" -- \
	check --migratable "$EX/pod-normal.json"
printf '{"annotations": {"io.microsoft.migration.support-enabled": "yes"}}' >"$tmp/maybe.json"
expect "an invalid migration annotation is named, never false" 2 "" \
	"uvmctl: $tmp/maybe.json: io.microsoft.migration.support-enabled: \"yes\" is not a boolean (1 t T TRUE true True 0 f F FALSE false False)" -- \
	check "$tmp/maybe.json"
printf '%s' '{"metadata":{"name":"p"},"annotations":{"io.microsoft.migration.support-enabled":"1"},"linux":{}}' \
	>"$tmp/crictl.json"
expect "crictl's sandbox config as the pod" 0 "" "" -- check "$tmp/crictl.json"

# --- specs read as Go reads them: a member Go folds onto a field read is exit 2 ----------
printf '%s' '{"Annotations":{"io.microsoft.migration.support-enabled":"true","io.microsoft.virtualmachine.lcow.vpcienabled":"true"},"Mounts":[{"type":"bind","source":"/etc","destination":"/x"}]}' \
	>"$tmp/p.json"
expect "the issue's pod: Annotations is not annotations" 2 "" \
	"uvmctl: $tmp/p.json: Annotations: not the exact spelling of \"annotations\"" -- check "$tmp/p.json" "$tmp/p.json"
expect "plan refuses it too" 2 "" \
	"uvmctl: $tmp/p.json: Annotations: not the exact spelling of \"annotations\"" -- plan "$tmp/p.json"
printf '{"annotations":{},"mounts":[{"type":"bind","\xc5\xbfource":"/etc"}]}' >"$tmp/longs.json"
expect "a long s in a container's mount source" 2 "" \
	"uvmctl: $tmp/longs.json: mounts[0].\\xc5\\xbfource: not the exact spelling of \"source\"" -- \
	check "$EX/pod-migratable.json" "$tmp/longs.json"

# --- the pod's own spec: its devices, mounts and windows.devices --------------------------
printf '{"annotations":{"io.microsoft.migration.support-enabled":"true"},"devices":[{"id":"x"}],"mounts":[{"type":"bind","source":"/etc"}]}' \
	>"$tmp/poddev.json"
expect "a migratable pod's own devices and mounts" 1 "" \
	"uvmctl: $tmp/poddev.json: devices[0]: rejected: a host device assigned to the UVM over vPCI $MOVE
uvmctl: $tmp/poddev.json: mounts[0]: rejected: bind mount of \"/etc\": a directory mount of a host path is a Plan9 share that $MOVE" -- \
	check "$tmp/poddev.json"

# --- nothing blocks: a FIFO, a directory, a device, a file over 16 MiB ---------------------
mkfifo "$tmp/fifo"
expect "a FIFO with no writer, at once" 2 "" \
	"uvmctl: $tmp/fifo: a FIFO, not a regular file: not a runtime spec" -- check "$tmp/fifo"
expect "a pipe (process substitution)" 2 "" \
	"uvmctl: /dev/fd/63: a FIFO, not a regular file: not a runtime spec" -- check /dev/fd/63 63< <(printf '{}')
expect "a directory" 2 "" "uvmctl: $tmp: a directory, not a regular file: not a runtime spec" -- check "$tmp"
expect "a device" 2 "" "uvmctl: /dev/zero: a device, not a regular file: not a runtime spec" -- \
	check "$EX/pod-normal.json" /dev/zero
truncate -s 16777217 "$tmp/big.json"
expect "a file over 16 MiB" 2 "" "uvmctl: $tmp/big.json: 16777217 bytes, over 16777216: not a runtime spec" -- \
	check "$tmp/big.json"

# --- bad input: exit 2, one line naming the file and the place, no verdicts ----------------
expect "missing file" 2 "" "uvmctl: $tmp/none.json: cannot open: No such file or directory" -- \
	check "$tmp/none.json"
printf '{"annotations": {\n  "a": "b",\n}' >"$tmp/bad.json"
expect "invalid JSON: line and column" 2 "" \
	"uvmctl: $tmp/bad.json: line 3 column 1: invalid JSON: string or '}' expected near '}'" -- \
	check "$tmp/bad.json"
printf '{"mounts": [{"type": "bind", "source": 1}]}' >"$tmp/type.json"
expect "a wrong type after violations: only the input error" 2 "" \
	"uvmctl: $tmp/type.json: mounts[0].source: a number, not a string" -- \
	check "$EX/pod-migratable-bad.json" "$EX/container-dir.json" "$tmp/type.json"
expect "a wrong type in a pod that is not migratable" 2 "" \
	"uvmctl: $tmp/type.json: mounts[0].source: a number, not a string" -- \
	check "$EX/pod-normal.json" "$tmp/type.json"

# --- plan ----------------------------------------------------------------------------------
RELAY_LINE="8250_core.nr_uarts=0 panic=-1 quiet -- -e 1 /bin/vsockexec -r -e 109 /bin/gcs -v4 -log-format json -loglevel info"
MIG_LINE="8250_core.nr_uarts=0 panic=-1 quiet uvminit.migratable=1 -- -e 1 /bin/gcs -v4 -log-format json -loglevel info"
NORMAL_LINE="8250_core.nr_uarts=0 panic=-1 quiet uvminit.cgroup=v2 -- -e 1 /bin/vsockexec -e 109 /bin/gcs -v4 -log-format json -loglevel info"
expect "plan: migratable pod, hcsshim HEAD's relay" 0 $'migratable=1\nlog_listener=yes\ncmdline='"$RELAY_LINE" "" -- \
	plan "$EX/pod-migratable.json"
expect "plan: migratable pod, --logs relay" 0 $'migratable=1\nlog_listener=yes\ncmdline='"$RELAY_LINE" "" -- \
	plan --logs relay "$EX/pod-migratable.json"
expect "plan: migratable pod, --logs off: the earlier shape" 0 $'migratable=1\nlog_listener=no\ncmdline='"$MIG_LINE" "" -- \
	plan "$EX/pod-migratable.json" --logs=off
expect "plan: --logs on a normal pod" 2 "" \
	"uvmctl: --logs: for a migratable pod only (a normal pod's agent always runs under /bin/vsockexec -e 109)" -- \
	plan --logs relay "$EX/pod-normal.json"
expect "plan: normal pod" 0 $'migratable=0\nlog_listener=yes\ncmdline='"$NORMAL_LINE" "" -- \
	plan "$EX/pod-normal.json"
expect "plan refuses a migratable pod that fails check" 1 "" "$POD_BAD" -- \
	plan "$EX/pod-migratable-bad.json"
expect "plan refuses an unsafe --core-dump-location" 2 "" \
	"uvmctl: --core-dump-location \"/run/my cores\": byte 0x20 at offset 7: a kernel command line word cannot hold spaces, quotes, control or non-ASCII bytes" -- \
	plan "$EX/pod-migratable.json" --core-dump-location "/run/my cores"
expect "plan refuses an unknown --log-level" 2 "" \
	"uvmctl: --log-level \"debug -x\": not a level gcs accepts (panic fatal error warn warning info debug trace)" -- \
	plan "$EX/pod-migratable.json" --log-level "debug -x"
printf '{"annotations": {"%s.lcow.kernelbootoptions": "quiet -- /bin/sh"}}' "$VM" >"$tmp/dashes.json"
expect "plan refuses a standalone -- in the kernel boot options" 2 "" \
	"uvmctl: $tmp/dashes.json: $VM.lcow.kernelbootoptions: a standalone \"--\" would end the kernel's parameters there and hand the rest to init ahead of the agent" -- \
	plan "$tmp/dashes.json"

# --- every plan read back by init's dry run (fenced) ------------------------------------------
GCS=(/bin/gcs -v4 -log-format json -loglevel)
# readback NAME MODE OVERLAY AGENT-ARGV... -- UVMCTL-PLAN-ARGS...
readback() {
	local name=$1 mode=$2 overlay=$3 line rc=0 got want
	shift 3
	local -a agent=()
	while [ "$1" != -- ]; do agent+=("$1"); shift; done
	shift
	line=$("$UVMCTL" plan "$@" | sed -n 's/^cmdline=//p')
	got=$(fenced_run "$tmp/trace" "${RUN[@]}" --dry-run --cmdline "$line") || rc=$?
	want=$(printf 'mode=%s\nentropy_port=1\nlog_port=109\noverlay=%s\n' "$mode" "$overlay"
		printf 'argv=%s\n' "${agent[@]}")
	if [ "$rc" != 0 ] || [ -s "$tmp/trace" ]; then
		fail "$name: init --dry-run status $rc, trace: $(cat "$tmp/trace")"
	elif [ "$(grep -v '^\(entropy_timeout_ms\|cgroup\)=' <<<"$got")" != "$want" ]; then
		fail "$name: init reads $line as"
		printf -- '%s\n--- want\n%s\n' "$got" "$want"
	else
		printf 'ok   read back: %s\n' "$name"
	fi
}
printf '{"annotations": {"%s.lcow.writable-overlay-directories": "true", "%s.lcow.preferredrootfstype": "vhd", "%s.lcow.timesync.disable": "1", "io.microsoft.container.processdumplocation": "/var/dumps", "%s.lcow.extra-exec-command-args": "-x y"}}' \
	"$VM" "$VM" "$VM" "$VM" >"$tmp/full.json"
readback "migratable: verbatim, the relay kept in the agent's argv" verbatim 0 \
	/bin/vsockexec -r -e 109 "${GCS[@]}" info -- "$EX/pod-migratable.json"
readback "migratable, --logs off: direct, the bare agent" direct 0 "${GCS[@]}" info -- \
	"$EX/pod-migratable.json" --logs off
readback "migratable, --logs off, every flag and a console" direct 0 "${GCS[@]}" trace -scrub-logs=false \
	-core-dump-location /run/cores -- "$EX/pod-migratable.json" --console --log-level trace \
	--scrub-logs F --core-dump-location /run/cores --logs off
readback "migratable relay with every flag and a console" verbatim 0 /bin/vsockexec -r -e 109 \
	"${GCS[@]}" trace -scrub-logs=false -core-dump-location /run/cores -- "$EX/pod-migratable.json" \
	--console --log-level trace --scrub-logs F --core-dump-location /run/cores
readback "normal: verbatim, wrapped on port 109" verbatim 0 /bin/vsockexec -e 109 "${GCS[@]}" info -- \
	"$EX/pod-normal.json"
readback "normal with -w and every flag" verbatim 1 /bin/vsockexec -e 109 "${GCS[@]}" info \
	-disable-time-sync -scrub-logs=true -core-dump-location /var/dumps -x y -- "$tmp/full.json" \
	--log-level info --scrub-logs True
printf '{}' >"$tmp/empty.json"
readback "--migratable on an empty pod" verbatim 0 /bin/vsockexec -r -e 109 "${GCS[@]}" error -- \
	--migratable "$tmp/empty.json" --log-level error

# --- the documentation's console examples, run as written ------------------------------------
# Each ```console block of docs/uvmctl.md and README.md that runs uvmctl is run in a scratch directory
# (uvmctl on PATH, examples/ beside it), one shell per block; its output lines must be
# the block's own lines that do not start with "$ ".
docs_examples() {
	local doc=$1 n=0 dir
	dir=$tmp/doc
	mkdir -p "$dir"
	ln -sfn "$PWD/examples" "$dir/examples"
	mkdir -p "$dir/bin" "$dir/build"
	ln -sf "$PWD/$UVMCTL" "$dir/bin/uvmctl"
	ln -sf "$PWD/$UVMCTL" "$dir/build/uvmctl" # the README writes build/uvmctl
	awk -v out="$dir/block" '
		/^```console$/ { inb = 1; n++; next }
		/^```$/ { inb = 0; next }
		inb { print > (out "." n) }' "$doc"
	for b in "$dir"/block.*; do
		grep -q '^\$ .*uvmctl' "$b" || continue
		n=$((n + 1))
		sed -n 's/^\$ //p' "$b" >"$b.sh"
		grep -v '^\$ ' "$b" >"$b.want" || true
		(cd "$dir" && PATH=$dir/bin:$PATH bash "$b.sh" >"$b.got" 2>&1) || true
		if cmp -s "$b.want" "$b.got"; then
			printf 'ok   %s example %s: %s\n' "$doc" "${b##*.}" "$(head -n 1 "$b.sh")"
		else
			fail "$doc example ${b##*.}: $(head -n 1 "$b.sh")"
			diff "$b.want" "$b.got" || true
		fi
	done
	[ "$n" -gt 0 ] || fail "$doc: no example found"
	rm -rf "$dir"
}
docs_examples docs/uvmctl.md
docs_examples README.md

# --- output that cannot be written is an error, not a silent success ---------------------------
for args in "plan $EX/pod-normal.json" --help --version; do
	rc=0
	# shellcheck disable=SC2086 # the words of $args
	"$UVMCTL" $args >/dev/full 2>"$tmp/err" || rc=$?
	if [ "$rc" = 2 ] && [ "$(cat "$tmp/err")" = "uvmctl: cannot write the output" ]; then
		echo "ok   $args: a full stdout is exit 2"
	else
		fail "$args: a full stdout: status $rc, stderr $(cat "$tmp/err")"
	fi
done

# --- the guest never links the JSON library ---------------------------------------------------
# (nm into a file first: grep -q would end a pipe early, and pipefail count that as failure)
for b in init vsockexec probe; do
	"$NM" "$O/$b.unstripped" >"$tmp/syms" 2>/dev/null || true
	if grep -q ' json_' "$tmp/syms"; then
		fail "$O/$b links JSON symbols"
	elif ! grep -q ' T main$' "$tmp/syms"; then
		fail "$O/$b.unstripped: no symbols to look at"
	else
		printf 'ok   %s has no json_ symbol\n' "$b"
	fi
done
nm -D "$UVMCTL" >"$tmp/syms"
if grep -q ' U json_loadb@libjansson' "$tmp/syms"; then
	echo "ok   uvmctl reads JSON through jansson"
else
	fail "uvmctl does not use jansson's json_loadb"
fi

if [ "$fails" -ne 0 ]; then
	echo "uvmctl: $fails check(s) failed"
	exit 1
fi
echo "uvmctl: all checks passed"
