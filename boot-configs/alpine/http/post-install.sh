#!/bin/sh
# Runs in the Alpine live system right after setup-alpine has installed to the disk;
# the boot command fetches it from kiln and runs it, then reboots. It adds what
# setup-alpine has no answer for: the vagrant user (password vagrant) with
# passwordless sudo, and a locked root account.
set -eu

disk=${1:-/dev/vda}
root=/mnt

# The installed root filesystem is the partition with /etc/alpine-release on it.
part=
for candidate in "$disk"[0-9]*; do
  if mount "$candidate" "$root" 2>/dev/null; then
    if [ -f "$root/etc/alpine-release" ]; then
      part=$candidate
      break
    fi
    umount "$root"
  fi
done
if [ -z "$part" ]; then
  echo "post-install.sh: no installed Alpine system on $disk" >&2
  exit 1
fi

apk --root "$root" --no-progress add sudo
chroot "$root" adduser -D -s /bin/sh vagrant
echo 'vagrant:vagrant' | chroot "$root" chpasswd
printf '%s\n' 'vagrant ALL=(ALL) NOPASSWD: ALL' > "$root/etc/sudoers.d/vagrant"
chmod 0440 "$root/etc/sudoers.d/vagrant"
chroot "$root" passwd -l root
umount "$root"
echo "post-install.sh: vagrant user and sudo added to $part"
