#!/bin/sh
# Runs inside the image's root (chroot), called by customize.sh: compiles and installs fstests,
# adds its users, sshd, local.config, the TEST_DEV mkfs at boot, and an initrd for the kernel.
#
#   setup.sh   with the settings in the environment:
#   FF_FSTYP       filesystem TEST_DEV is formatted with at boot (ext4, xfs, btrfs, ...)
#   FF_TEST_DEV    TEST_DEV in local.config (the first scratch drive, /dev/vdb)
#   FF_SCRATCH_DEV SCRATCH_DEV in local.config (the second scratch drive, /dev/vdc)
#   FF_KVER        the version of the kernel the image boots (its modules are in /lib/modules)
#   FF_JOBS        parallel make jobs
# Each step prints "ff-image: step NAME" first, so the caller can show progress.
set -eu
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8
step() { echo "ff-image: step $1"; }

step fstests-build
cd /usr/src/fstests
# A checkout configured or built on the host would keep host objects: start from sources.
[ ! -f include/builddefs ] || make realclean >/dev/null 2>&1 || true
make -j"$FF_JOBS"
make install
cd /
rm -rf /usr/src/fstests

step system
for user in fsgqa fsgqa2 123456-fsgqa; do
  id "$user" >/dev/null 2>&1 || useradd -m "$user"
done
getent group fsgqa >/dev/null || groupadd fsgqa
echo ff-fstests >/etc/hostname
printf '127.0.0.1 localhost\n127.0.1.1 ff-fstests\n' >/etc/hosts
echo 'nameserver 10.0.2.3' >/etc/resolv.conf
printf '/dev/vda / ext4 rw,errors=remount-ro 0 0\n' >/etc/fstab
mkdir -p /etc/systemd/network
printf '[Match]\nName=en* eth*\n\n[Network]\nDHCP=yes\n' >/etc/systemd/network/80-ff.network
systemctl enable systemd-networkd.service >/dev/null 2>&1
# Nothing that wakes up later to compete with the tests, nor slows the boot (minutes under
# software emulation) for what a test VM does not need.
systemctl set-default multi-user.target >/dev/null 2>&1
systemctl mask apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer e2scrub_reap.service \
  fstrim.timer systemd-networkd-wait-online.service lvm2-monitor.service getty-static.service \
  systemd-binfmt.service proc-sys-fs-binfmt_misc.automount >/dev/null 2>&1
mkdir -p /etc/systemd/journald.conf.d
printf '[Journal]\nStorage=volatile\n' >/etc/systemd/journald.conf.d/fast-fstests.conf

step sshd
rm -f /etc/ssh/ssh_host_*
ssh-keygen -A
mkdir -p /etc/ssh/sshd_config.d
printf 'PermitRootLogin prohibit-password\nUseDNS no\nMaxSessions 32\n' >/etc/ssh/sshd_config.d/fast-fstests.conf
chmod 700 /root/.ssh
chmod 600 /root/.ssh/authorized_keys

step local-config
mkdir -p /mnt/test /mnt/scratch
cat >/var/lib/xfstests/local.config <<CONFIG
# Written by ff image build. TEST_DEV and SCRATCH_DEV are the first two [qemu] scratch_drives
# (serials ff-0 and ff-1); TEST_DEV is formatted with FSTYP at every boot (ff-mkfs-test.service).
FSTYP=$FF_FSTYP
TEST_DEV=$FF_TEST_DEV
TEST_DIR=/mnt/test
SCRATCH_DEV=$FF_SCRATCH_DEV
SCRATCH_MNT=/mnt/scratch
CONFIG
cat >/usr/local/sbin/ff-mkfs-test <<'SCRIPT'
#!/bin/sh
# Format TEST_DEV with FSTYP (from local.config): the scratch drives are empty at every boot.
set -eu
. /var/lib/xfstests/local.config
case "$FSTYP" in
  xfs) mkfs.xfs -f -q "$TEST_DEV" ;;
  btrfs) mkfs.btrfs -f -q "$TEST_DEV" ;;
  ext2 | ext3 | ext4) "mkfs.$FSTYP" -F -q "$TEST_DEV" ;;
  *) "mkfs.$FSTYP" "$TEST_DEV" ;;
esac
echo "ff-mkfs-test: $TEST_DEV formatted as $FSTYP"
SCRIPT
chmod 755 /usr/local/sbin/ff-mkfs-test
DEVUNIT=$(systemd-escape -p --suffix=device "$FF_TEST_DEV")
cat >/etc/systemd/system/ff-mkfs-test.service <<UNIT
[Unit]
Description=Format the fstests TEST_DEV for FSTYP
Requires=$DEVUNIT
After=$DEVUNIT
Before=ssh.service

[Service]
Type=oneshot
RemainAfterExit=yes
StandardOutput=journal+console
ExecStart=/usr/local/sbin/ff-mkfs-test

[Install]
WantedBy=multi-user.target
UNIT
systemctl enable ff-mkfs-test.service >/dev/null 2>&1

step initrd
depmod -a "$FF_KVER"
# Only what mounting the root disk needs: virtio (PCI, block) and ext4 (crc32c is a soft
# dependency of ext4, missing from modules.dep). Names a kernel has built in are skipped.
sed -i -e 's/^MODULES=.*/MODULES=list/' -e 's/^COMPRESS=.*/COMPRESS=gzip/' \
  /etc/initramfs-tools/initramfs.conf
printf 'virtio_pci\nvirtio_blk\ncrc32c_generic\next4\n' >/etc/initramfs-tools/modules
mkinitramfs -o "/boot/initrd.img-$FF_KVER" "$FF_KVER"

step cleanup
apt-get clean
rm -rf /var/lib/apt/lists/* /tmp/* /var/tmp/*
