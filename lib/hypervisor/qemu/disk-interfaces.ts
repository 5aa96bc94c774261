// How a QEMU guest sees its disk. Packer's names: "scsi" is virtio-scsi as in Packer's
// QEMU builder, which has no other SCSI controller.
export const QEMU_DISK_INTERFACES = ['virtio', 'virtio-scsi', 'scsi', 'ide', 'sata', 'nvme'] as const;
export type QemuDiskInterface = (typeof QEMU_DISK_INTERFACES)[number];
