// What kiln asks VirtualBox for: one VM, described independently of VBoxManage's
// syntax. argv.ts turns it into commands; create.ts runs them.

export type VBoxFirmware = 'bios' | 'efi';
// The values a template may choose (machine.virtualbox); the schema lists these.
export const VBOX_CHIPSETS = ['piix3', 'ich9'] as const;
export const VBOX_GRAPHICS = ['vmsvga', 'vboxsvga', 'vboxvga', 'none'] as const;
export const VBOX_DISK_INTERFACES = ['sata', 'ide', 'scsi', 'virtio-scsi', 'nvme'] as const;
export const VBOX_NIC_TYPES = ['virtio', '82540EM', '82543GC', '82545EM', 'Am79C970A', 'Am79C973'] as const;
export type VBoxChipset = (typeof VBOX_CHIPSETS)[number];
export type VBoxGraphics = (typeof VBOX_GRAPHICS)[number];
export type VBoxDiskInterface = (typeof VBOX_DISK_INTERFACES)[number];
export type VBoxNicType = (typeof VBOX_NIC_TYPES)[number];
export type VBoxBootDevice = 'disk' | 'dvd' | 'net' | 'floppy' | 'none';

export interface VmSpec {
  /** Unique per build (uniqueVmName), since VirtualBox VMs are global to the user. */
  name: string;
  /** VirtualBox OS type id, e.g. Debian_64 (machine.virtualbox.os_type). */
  osType: string;
  /** The VM's settings folder goes inside; `unregistervm --delete` removes it again. */
  baseFolder: string;
  cpus: number;
  memoryMiB: number;
  firmware: VBoxFirmware;
  chipset: VBoxChipset;
  graphics: VBoxGraphics;
  vramMiB: number;
  nicType: VBoxNicType;
  /** NAT rule 127.0.0.1:hostPort -> guest port, for SSH. */
  sshForward?: { hostPort: number; guestPort: number };
  /** COM1 is written to this file (the guest's serial console). */
  serialLog?: string;
  disk: {
    /** A new VDI, created by createmedium; give it a .vdi name. */
    path: string;
    sizeMiB: number;
    interface: VBoxDiskInterface;
  };
  /** The installer ISO, on a DVD drive; none when the disk is installed already. */
  iso?: string;
  /**
   * Firmware boot order, 1 to 4 entries. The default, disk then DVD, boots the installer
   * from an empty disk and the installed system once the disk has a boot loader, like
   * QEMU's `-boot once=d` (VirtualBox has no boot-once).
   */
  bootOrder?: VBoxBootDevice[];
  /** machine.virtualbox.modifyvm: each list is one `modifyvm VM ...` call, run last. */
  modifyvm: string[][];
}

/** Settings kiln picks when the template does not say (as VirtualBox's GUI does for Linux). */
export const VM_DEFAULTS = {
  chipset: 'piix3',
  graphics: 'vmsvga',
  vramMiB: 16,
  nicType: '82540EM',
  diskInterface: 'sata',
  bootOrder: ['disk', 'dvd', 'none', 'none'],
} as const satisfies {
  chipset: VBoxChipset;
  graphics: VBoxGraphics;
  vramMiB: number;
  nicType: VBoxNicType;
  diskInterface: VBoxDiskInterface;
  bootOrder: readonly VBoxBootDevice[];
};

/** `kiln-<template>-<8 hex>`: unique per build, recognisable in `VBoxManage list vms`. */
export function uniqueVmName(templateName: string, random: string): string {
  return `kiln-${templateName}-${random}`;
}
