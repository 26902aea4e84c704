#!/bin/sh
# mmdebstrap customize hook of `ff image build` (src/image/): turns the unpacked Debian root into
# the fstests root image. Runs in mmdebstrap's namespace (root inside it), outside the chroot.
#
#   customize.sh ROOT SETTINGS
#
# ROOT is the chroot directory; SETTINGS a shell file setting:
#   FF_FSTESTS  the user's fstests checkout (copied without .git and results/)
#   FF_MODULES  the kernel's modules directory (copied to /lib/modules/FF_KVER)
#   FF_KCONFIG  the kernel's .config, or empty (mkinitramfs reads it for the initrd compression)
#   FF_PUBKEY   public key authorised for root
#   FF_OUT      directory the image (rootfs.raw) and the initrd (initrd.img) are written to
#   FF_SETUP    setup.sh, run inside the chroot; FF_FSTYP, FF_TEST_DEV, FF_SCRATCH_DEV, FF_KVER
#               and FF_JOBS are passed on to it
#   FF_SIZE_MB  the image size in MiB, or 0 for what the files need plus FF_FREE_MB
# Each step prints "ff-image: step NAME" first, so the caller can show progress.
set -eu
ROOT=$1
. "$2"
step() { echo "ff-image: step $1"; }

step copy
mkdir -p "$ROOT/usr/src/fstests" "$ROOT/lib/modules/$FF_KVER" "$ROOT/root/.ssh"
tar -C "$FF_FSTESTS" --exclude=./.git --exclude=./results -cf - . |
  tar -C "$ROOT/usr/src/fstests" --no-same-owner -xf -
# build and source point into the kernel tree on the host: not part of the image.
tar -C "$FF_MODULES" --exclude=./build --exclude=./source -cf - . |
  tar -C "$ROOT/lib/modules/$FF_KVER" --no-same-owner -xf -
if [ -n "$FF_KCONFIG" ]; then
  cp "$FF_KCONFIG" "$ROOT/boot/config-$FF_KVER"
else
  # mkinitramfs refuses to run without one; a gzip initrd is what every kernel can unpack.
  echo 'CONFIG_RD_GZIP=y' >"$ROOT/boot/config-$FF_KVER"
fi
cp "$FF_PUBKEY" "$ROOT/root/.ssh/authorized_keys"
cp "$FF_SETUP" "$ROOT/root/ff-setup.sh"

chroot "$ROOT" env FF_FSTYP="$FF_FSTYP" FF_TEST_DEV="$FF_TEST_DEV" \
  FF_SCRATCH_DEV="$FF_SCRATCH_DEV" FF_KVER="$FF_KVER" FF_JOBS="$FF_JOBS" sh /root/ff-setup.sh
rm -f "$ROOT/root/ff-setup.sh"

step disk
cp "$ROOT/boot/initrd.img-$FF_KVER" "$FF_OUT/initrd.img"
# mke2fs copies a directory tree; a bind mount of the root (in a mount namespace of its own, so
# nothing stays mounted whatever happens) shows it without the /dev, /proc and /sys mounted on it.
unshare --mount --propagation private sh -eu -c '
  root=$1 out=$2 size_mb=$3 free_mb=$4
  view=$out/root-view
  mkdir -p "$view"
  mount --bind "$root" "$view"
  if [ "$size_mb" -eq 0 ]; then
    used_kb=$(du -skx "$view" | cut -f1)
    size_mb=$((used_kb * 12 / 10 / 1024 + free_mb))
  fi
  mke2fs -q -F -t ext4 -L ff-root -d "$view" "$out/rootfs.raw" "${size_mb}M"
  umount "$view"
  rmdir "$view"
' sh "$ROOT" "$FF_OUT" "$FF_SIZE_MB" "$FF_FREE_MB"
