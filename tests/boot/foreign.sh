#!/usr/bin/env bash
# uvminit dropped into images it did not build (make test-foreign; docs/image.md).
#
# Each image is made the ordinary way, without scripts/mkinitrd: a staging directory
# with busybox, an /init that is not ours (it prints FOREIGN-INIT and powers off), a
# stub /bin/vsockexec (it prints FOREIGN-VSOCKEXEC), the probe as /bin/gcs, and what
# docs/image.md tells a user to add: the vsock modules with their list in
# /etc/uvminit/modules. Then our drop-in goes on top and the image boots under qemu with
# hcsshim's command line; our init must have run (its boot record reaches the probe),
# the foreign programs never, the agent's flags unchanged, and the VM powered off.
#
#   plain:  `find . | cpio -o -H newc | gzip`, /dev/console in it, /init a symlink, then
#           `cat foreign.img build/uvminit-overlay.cpio.gz`
#   merged: a usr-merged tree (/bin -> usr/bin, /lib -> usr/lib) with no /dev at all,
#           as a base tar; hcsshim's bootfiles flow extracts it and
#           build/uvminit-delta.tar.gz into one directory with GNU tar's defaults
#           (hack/catcpio.sh), and packs it as cpio
#
#   console: the plain image with a missing module listed and an invalid parameter:
#           each warning once on the console (with and without `quiet`)
#   early:  the console image with /proc a file: the mount fails before /proc is
#           there (init cannot read console_loglevel yet); each error once
#
# T=90 s timeout per VM; console logs kept in $O/boot-tests/foreign.PID/.
set -euo pipefail

O=${O:-build}
T=${T:-90}
export O
cd "$(dirname "$0")/../.."
# shellcheck source=tests/boot/lib.sh
. tests/boot/lib.sh

[ "$(id -u)" = 0 ] || { echo "test-foreign: needs root (device nodes in the image)"; exit 1; }
for f in "$O/uvminit-overlay.cpio.gz" "$O/uvminit-delta.tar.gz" "$O/probe" "$O/kernel/vmlinuz"; do
	[ -f "$f" ] || { echo "test-foreign: $f missing (make overlay delta kernel)"; exit 1; }
done
BUSYBOX=${BUSYBOX:-/bin/busybox}

run_dir foreign
trap 'rm -rf "$DIR/plain" "$DIR/merged" "$DIR/cat" "$DIR"/*.img' EXIT

AGENT=(/bin/gcs -v4 -log-format json -loglevel debug -scrub-logs=false)
# hcsshim's shape (internal/uvm/create_lcow.go, with a console pipe)
PARAMS=(8250_core.nr_uarts=1 8250_core.skip_txen_test=1 nr_cpus=2 brd.rd_nr=0)
INITARGS=(-e 1 /bin/vsockexec -e 109 "${AGENT[@]}")

# stage ROOT BINDIR: the foreign tree; BINDIR holds the programs (bin, or usr/bin)
stage() {
	local root=$1 bin=$2
	mkdir -p "$root/$bin" "$root/etc/uvminit" "$root/usr/lib/modules"
	cp "$BUSYBOX" "$root/$bin/busybox"
	for a in sh echo poweroff; do ln -s busybox "$root/$bin/$a"; done
	printf '#!/bin/sh\necho FOREIGN-INIT\npoweroff -f\n' >"$root/init"
	printf '#!/bin/sh\necho FOREIGN-VSOCKEXEC\nexit 1\n' >"$root/$bin/vsockexec"
	chmod 755 "$root/init" "$root/$bin/vsockexec"
	cp "$O/probe" "$root/$bin/gcs"
	# what docs/image.md asks for: the modules and their load order
	while read -r ko; do
		[ -n "$ko" ] || continue
		cp "$O/kernel/modules/$ko" "$root/usr/lib/modules/"
		echo "/lib/modules/$ko"
	done <"$O/kernel/modules.order" >"$root/etc/uvminit/modules"
}
pack() { (cd "$1" && find . | cpio -o -H newc -R 0:0 --quiet); }

