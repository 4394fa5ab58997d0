#!/usr/bin/env bash
# The initrd builder: reproducible, complete, and strict about its arguments.
# Run by `make test-initrd` (needs build/init, build/vsockexec, build/probe, the kernel);
# ARCH=arm64 (make ARCH=arm64 test-initrd): the same on build/arm64, and the image's
# programs must all be AArch64.
set -euo pipefail

ARCH=${ARCH:-x86_64}
# shellcheck source=scripts/paths.sh
. scripts/paths.sh # O, CACHE
export O ARCH
MK=scripts/mkinitrd
# shellcheck source=tests/boot/check.sh
. tests/boot/check.sh
listing() { zcat "$1" | cpio -itv --quiet 2>/dev/null; }

# Byte-identical across rebuilds, whatever the inputs' mtimes and the umask.
$MK -o "$tmp/a.img" 2>"$tmp/a.err"
check "the static demo agent: no warning" [ ! -s "$tmp/a.err" ]
# The same inputs copied elsewhere, with other mtimes and modes, built under umask 077.
mkdir -p "$tmp/o/kernel"
cp "$O/init" "$O/vsockexec" "$O/probe" "$tmp/o/"
cp -r "$O/kernel/modules" "$O/kernel/modules.order" "$O/kernel/modules.extra" "$tmp/o/kernel/"
chmod 700 "$tmp/o/init" "$tmp/o/probe"
touch -d '2001-02-03' "$tmp/o/init" "$tmp/o/kernel/modules/vsock.ko"
(umask 077 && O=$tmp/o $MK -o "$tmp/b.img")
check "two builds are byte-identical" cmp -s "$tmp/a.img" "$tmp/b.img"
SOURCE_DATE_EPOCH=1000000000 $MK -o "$tmp/c.img"
check "SOURCE_DATE_EPOCH changes the stamps" bash -c "! cmp -s '$tmp/a.img' '$tmp/c.img'"
check "SOURCE_DATE_EPOCH is what the entries carry" \
	bash -c "zcat '$tmp/c.img' | cpio -itv --quiet 2>/dev/null | grep -q ' Sep  9  2001 init$'"
check "gzip header carries no name and no time" \
	bash -c "[ \"\$(od -An -tx1 -j3 -N5 '$tmp/a.img' | tr -d ' ')\" = 0000000000 ]"

L=$tmp/a.list
listing "$tmp/a.img" >"$L"
has() { grep -qE -- "$1" "$L"; }
check "/init is build/init" has '^-rwxr-xr-x +1 root +root +[0-9]+ .* init$'
check "/bin/vsockexec" has ' bin/vsockexec$'
check "/bin/gcs (the demo agent)" has ' bin/gcs$'
check "busybox and its applets" has ' bin/sh -> /bin/busybox$'
check "/dev/console is char 5:1" has '^crw------- +1 root +root +5, +1 .* dev/console$'
check "/dev/null is char 1:3" has '^crw-rw-rw- +1 root +root +1, +3 .* dev/null$'
check "/dev/kmsg is char 1:11" has '^crw-r--r-- +1 root +root +1, +11 .* dev/kmsg$'
for d in proc sys dev run tmp etc var; do
	check "mount point /$d" has "^drwxr-xr-x .* $d\$"
done
check "everything owned by root" bash -c "! grep -vE '^[^ ]+ +[0-9]+ root +root ' '$L'"
check "no entry listed twice" bash -c "[ -z \"\$(awk '{ print (\$(NF-1) == \"->\") ? \$(NF-2) : \$NF }' '$L' | sort | uniq -d)\" ]"

mkdir "$tmp/x" && (cd "$tmp/x" && zcat "$tmp/a.img" | cpio -id --quiet 2>/dev/null)
check "/init matches build/init" cmp -s "$tmp/x/init" "$O/init"
check "/bin/gcs defaults to build/probe" cmp -s "$tmp/x/bin/gcs" "$O/probe"
mods=$(grep -v '^#' "$tmp/x/etc/uvminit/modules" | tr '\n' ' ')
check "module list in dependency order" [ "$mods" = \
	"/lib/modules/vsock.ko /lib/modules/vmw_vsock_virtio_transport_common.ko /lib/modules/vsock_loopback.ko " ]
