# shellcheck shell=bash disable=SC2034
# The guest architecture's facts, in one place: sourced by scripts/deps, scripts/kernel,
# scripts/mkinitrd and scripts/qemu-boot (and through them every boot test and bench);
# the Makefile's "architecture" block reads GUEST_CC and QEMU_USER (its RUN_GUEST) from
# here and holds the rest of the toolchain (strip, link flags, cache names).
# ARCH (x86_64, the default, or arm64; amd64, x86 and aarch64 are accepted) picks the set.
#
#   GUEST_CC      the compiler of the shipped static musl binaries
#   DEB_ARCH      Debian's name: the kernel package's suffix, the :ARCH of a package
#   KERNEL_PIN    the pinned test kernel (Debian linux-image, the same version on both)
#   QEMU          the system emulator; QEMU_MACHINE its machine and CPU options
#   CONSOLE       the serial console the guest writes to
#   QEMU_USER     the user-mode emulator that runs a guest binary on this machine (tests
#                 only, fenced: see tests/fence.sh), empty for the host's own arch
ARCH=${ARCH:-x86_64}
case $ARCH in
x86_64 | amd64 | x86)
	ARCH=x86_64 DEB_ARCH=amd64 GUEST_CC=musl-gcc
	QEMU=qemu-system-x86_64 QEMU_MACHINE=(-M pc) CONSOLE=ttyS0
	QEMU_USER=''
	;;
arm64 | aarch64)
	ARCH=arm64 DEB_ARCH=arm64
	GUEST_CC="aarch64-linux-gnu-gcc -specs /usr/lib/aarch64-linux-musl/musl-gcc.specs"
	# pauth-impdef: the CPU's pointer authentication by an implementation-defined
	# algorithm (the architecture allows it) instead of QARMA, which TCG computes slowly
	# and the kernel uses at every function return: the demo boot 16 s -> 5 s wall,
	# init's boot 139 -> 77 ms; nothing a guest can tell apart but the PAC bits' values
	# shellcheck disable=SC2054 # the comma is -cpu's, inside one word
	QEMU=qemu-system-aarch64 QEMU_MACHINE=(-M virt -cpu max,pauth-impdef=on) CONSOLE=ttyAMA0
	QEMU_USER=qemu-aarch64-static
	;;
*)
	printf '%s: ARCH=%s: not x86_64 or arm64\n' "${0##*/}" "$ARCH" >&2
	exit 2
	;;
esac
KERNEL_PIN=linux-image-6.1.0-56-$DEB_ARCH
export ARCH
