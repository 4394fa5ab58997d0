#!/usr/bin/env bash
# scripts/qemu-boot's own options reach qemu's command line (make test-harness): a
# stand-in qemu-system-x86_64 (and qemu-system-aarch64) on PATH records its arguments and
# exits, so nothing boots. Each architecture's machine, console and firmware (scripts/arch.sh).
# ACCEL=kvm cannot run a guest on the development machines (nested: the kernel hangs in
# its decompression), so only the flags are checked here.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=tests/checks.sh
. tests/checks.sh

mkdir "$tmp/bin"
cat >"$tmp/bin/qemu-system-x86_64" <<'QEMU'
#!/bin/sh
printf '%s\n' "$@" >"$QEMU_ARGS_OUT"
QEMU
chmod +x "$tmp/bin/qemu-system-x86_64"
cp "$tmp/bin/qemu-system-x86_64" "$tmp/bin/qemu-system-aarch64"
export ARCH=x86_64
: >"$tmp/vmlinuz"
: >"$tmp/initrd"
run() { # run OUT [ENV...] -- ARGS: qemu-boot with the stand-in, its arguments in OUT
	local out=$1
	shift
	env QEMU_ARGS_OUT="$out" PATH="$tmp/bin:$PATH" "$@" scripts/qemu-boot -t 10 \
		-k "$tmp/vmlinuz" -i "$tmp/initrd" >/dev/null 2>&1 || true
}
# the arguments as one line, for whole-sequence matches
line() { tr '\n' ' ' <"$1"; }

run "$tmp/default"
case " $(line "$tmp/default")" in *" -accel tcg "*) ok ;; *) bad "default accel is not tcg: $(line "$tmp/default")" ;; esac
run "$tmp/kvm" ACCEL=kvm
case " $(line "$tmp/kvm")" in *" -accel kvm "*) ok ;; *) bad "ACCEL=kvm not passed: $(line "$tmp/kvm")" ;; esac
run "$tmp/extra" QEMU_EXTRA="-icount shift=0,sleep=off -device foo"
case " $(line "$tmp/extra")" in
*" -icount shift=0,sleep=off -device foo "*) ok ;;
*) bad "QEMU_EXTRA not passed word by word: $(line "$tmp/extra")" ;;
esac
# the architecture's machine, console and firmware
qboot=
[ ! -f /usr/share/qemu/qboot.rom ] || qboot=" -bios /usr/share/qemu/qboot.rom"
case " $(line "$tmp/default")" in
*" -M pc$qboot -accel "*"console=ttyS0 "*) ok ;;
*) bad "x86_64: not -M pc, qboot, ttyS0: $(line "$tmp/default")" ;;
esac
run "$tmp/arm64" ARCH=arm64
case " $(line "$tmp/arm64")" in
*" -M virt -cpu max,pauth-impdef=on -accel tcg "*"console=ttyAMA0 "*) ok ;;
*) bad "arm64: not -M virt -cpu max,pauth-impdef=on, ttyAMA0, no firmware: $(line "$tmp/arm64")" ;;
esac
rc=0
ARCH=arm64 scripts/qemu-boot -k "$tmp/vmlinuz" -i "$tmp/initrd" --cad-on x 2>"$tmp/err" || rc=$?
if [ "$rc" = 2 ] && grep -q 'no keyboard' "$tmp/err"; then ok
else bad "arm64 --cad-on: rc $rc, stderr $(cat "$tmp/err")"; fi

rc=0
ACCEL=hvf scripts/qemu-boot -k "$tmp/vmlinuz" -i "$tmp/initrd" 2>"$tmp/err" || rc=$?
if [ "$rc" = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ] && grep -q 'ACCEL=hvf' "$tmp/err"; then ok
else bad "ACCEL=hvf: rc $rc, stderr $(cat "$tmp/err")"; fi
summary harness