check "overlay.ko shipped for -w, not loaded at boot" test -s "$tmp/x/lib/modules/overlay.ko"
for m in $mods; do
	check "module $m is in the image" test -s "$tmp/x$m"
done

# --gcs and --add
printf '#!/bin/sh\necho mine\n' >"$tmp/mine"
chmod 750 "$tmp/mine"
printf 'conf\n' >"$tmp/conf"
chmod 640 "$tmp/conf"
$MK -o "$tmp/d.img" --gcs "$tmp/mine" --add "$tmp/conf:/etc/deep/dir/conf" --add "$tmp/mine:/bin/ls" \
	2>"$tmp/d.err"
check "a #!/bin/sh agent (busybox sh in the image): no warning" [ ! -s "$tmp/d.err" ]
listing "$tmp/d.img" >"$tmp/d.list"
mkdir "$tmp/y" && (cd "$tmp/y" && zcat "$tmp/d.img" | cpio -id --quiet 2>/dev/null)
check "--gcs puts the file at /bin/gcs" cmp -s "$tmp/y/bin/gcs" "$tmp/mine"
check "--add keeps the mode" grep -qE '^-rw-r----- .* etc/deep/dir/conf$' "$tmp/d.list"
check "--add creates parent directories" grep -qE '^d.* etc/deep/dir$' "$tmp/d.list"
check "--add replaces an applet link" grep -qE '^-rwxr-x--- .* bin/ls$' "$tmp/d.list"

# An agent that cannot run in the image: built anyway, with one warning naming why.
warns() { # warns NAME WANT MKINITRD-ARGS...: exit 0, an image, one warning line with WANT
	local name=$1 want=$2 out
	shift 2
	rm -f "$tmp/w.img"
	if ! out=$($MK -o "$tmp/w.img" "$@" 2>&1 >/dev/null); then
		bad "$name (failed: $out)"
	elif [ -s "$tmp/w.img" ] && [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] &&
		grep -qF -- "mkinitrd: warning: " <<<"$out" && grep -qF -- "$want" <<<"$out"; then
		ok "$name: $out"
	else
		bad "$name: [$out]"
	fi
}
# this machine's dynamic programs are x86_64: on arm64 they are the other machine's
dyn=$(type -P true)
interp=$(readelf -lW "$dyn" | sed -n 's/.*Requesting program interpreter: \(.*\)]$/\1/p')
if [ "$ARCH" = x86_64 ]; then
	warns "a dynamic agent: its interpreter is named" "interpreter $interp is not in the image" \
		--gcs "$dyn"
	other=$CACHE/busybox-arm64/root/bin/busybox # static, AArch64 (scripts/deps)
	warns "an agent built for another machine" "built for AArch64, the image is x86_64" \
		--gcs "$other"
else
	warns "an agent built for another machine" "built for Advanced Micro Devices X86-64, the image is arm64" \
		--gcs /bin/busybox
	machine() { readelf -hW "$1" | sed -n 's/^ *Machine: *//p'; }
	for f in init bin/vsockexec bin/gcs bin/busybox; do
		check "/$f is AArch64" [ "$(machine "$tmp/x/$f")" = AArch64 ]
	done
fi
printf 'not a program\n' >"$tmp/text"
warns "a text file as the agent" "not an ELF executable or a #! script" --gcs "$tmp/text"
printf '#!/usr/bin/python3\n' >"$tmp/py"
warns "a script whose interpreter is missing" "its interpreter /usr/bin/python3 is not" \
	--gcs "$tmp/py"
if [ "$ARCH" = x86_64 ]; then
	$MK -o "$tmp/w.img" --gcs "$dyn" --add "$interp:$interp" 2>"$tmp/w.err"
	check "a dynamic agent with its interpreter added: no warning" [ ! -s "$tmp/w.err" ]
fi

# From any directory: the build directory is found from the script's own place.
root=$PWD
check "mkinitrd run from elsewhere" bash -c "cd '$tmp' && '$root/$MK' -o '$tmp/f.img' && cmp -s '$tmp/f.img' '$tmp/a.img'"