# plain: an initrd with the overlay appended
mkdir -p "$DIR/plain"
stage "$DIR/plain" bin
mv "$DIR/plain/usr/lib" "$DIR/plain/lib"
# dracut-style: /init a symlink (the kernel replaces an entry of another type)
mv "$DIR/plain/init" "$DIR/plain/bin/foreign-init"
ln -s bin/foreign-init "$DIR/plain/init"
mkdir "$DIR/plain/dev"
mknod -m 600 "$DIR/plain/dev/console" c 5 1
pack "$DIR/plain" | gzip >"$DIR/plain.img"
cat "$DIR/plain.img" "$O/uvminit-overlay.cpio.gz" >"$DIR/plain-uvm.img"
# console: the same with a list naming a missing module first, booted with an invalid
# uvminit.migratable: each warning must reach the console once (the kernel echoes kmsg
# lines below its console_loglevel, init writes the others); /dev/kmsg in the image, so
# even a line logged before devtmpfs is mounted reaches kmsg and the kernel's echo
sed -i '1i /lib/modules/absent.ko' "$DIR/plain/etc/uvminit/modules"
mknod -m 644 "$DIR/plain/dev/kmsg" c 1 11
pack "$DIR/plain" | gzip | cat - "$O/uvminit-overlay.cpio.gz" >"$DIR/console-uvm.img"
cp "$DIR/console-uvm.img" "$DIR/console-quiet-uvm.img"
printf 'not a directory\n' >"$DIR/plain/proc"
pack "$DIR/plain" | gzip | cat - "$O/uvminit-overlay.cpio.gz" >"$DIR/early-uvm.img"

# merged: base tar + delta tar, extracted together, packed as cpio (hcsshim's flow)
mkdir -p "$DIR/merged"
stage "$DIR/merged" usr/bin
ln -s usr/bin "$DIR/merged/bin"
ln -s usr/lib "$DIR/merged/lib"
tar -czf "$DIR/base.tar.gz" -C "$DIR/merged" .
mkdir "$DIR/cat"
tar -xf "$DIR/base.tar.gz" -C "$DIR/cat"
tar -xf "$O/uvminit-delta.tar.gz" -C "$DIR/cat"
pack "$DIR/cat" | gzip >"$DIR/merged-uvm.img"

boot() { # boot NAME [PARAM...]
	local name=$1
	shift
	scripts/qemu-boot -t "$T" -i "$DIR/$name-uvm.img" -l "$DIR/$name.log" "${PARAMS[@]}" \
		"$@" -- "${INITARGS[@]}" >"$DIR/$name.log.boot" 2>&1 || true
}
echo "booting 5 foreign images, 2 at a time"
boot plain &
boot merged &
wait
boot console uvminit.migratable=maybe &
boot console-quiet quiet uvminit.migratable=maybe &
wait
boot early

nmod=$(grep -c . "$O/kernel/modules.order")
for name in plain merged; do
	load_log "$name" "$DIR/$name.log"
	agent_ran
	t "our init ran (boot record present)" fact "boot.mode=verbatim"
	t "the foreign /init never ran" bash -c "! grep -q FOREIGN-INIT '$LOGF'"
	t "the foreign vsockexec never ran" bash -c "! grep -q FOREIGN-VSOCKEXEC '$LOGF'"
	t "boot record: the command as given" boot_argv_is /bin/vsockexec -e 109 "${AGENT[@]}"
	t "agent argv byte for byte" argv_is "${AGENT[@]}"
	t "the image's $nmod modules loaded from its list" fact "boot.modules_loaded=$nmod"
	agent_clean ""
done
load_log merged "$DIR/merged.log"
t "the delta kept /bin -> usr/bin" [ "$(readlink "$DIR/cat/bin")" = usr/bin ]
t "our vsockexec landed in usr/bin" cmp -s "$DIR/cat/usr/bin/vsockexec" "$O/vsockexec"

# on_console TEXT: how many console lines (not the probe's) hold TEXT
on_console() { grep -vE '^(PROBE|HOST) ' "$LOGF" | grep -cF -- "$1" || true; }
MODWARN="uvminit: warning: module /lib/modules/absent.ko: No such file or directory"
BADWARN="uvminit: warning: uvminit.migratable=maybe: not a boolean"
load_log console "$DIR/console.log"
agent_ran
mode_is direct
t "the module loader's warning once on the console" [ "$(on_console "$MODWARN")" = 1 ]
t "the invalid parameter's warning once on the console" [ "$(on_console "$BADWARN")" = 1 ]
t "the $nmod present modules loaded" fact "boot.modules_loaded=$nmod"
load_log console-quiet "$DIR/console-quiet.log"
agent_ran
t "quiet: the invalid parameter's warning once on the console" [ "$(on_console "$BADWARN")" = 1 ]
t "quiet: the module loader's warning once on the console" [ "$(on_console "$MODWARN")" = 1 ]
load_log early "$DIR/early.log"
t "init gave up and powered off" boot_result failed
t "no kernel panic" no_panic
t "the failed mount (before /proc) once on the console" \
	[ "$(on_console "uvminit: error: mount /proc: Not a directory")" = 1 ]
t "the boot's end once on the console" [ "$(on_console "uvminit: error: boot failed; powering off")" = 1 ]
t "the agent never ran" no_fact_prefix pid=

printf 'test-foreign: 5 images, %d checks passed, %d failed\n' "$PASS" "$FAIL"
if [ "$FAIL" -gt 0 ]; then
	printf 'failed (logs in %s): %s\n' "$DIR" "${FAILED_SCENARIOS[*]}"
	exit 1
fi
