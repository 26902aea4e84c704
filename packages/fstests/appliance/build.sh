#!/bin/sh
# Build the fast-fstests test appliance: a cpio.gz initramfs made from the host's installed
# Debian packages (the kernel from linux-image-amd64, busybox-static, dropbear-bin, the
# virtio modules it needs) plus an fstests-shaped suite at /var/lib/xfstests.
#
#   build.sh OUTDIR
#
# Writes OUTDIR/initrd.cpio.gz, OUTDIR/rootfs.ext4 (the same system as a root disk image),
# OUTDIR/id_ed25519{,.pub} (the SSH key for root), the guest's host key
# OUTDIR/host_ed25519{,.pub} and OUTDIR/appliance.json, and prints that JSON.
# Idempotent: keys are kept, the images are rebuilt only when an input changed.
#
# Booting from the disk: pass rootfs.ext4 as a virtio drive with `root=/dev/vda` on the kernel
# command line and keep the initrd; like a distribution's initramfs, it loads the ext4 modules
# (Debian builds them as modules), mounts the root disk and switches to it.
#
# Settings (environment):
#   FF_APPLIANCE_KERNEL   kernel image (default: newest /boot/vmlinuz-*)
#   FF_APPLIANCE_MODULES  modules to load at boot, dependencies added from modules.dep
#                         (default: "virtio_pci virtio_net virtio_blk virtio_rng")
#   FF_APPLIANCE_SUITE    host directory holding the suite (default: the project's fixture tree
#                         test/fixtures/fstests when it has a `check`, else appliance/suite)
set -eu

die() {
  echo "build.sh: $*" >&2
  exit 1
}