# The drop-ins (make overlay, make delta): our two binaries, nothing else, reproducibly.
$MK --overlay -o "$tmp/a.cpio.gz"
(umask 077 && O=$tmp/o $MK --overlay -o "$tmp/b.cpio.gz")
check "overlay: two builds are byte-identical" cmp -s "$tmp/a.cpio.gz" "$tmp/b.cpio.gz"
$MK --delta -o "$tmp/a.tar.gz"
(umask 077 && O=$tmp/o $MK --delta -o "$tmp/b.tar.gz")
check "delta: two builds are byte-identical" cmp -s "$tmp/a.tar.gz" "$tmp/b.tar.gz"
for f in a.cpio.gz a.tar.gz; do
	check "$f: gzip header carries no name and no time" \
		bash -c "[ \"\$(od -An -tx1 -j3 -N5 '$tmp/$f' | tr -d ' ')\" = 0000000000 ]"
done
listing "$tmp/a.cpio.gz" >"$tmp/ov.list"
tar -tvzf "$tmp/a.tar.gz" >"$tmp/delta.list"
check "overlay: exactly /init and /bin/vsockexec, 0755 root, stamped" [ "$(awk '{ print $1, $3, $4, $NF }' "$tmp/ov.list")" = \
	"$(printf '%s\n' '-rwxr-xr-x root root bin/vsockexec' '-rwxr-xr-x root root init')" ]
check "overlay: the same stamp as the initrd" bash -c "! grep -v ' Jan  1  2024 ' '$tmp/ov.list'"
check "delta: exactly init and bin/vsockexec (no bin/ entry), 0755 0/0, stamped" [ "$(awk '{ print $1, $2, $4, $NF }' "$tmp/delta.list")" = \
	"$(printf '%s\n' '-rwxr-xr-x 0/0 2024-01-01 bin/vsockexec' '-rwxr-xr-x 0/0 2024-01-01 init')" ]
mkdir "$tmp/ov" && (cd "$tmp/ov" && zcat "$tmp/a.cpio.gz" | cpio -id --quiet 2>/dev/null)
check "overlay: /init is build/init" cmp -s "$tmp/ov/init" "$O/init"
check "overlay: /bin/vsockexec is build/vsockexec" cmp -s "$tmp/ov/bin/vsockexec" "$O/vsockexec"
# GNU tar's default extraction (hcsshim's hack/catcpio.sh) onto a usr-merged rootfs.
mkdir -p "$tmp/um/usr/bin" && ln -s usr/bin "$tmp/um/bin"
tar -xzf "$tmp/a.tar.gz" -C "$tmp/um"
check "delta on /bin -> usr/bin: the link kept" [ "$(readlink "$tmp/um/bin")" = usr/bin ]
check "delta on /bin -> usr/bin: vsockexec in usr/bin" cmp -s "$tmp/um/usr/bin/vsockexec" "$O/vsockexec"
check "delta: /init is build/init" cmp -s "$tmp/um/init" "$O/init"

# Bad arguments: one line, non-zero exit, no image.
badarg() { # badarg NAME ARGS...
	local name=$1 out
	shift
	if out=$($MK "$@" 2>&1); then
		bad "$name (succeeded)"
	elif [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] && [ ! -e "$tmp/e.img" ]; then
		ok "$name: $out"
	else
		bad "$name: $out"
	fi
}
badarg "missing -o" --gcs "$tmp/mine"
badarg "missing agent" -o "$tmp/e.img" --gcs "$tmp/nope"
badarg "--add without DEST" -o "$tmp/e.img" --add "$tmp/conf"
badarg "--add relative DEST" -o "$tmp/e.img" --add "$tmp/conf:etc/conf"
badarg "unknown option" -o "$tmp/e.img" --frobnicate
badarg "--gcs with --overlay" --overlay -o "$tmp/e.img" --gcs "$tmp/mine"

# mkcpio itself: a bad spec line is named.
if out=$(printf 'nod /dev/x 600 q 1 1\n' | "$O/tools/mkcpio" 2>&1 >/dev/null); then
	bad "mkcpio accepts a bad device type"
else
	check "mkcpio names the bad line ($out)" grep -q -- '-:1: device type' <<<"$out"
fi

[ "$fails" = 0 ] || { echo "test-initrd: $fails failed"; exit 1; }
echo "test-initrd: all passed"
