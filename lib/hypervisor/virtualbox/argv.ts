// VBoxManage command lines for defining a VM, as pure functions of a VmSpec.
// Option names are the ones 6.1 and 7.x both accept (7.x keeps the old spellings
// beside its hyphenated ones), except --nat-localhostreachable1, which only 7.x has.

import type { VBoxDiskInterface, VmSpec } from './spec.js';
import { VM_DEFAULTS } from './spec.js';
import type { VBoxFeatures } from './version.js';

/** The storage controller a disk interface uses: its name, bus and chipset. */
export interface ControllerSpec {
  name: string;
  add: 'sata' | 'ide' | 'scsi' | 'virtio-scsi' | 'pcie';
  controller?: string;
}

const CONTROLLERS: Record<VBoxDiskInterface, ControllerSpec> = {
  sata: { name: 'SATA Controller', add: 'sata', controller: 'IntelAhci' },
  ide: { name: 'IDE Controller', add: 'ide', controller: 'PIIX4' },
  scsi: { name: 'SCSI Controller', add: 'scsi', controller: 'LsiLogic' },
  'virtio-scsi': { name: 'VirtioSCSI Controller', add: 'virtio-scsi' },
  nvme: { name: 'NVMe Controller', add: 'pcie', controller: 'NVMe' },
};

/** The DVD drive always sits on IDE: every firmware and installer can boot from it. */
const DVD_CONTROLLER = CONTROLLERS.ide;

export function createVmArgs(spec: Pick<VmSpec, 'name' | 'osType' | 'baseFolder'>, features: VBoxFeatures): string[] {
  return [
    'createvm',
    '--name',
    spec.name,
    '--ostype',
    spec.osType,
    // 7.1 takes the architecture from the OS type too, but saying it avoids an ARM default on ARM hosts.
    ...(features.platformArchitecture ? ['--platform-architecture', 'x86'] : []),
    '--basefolder',
    spec.baseFolder,
    '--register',
  ];
}

/** One modifyvm call with all of kiln's settings. */
export function modifyVmArgs(spec: VmSpec, features: VBoxFeatures): string[] {
  const boot = [...(spec.bootOrder ?? VM_DEFAULTS.bootOrder)];
  while (boot.length < 4) boot.push('none');
  const args = [
    'modifyvm',
    spec.name,
    '--cpus',
    String(spec.cpus),
    '--memory',
    String(spec.memoryMiB),
    '--firmware',
    spec.firmware,
    '--chipset',
    spec.chipset,
    '--graphicscontroller',
    spec.graphics,
    '--vram',
    String(spec.vramMiB),
    // SMP needs the I/O APIC; the ACPI power button is how kiln shuts a guest down.
    '--ioapic',
    'on',
    '--acpi',
    'on',
    '--rtcuseutc',
    'on',
    ...boot.slice(0, 4).flatMap((device, i) => [`--boot${i + 1}`, device]),
    '--nic1',
    'nat',
    '--nictype1',
    spec.nicType,
    '--cableconnected1',
    'on',
  ];
  if (features.natLocalhostReachable) args.push('--nat-localhostreachable1', 'on');
  if (spec.sshForward) args.push('--natpf1', natRule('ssh', spec.sshForward.hostPort, spec.sshForward.guestPort));
  if (spec.serialLog) args.push('--uart1', '0x3F8', '4', '--uartmode1', 'file', spec.serialLog);
  return args;
}

/** A TCP forward from 127.0.0.1:hostPort to the guest's port (guest IP left to DHCP). */
export function natRule(name: string, hostPort: number, guestPort: number): string {
  return `${name},tcp,127.0.0.1,${hostPort},,${guestPort}`;
}

/** The template's modifyvm escape hatch: each argument list becomes its own call, after kiln's. */
export function extraModifyVmArgs(spec: Pick<VmSpec, 'name' | 'modifyvm'>): string[][] {
  return spec.modifyvm.map((extra) => ['modifyvm', spec.name, ...extra]);
}

export function storageCtlArgs(vmName: string, ctl: ControllerSpec): string[] {
  return [
    'storagectl',
    vmName,
    '--name',
    ctl.name,
    '--add',
    ctl.add,
    ...(ctl.controller ? ['--controller', ctl.controller] : []),
    '--bootable',
    'on',
  ];
}

export function createMediumArgs(path: string, sizeMiB: number): string[] {
  return ['createmedium', 'disk', '--filename', path, '--size', String(sizeMiB), '--format', 'VDI', '--variant', 'Standard'];
}

export interface Attachment {
  controller: string;
  port: number;
  device: number;
  type: 'hdd' | 'dvddrive';
  medium: string;
}

export function storageAttachArgs(vmName: string, a: Attachment): string[] {
  return [
    'storageattach',
    vmName,
    '--storagectl',
    a.controller,
    '--port',
    String(a.port),
    '--device',
    String(a.device),
    '--type',
    a.type,
    '--medium',
    a.medium,
  ];
}

/** Controllers to add and media to attach, in order; the DVD shares IDE with an IDE disk. */
export function storageLayout(spec: Pick<VmSpec, 'disk' | 'iso'>): { controllers: ControllerSpec[]; attachments: Attachment[] } {
  const diskCtl = CONTROLLERS[spec.disk.interface];
  const controllers = [diskCtl];
  const attachments: Attachment[] = [{ controller: diskCtl.name, port: 0, device: 0, type: 'hdd', medium: spec.disk.path }];
  if (spec.iso) {
    if (diskCtl !== DVD_CONTROLLER) controllers.push(DVD_CONTROLLER);
    attachments.push({ controller: DVD_CONTROLLER.name, port: diskCtl === DVD_CONTROLLER ? 1 : 0, device: 0, type: 'dvddrive', medium: spec.iso });
  }
  return { controllers, attachments };
}

export const startVmArgs = (vmName: string): string[] => ['startvm', vmName, '--type', 'headless'];
export const showVmInfoArgs = (vmName: string): string[] => ['showvminfo', vmName, '--machinereadable'];
export const unregisterVmArgs = (vmName: string): string[] => ['unregistervm', vmName, '--delete'];
/** Forgets a disk VirtualBox registered but no VM holds, and deletes its file. */
export const closeMediumArgs = (path: string): string[] => ['closemedium', 'disk', path, '--delete'];