[ $# -eq 1 ] || die "usage: build.sh OUTDIR"
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$1"
OUT=$(cd "$1" && pwd)
case "$OUT" in *'"'* | *'\'*) die "OUTDIR must not contain quotes or backslashes: $OUT" ;; esac

need() {
  command -v "$1" >/dev/null 2>&1 || die "missing command '$1' (install the Debian package $2)"
}
need busybox busybox-static
need dropbear dropbear-bin
need dropbearkey dropbear-bin
need ssh-keygen openssh-client
need cpio cpio
need gzip gzip
need sha256sum coreutils
need mke2fs e2fsprogs
need debugfs e2fsprogs

KERNEL=${FF_APPLIANCE_KERNEL:-$(ls /boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1)}
[ -n "$KERNEL" ] && [ -r "$KERNEL" ] ||
  die "no readable kernel at '${KERNEL:-/boot/vmlinuz-*}' (install linux-image-amd64)"
KVER=${KERNEL##*/vmlinuz-}
MODDIR=/lib/modules/$KVER
[ -r "$MODDIR/modules.dep" ] || die "no $MODDIR/modules.dep for kernel $KERNEL"
MODULES=${FF_APPLIANCE_MODULES:-virtio_pci virtio_net virtio_blk virtio_rng}
# Loaded only when booting from a root disk (`root=` on the kernel command line).
ROOT_MODULES="crc32c_generic ext4" # ext4 needs crc32c (a soft dependency, not in modules.dep)
BUSYBOX=$(command -v busybox)
DROPBEAR=$(command -v dropbear)
SFTP_SERVER=/usr/lib/openssh/sftp-server

SUITE=${FF_APPLIANCE_SUITE:-$HERE/../test/fixtures/fstests}
[ -f "$SUITE/check" ] || die "suite '$SUITE' has no check script"
SUITE=$(cd "$SUITE" && pwd)

# One build at a time per OUTDIR (parallel test workers share a cache directory).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$OUT/.lock"
  flock 9
fi

# Keys survive rebuilds: a client's key and the guest's host key stay valid.
[ -f "$OUT/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C ff-appliance -f "$OUT/id_ed25519"
if [ ! -f "$OUT/host_ed25519" ]; then
  dropbearkey -t ed25519 -f "$OUT/host_ed25519" >/dev/null 2>&1
fi
dropbearkey -y -f "$OUT/host_ed25519" | grep '^ssh-' | cut -d' ' -f1,2 >"$OUT/host_ed25519.pub"

# Modules in load order: every dependency (from modules.dep) before its user, built-ins skipped.
#   module_order "MODULE..." [ALREADY_LOADED_PATHS]
module_order() {
  awk -v want="$1" -v loaded="${2:-}" -v builtin="$MODDIR/modules.builtin" '
    function norm(p, n) { n = p; sub(/.*\//, "", n); sub(/\.ko(\..*)?$/, "", n); gsub(/-/, "_", n); return n }
    function visit(p, n, i, a) {
      if (p in done) return
      done[p] = 1
      n = split(deps[p], a, " ")
      for (i = n; i >= 1; i--) visit(a[i])
      print p
    }
    { key = $1; sub(/:$/, "", key); path[norm(key)] = key; deps[key] = ""
      for (i = 2; i <= NF; i++) deps[key] = deps[key] " " $i }
    END {
      while ((getline line < builtin) > 0) isbuiltin[norm(line)] = 1
      n = split(loaded, l, "\n")
      for (i = 1; i <= n; i++) done[l[i]] = 1
      n = split(want, w, " ")
      for (i = 1; i <= n; i++) {
        m = w[i]; gsub(/-/, "_", m)
        if (m in path) visit(path[m])
        else if (!(m in isbuiltin)) { print "unknown module " m > "/dev/stderr"; exit 3 }
      }
    }' "$MODDIR/modules.dep"
}
MODLIST=$(module_order "$MODULES") || die "cannot resolve modules '$MODULES' in $MODDIR/modules.dep"
ROOT_MODLIST=$(module_order "$ROOT_MODULES" "$MODLIST") ||
  die "cannot resolve modules '$ROOT_MODULES' in $MODDIR/modules.dep"

GUEST_FILES=$(find "$HERE/guest" "$SUITE" -path "$SUITE/results" -prune -o -type f -print | LC_ALL=C sort)
FINGERPRINT=$(
  {
    echo "$KERNEL $KVER $MODULES"
    echo "$MODLIST"
    echo "$ROOT_MODLIST"
    # shellcheck disable=SC2086 # word splitting of the file lists is intended
    sha256sum "$HERE/build.sh" "$KERNEL" "$BUSYBOX" "$DROPBEAR" /usr/bin/dmesg "$OUT/id_ed25519.pub" "$OUT/host_ed25519" \
      $(printf '%s\n%s\n' "$MODLIST" "$ROOT_MODLIST" | sed "s#^#$MODDIR/#") $GUEST_FILES | cut -d' ' -f1
  } | sha256sum | cut -d' ' -f1
)

print_json() {
  cat "$OUT/appliance.json"
}
if [ -f "$OUT/initrd.cpio.gz" ] && [ -f "$OUT/rootfs.ext4" ] && [ -f "$OUT/appliance.json" ] &&
  [ "$(cat "$OUT/fingerprint" 2>/dev/null)" = "$FINGERPRINT" ]; then
  print_json
  exit 0
fi

STAGE=$(mktemp -d "$OUT/.stage.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT INT TERM

# Copy an executable and the shared libraries it needs (as ldd resolves them) into the stage.
copy_exe() {
  mkdir -p "$STAGE/$(dirname "$2")"
  cp -L "$1" "$STAGE/$2"
  for lib in $(ldd "$1" 2>/dev/null | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^\//) print $i }'); do
    [ -e "$STAGE$lib" ] && continue
    mkdir -p "$STAGE$(dirname "$lib")"
    cp -L "$lib" "$STAGE$lib"
  done
}

cd "$STAGE"
mkdir -p bin sbin usr/bin usr/sbin usr/lib etc/dropbear root/.ssh proc sys dev tmp run mnt \
  var/lib "lib/modules/$KVER"
cp "$BUSYBOX" bin/busybox
"$BUSYBOX" --list-full | while read -r applet; do
  case "$applet" in */*) [ -e "$applet" ] || ln -s /bin/busybox "$applet" ;; esac
done
copy_exe "$DROPBEAR" usr/sbin/dropbear
[ -x "$SFTP_SERVER" ] && copy_exe "$SFTP_SERVER" usr/lib/sftp-server
# util-linux dmesg: `dmesg -W` (follow new messages) is how fast-fstests traces the kernel log per
# test; busybox's dmesg has no -W.
if [ -x /usr/bin/dmesg ]; then
  copy_exe /usr/bin/dmesg usr/bin/dmesg
fi

printf '%s\n%s\n' "$MODLIST" "$ROOT_MODLIST" | while read -r mod; do
  mkdir -p "lib/modules/$KVER/$(dirname "$mod")"
  case "$mod" in
    *.ko) cp "$MODDIR/$mod" "lib/modules/$KVER/$mod" ;;
    *.ko.xz) xz -dc "$MODDIR/$mod" >"lib/modules/$KVER/${mod%.xz}" ;;
    *.ko.zst) zstd -qdc "$MODDIR/$mod" >"lib/modules/$KVER/${mod%.zst}" ;;
    *.ko.gz) gzip -dc "$MODDIR/$mod" >"lib/modules/$KVER/${mod%.gz}" ;;
    *) die "unsupported module file $mod" ;;
  esac
done
echo "$MODLIST" | sed -e "s#^#$KVER/#" -e 's#\.ko\..*$#.ko#' >etc/ff-modules
echo "$ROOT_MODLIST" | sed -e "s#^#$KVER/#" -e 's#\.ko\..*$#.ko#' >etc/ff-root-modules

cp "$HERE/guest/init" init
chmod 755 init
cp "$HERE/guest/inittab" etc/inittab
echo 'root:x:0:0:root:/root:/bin/sh' >etc/passwd
echo 'root:x:0:' >etc/group
echo '/bin/sh' >etc/shells
echo 'ff-appliance' >etc/hostname
echo 'export PATH=/usr/sbin:/usr/bin:/sbin:/bin' >etc/profile
printf 'ff-appliance %s kernel %s\n' "$FINGERPRINT" "$KVER" >etc/ff-appliance
cp "$OUT/host_ed25519" etc/dropbear/dropbear_ed25519_host_key
cp "$OUT/id_ed25519.pub" root/.ssh/authorized_keys
chmod 700 root root/.ssh
chmod 600 root/.ssh/authorized_keys etc/dropbear/dropbear_ed25519_host_key
mknod -m 600 dev/console c 5 1 2>/dev/null || true

# The suite, plus the appliance-only tests (panic, hang, dmesg) that never exist on the host.
cp -R "$SUITE" var/lib/xfstests
rm -rf var/lib/xfstests/results
for t in $(cd "$HERE/guest/tests" && find . -type f | LC_ALL=C sort); do
  [ -e "var/lib/xfstests/tests/$t" ] && die "appliance test $t collides with the suite's"
  mkdir -p "var/lib/xfstests/tests/$(dirname "$t")"
  cp "$HERE/guest/tests/$t" "var/lib/xfstests/tests/$t"
done

# A host-side copy of the guest's suite, for collecting tests (`ff` reads groups locally).
rm -rf "$OUT/suite.tmp"
cp -R var/lib/xfstests "$OUT/suite.tmp"
rm -rf "$OUT/suite"
mv "$OUT/suite.tmp" "$OUT/suite"

find . -print | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -1 >"$OUT/initrd.cpio.gz.tmp"
mv "$OUT/initrd.cpio.gz.tmp" "$OUT/initrd.cpio.gz"

# The root disk: the same tree on ext4, marked so that its init knows it already runs from the
# disk. Files belong to root in the guest whoever builds it (dropbear insists on that for
# /root/.ssh), so every inode's owner is set with debugfs after mke2fs copied the stage.
echo "ff-appliance root disk" >etc/ff-on-disk
SIZE_KB=$(du -sk . | cut -f1)
rm -f "$OUT/rootfs.ext4.tmp"
mke2fs -q -F -t ext4 -L ff-root -E root_owner=0:0 -d . "$OUT/rootfs.ext4.tmp" "$((SIZE_KB * 2 + 65536))k" >&2 ||
  die "mke2fs could not build the root disk image"
# debugfs exits 0 even when a command fails: anything on stderr besides its banner is an error.
find . -mindepth 1 -print | sed -e 's#^\.##' -e 's#^\(.*\)$#sif "\1" uid 0\nsif "\1" gid 0#' |
  debugfs -w -f - "$OUT/rootfs.ext4.tmp" 2>&1 >/dev/null | grep -v '^debugfs [0-9]' >"$OUT/.debugfs.log" || true
if [ -s "$OUT/.debugfs.log" ]; then
  die "debugfs could not set file owners in the root disk image: $(head -n 3 "$OUT/.debugfs.log")"
fi
rm -f "$OUT/.debugfs.log" etc/ff-on-disk
mv "$OUT/rootfs.ext4.tmp" "$OUT/rootfs.ext4"
cat >"$OUT/appliance.json.tmp" <<EOF
{
  "kernel": "$KERNEL",
  "kernelVersion": "$KVER",
  "initrd": "$OUT/initrd.cpio.gz",
  "rootImage": "$OUT/rootfs.ext4",
  "privateKey": "$OUT/id_ed25519",
  "publicKey": "$OUT/id_ed25519.pub",
  "hostPublicKey": "$(cat "$OUT/host_ed25519.pub")",
  "append": "console=ttyS0 panic=-1 rdinit=/init",
  "suite": "/var/lib/xfstests",
  "hostSuite": "$OUT/suite",
  "fingerprint": "$FINGERPRINT"
}
EOF
mv "$OUT/appliance.json.tmp" "$OUT/appliance.json"
echo "$FINGERPRINT" >"$OUT/fingerprint"
print_json
