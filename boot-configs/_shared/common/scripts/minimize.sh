#!/bin/sh
# Makes the exported image small. kiln's QEMU disk has discard=unmap and
# detect-zeroes=unmap, so blocks the guest discards (fstrim) or fills with zeros
# become holes in the image. Run it last: whatever is written afterwards takes space.
set -eu

# Swap partitions hold stale memory pages: zero them and recreate the swap area with
# the same UUID and label, so /etc/fstab and the initramfs still find it.
awk 'NR > 1 && $2 == "partition" { print $1 }' /proc/swaps | while read -r dev; do
  # blkid exits 2 when the tag is not there (a swap area without a label): no value then.
  uuid=$(blkid -o value -s UUID "$dev" || true)
  label=$(blkid -o value -s LABEL "$dev" || true)
  swapoff "$dev"
  mib=$(($(blockdev --getsize64 "$dev") / 1048576))
  dd if=/dev/zero of="$dev" bs=1M count="$mib" conv=fsync 2>/dev/null
  mkswap ${uuid:+-U "$uuid"} ${label:+-L "$label"} "$dev" >/dev/null
  swapon "$dev"
  echo "minimize.sh: zeroed swap $dev ($mib MiB)"
done

# Filling a filesystem with zeros works where discard does not (the zeros become holes).
zero_fill() {
  # dd ends with "No space left on device" when the filesystem is full, which is the aim.
  dd if=/dev/zero of="$1/.minimize-zeros" bs=1M 2>/dev/null || true
  rm -f "$1/.minimize-zeros"
}

# Every mounted disk filesystem: trim it, or zero its free space.
awk '$1 ~ /^\/dev\// && $3 ~ /^(ext[234]|xfs|btrfs|vfat)$/ { print $2 }' /proc/mounts | sort -u |
  while read -r mnt; do
    if fstrim "$mnt" 2>/dev/null; then
      echo "minimize.sh: trimmed $mnt"
    else
      zero_fill "$mnt"
      echo "minimize.sh: zero-filled $mnt (no discard)"
    fi
  done
sync
