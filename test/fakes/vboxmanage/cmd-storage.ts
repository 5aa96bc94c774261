// storagectl, storageattach, createmedium, closemedium (VBoxManageStorageController.cpp,
// VBoxManageDisk.cpp). Media are registered when created or first attached, and
// belong to the VM they were first attached to (VirtualBox's per-VM media registry).

import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { getoptExit, newUuid, requireVm, requireWriteLock, type Ctx } from './context.js';
import { CLOSEMEDIUM_OPTIONS, CREATEMEDIUM_OPTIONS, formAccepts, STORAGEATTACH_OPTIONS, STORAGECTL_OPTIONS, VALUE_FORMS } from './grammar.js';
import { USAGE } from './usage.js';
import { getopt, GetoptError } from './getopt.js';
import { comError, plainError, PROGRESS, syntaxError, type ComError } from './output.js';
import { removeGuestRoot } from './guest-root.js';
import type { FakeMedium } from './state.js';
import { createVdi } from './vdi.js';

// bus: [default controller, allowed controllers, ports, devices per port, attachment types]
const BUSES: Record<string, [string, string[], number, number, string[]]> = {
  ide: ['PIIX4', ['piix3', 'piix4', 'ich6'], 2, 2, ['hdd', 'dvddrive']],
  sata: ['IntelAhci', ['intelahci'], 30, 1, ['hdd', 'dvddrive']],
  scsi: ['LsiLogic', ['lsilogic', 'buslogic'], 16, 1, ['hdd', 'dvddrive']],
  sas: ['LsiLogicSas', ['lsilogicsas'], 255, 1, ['hdd', 'dvddrive']],
  floppy: ['I82078', ['i82078'], 1, 2, ['fdd']],
  usb: ['USB', ['usb'], 8, 1, ['hdd', 'dvddrive']],
  pcie: ['NVMe', ['nvme'], 255, 1, ['hdd']],
  'virtio-scsi': ['VirtioSCSI', ['virtio-scsi', 'virtio'], 256, 1, ['hdd', 'dvddrive']],
};
const CTL_FILE = 'VBoxManageStorageController.cpp';
const DISK_FILE = 'VBoxManageDisk.cpp';
const mediumError = (message: string, context: string): ComError => ({ message, result: 'VBOX_E_FILE_ERROR', component: 'MediumWrap', iface: 'IMedium', context, file: DISK_FILE });

export function storagectl(ctx: Ctx, args: string[]): void {
  if (args.length < 4) throw syntaxError(ctx.version, USAGE.storagectl!, 'Too few parameters');
  const o: Record<string, string | true> = {};
  try {
    for (const a of getopt(args.slice(1), STORAGECTL_OPTIONS, ctx.version.number)) {
      if ('positional' in a) throw new GetoptError(`Invalid parameter '${a.positional}'`, 'unknown', a.positional);
      o[a.option.def.key] = a.option.value ?? true;
    }
  } catch (error) {
    throw getoptExit(ctx, USAGE.storagectl!, error);
  }
  const vm = requireVm(ctx, args[0], CTL_FILE);
  requireWriteLock(ctx, vm, CTL_FILE);
  const name = o.name;
  if (typeof name !== 'string') throw syntaxError(ctx.version, USAGE.storagectl!, 'Storage controller name not specified\n');
  const machine = { result: 'VBOX_E_OBJECT_IN_USE' as const, component: 'SessionMachine', iface: 'IMachine', file: CTL_FILE };
  if (o.remove) {
    if (!vm.controllers.some((c) => c.name === name)) throw comError({ ...machine, result: 'VBOX_E_OBJECT_NOT_FOUND', message: `Could not find a storage controller named '${name}'`, context: 'RemoveStorageController(Bstr(pszCtl).raw())' });
    vm.controllers = vm.controllers.filter((c) => c.name !== name);
    vm.attachments = vm.attachments.filter((a) => a.controller !== name);
    return;
  }
  const controllers = structuredClone(vm.controllers);
  if (typeof o.add === 'string') {
    const bus = o.add.toLowerCase() === 'virtio' ? 'virtio-scsi' : o.add.toLowerCase();
    if (!formAccepts(VALUE_FORMS.bus!, bus, ctx.version.number)) throw plainError(`Invalid --add argument '${o.add}'`, 1);
    if (controllers.some((c) => c.name === name)) throw comError({ ...machine, message: `Storage controller named '${name}' already exists`, context: 'AddStorageController(Bstr(pszCtl).raw(), ...)' });
    const max = bus === 'sata' && vm.settings.chipset === 'ich9' ? 8 : 1;
    if (controllers.filter((c) => c.bus === bus).length >= max) throw comError({ ...machine, message: `Too many storage controllers of this type`, context: 'AddStorageController(Bstr(pszCtl).raw(), ...)' });
    const [type, , ports] = BUSES[bus]!;
    controllers.push({ name, bus, type, bootable: true, portCount: bus === 'sata' ? 30 : ports });
  }
  const ctl = controllers.find((c) => c.name === name);
  for (const key of ['controller', 'portcount', 'hostiocache', 'bootable', 'rename'] as const) {
    if (o[key] === undefined) continue;
    if (!ctl) throw plainError(`Couldn't find the controller with the name: '${name}'\n`, 1);
    const value = String(o[key]);
    if (key === 'controller') {
      if (!formAccepts(VALUE_FORMS.controller!, value, ctx.version.number)) throw plainError(`Invalid --type argument '${value}'`, 1);
      if (!BUSES[ctl.bus]![1].includes(value.toLowerCase())) throw comError({ ...machine, result: 'E_INVALIDARG', component: 'StorageControllerWrap', iface: 'IStorageController', message: `Invalid controller type ${value}`, context: 'COMSETTER(ControllerType)(...)' });
      ctl.type = value;
    } else if (key === 'bootable' || key === 'hostiocache') {
      if (!/^(on|off)$/i.test(value)) throw plainError(`Invalid --${key} argument '${value}'`, 1);
      if (key === 'bootable') ctl.bootable = value.toLowerCase() === 'on';
    } else if (key === 'portcount') {
      ctl.portCount = Number(value);
    } else {
      ctl.name = value;
    }
  }
  vm.controllers = controllers;
}

export function storageattach(ctx: Ctx, args: string[]): void {
  const o: Record<string, string | true> = {};
  try {
    for (const a of getopt(args.slice(1), STORAGEATTACH_OPTIONS, ctx.version.number)) {
      if ('positional' in a) throw new GetoptError(`Invalid parameter '${a.positional}'`, 'unknown', a.positional);
      o[a.option.def.key] = a.option.value ?? true;
    }
  } catch (error) {
    throw getoptExit(ctx, USAGE.storageattach!, error, 1);
  }
  if (typeof o.type === 'string' && !formAccepts(VALUE_FORMS.attachtype!, o.type, 0)) throw plainError(`Invalid --type argument '${o.type}'`, 2);
  if (typeof o.storagectl !== 'string') throw syntaxError(ctx.version, USAGE.storageattach!, 'Storage controller name not specified');
  const vm = requireVm(ctx, args[0], CTL_FILE);
  const running = vm.state === 'running' || vm.state === 'paused';
  const ctl = vm.controllers.find((c) => c.name === o.storagectl);
  if (!ctl) throw plainError(`Could not find a controller named '${o.storagectl}'\n`, 1);
  const [, , ports, devices, types] = BUSES[ctl.bus]!;
  if (o.port === undefined && ports > 1) throw syntaxError(ctx.version, USAGE.storageattach!, 'Port not specified');
  if (o.device === undefined && devices > 1) throw syntaxError(ctx.version, USAGE.storageattach!, 'Device not specified');
  const port = Number(o.port ?? 0);
  const device = Number(o.device ?? 0);
  const slot = { result: 'E_INVALIDARG' as const, component: 'SessionMachine', iface: 'IMachine', file: CTL_FILE, context: 'AttachDevice(Bstr(pszCtl).raw(), port, device, ...)' };
  if (port >= Math.min(ports, ctl.portCount)) throw comError({ ...slot, message: `Invalid port number ${port} (must be in range [0, ${Math.min(ports, ctl.portCount) - 1}])` });
  if (device >= devices) throw comError({ ...slot, message: `Invalid device number ${device} (must be in range [0, ${devices - 1}])` });
  const existing = vm.attachments.find((a) => a.controller === ctl.name && a.port === port && a.device === device);
  const medium = typeof o.medium === 'string' ? o.medium : undefined;
  if (medium?.toLowerCase() === 'none') {
    if (!existing) throw comError({ ...slot, result: 'VBOX_E_OBJECT_NOT_FOUND', message: `No storage device attached to device slot ${device} on port ${port} of controller '${ctl.name}'`, context: 'DetachDevice(Bstr(pszCtl).raw(), port, device)' });
    vm.attachments = vm.attachments.filter((a) => a !== existing);
    return;
  }
  const type = (typeof o.type === 'string' ? o.type.toLowerCase() : existing?.type) as 'hdd' | 'dvddrive' | 'fdd' | undefined;
  if (!type) throw plainError('Argument --type must be specified\n', 1);
  if (!types.includes(type)) throw plainError(`The given attachment is not supported by the storage controller '${ctl.name}'`, 1);
  if (!running) requireWriteLock(ctx, vm, CTL_FILE);
  else if (type === 'hdd') throw comError({ ...slot, result: 'VBOX_E_INVALID_VM_STATE', message: `Controller '${ctl.name}' does not support hot-plugging`, context: 'AttachDevice(Bstr(pszCtl).raw(), port, device, DeviceType_HardDisk, pMedium2Mount)' });
  let path = '';
  if (medium === undefined) throw plainError('Missing --medium argument', 1);
  if (medium.toLowerCase() !== 'emptydrive') {
    path = resolve(medium);
    const opened = openMedium(ctx, path, type === 'hdd' ? 'hdd' : type === 'fdd' ? 'floppy' : 'dvd');
    if (typeof opened === 'string') throw comError(mediumError(opened, 'OpenMedium(Bstr(pszFilenameOrUuid).raw(), enmDevType, enmAccessMode, fForceNewUuidOnOpen, pMedium.asOutParam())'), '');
    if (type === 'hdd' && ctx.state.vms.some((v) => v !== vm && v.attachments.some((a) => a.medium === path))) {
      throw comError({ ...slot, result: 'VBOX_E_OBJECT_IN_USE', message: `Medium '${path}' is already attached to another virtual machine` });
    }
  }
  vm.attachments = vm.attachments.filter((a) => a !== existing);
  vm.attachments.push({ controller: ctl.name, port, device, type, medium: path });
}

/** Registers a medium file if it is not yet; returns VirtualBox's error message when it cannot. */
function openMedium(ctx: Ctx, path: string, type: FakeMedium['type']): FakeMedium | string {
  const known = ctx.state.media.find((m) => m.path === path);
  if (known) return known;
  if (!existsSync(path)) return `Could not find file for the medium '${path}' (VERR_FILE_NOT_FOUND)`;
  const ext = extname(path).slice(1).toLowerCase();
  if (type === 'hdd' && !['vdi', 'vmdk', 'vhd', 'hdd', 'qcow', 'qed'].includes(ext)) return `Could not get the storage format of the medium '${path}' (VERR_NOT_SUPPORTED)`;
  const medium: FakeMedium = { uuid: newUuid(), path, type, format: type === 'hdd' ? ext.toUpperCase() : 'RAW', sizeMiB: 0 };
  ctx.state.media.push(medium);
  return medium;
}

export function createmedium(ctx: Ctx, args: string[]): void {
  const o: Record<string, string | true> = {};
  try {
    for (const a of getopt(args, CREATEMEDIUM_OPTIONS, ctx.version.number)) {
      if ('positional' in a) throw new GetoptError(`Invalid parameter '${a.positional}'`, 'unknown', a.positional);
      const key = a.option.def.key;
      if (['disk', 'dvd', 'floppy'].includes(key) && ['disk', 'dvd', 'floppy'].some((k) => o[k])) throw new GetoptError(`Only one command can be specified: '${a.option.name}'`, 'unknown', key);
      o[key] = a.option.value ?? true;
    }
  } catch (error) {
    throw getoptExit(ctx, USAGE.createmedium!, error);
  }
  for (const v of typeof o.variant === 'string' ? o.variant.split(',') : []) {
    if (!formAccepts(VALUE_FORMS.mediumvariant!, v.trim(), 0)) throw plainError(`Invalid medium variant '${o.variant}'`, 2);
  }
  if (typeof o.filename !== 'string' || !o.filename) throw syntaxError(ctx.version, USAGE.createmedium!, 'Parameter --filename is required');
  const bytes = typeof o.sizebyte === 'string' ? Number(o.sizebyte) : typeof o.size === 'string' ? Number(o.size) * 1024 * 1024 : 0;
  if (!bytes) throw syntaxError(ctx.version, USAGE.createmedium!, 'Parameter --size is required');
  const format = typeof o.format === 'string' ? o.format : o.dvd || o.floppy ? 'RAW' : 'VDI';
  const known = VALUE_FORMS.mediumformat!.values.find((f) => f.toLowerCase() === format.toLowerCase());
  if (!known) throw comError({ message: `Could not find a medium format named '${format}'`, result: 'E_INVALIDARG', component: 'VirtualBoxWrap', iface: 'IVirtualBox', context: 'CreateMedium(Bstr(pszFormat).raw(), ...)', file: DISK_FILE });
  let path = resolve(o.filename);
  if (!extname(path)) path += o.dvd ? '.iso' : o.floppy ? '.img' : known === 'VMDK' ? '.vmdk' : known === 'VHD' ? '.vhd' : '.vdi';
  const failed = (detail: string) =>
    comError(mediumError(`Could not create the medium storage unit '${path}'.\nVBoxManage: error: ${detail}`, 'CreateBaseStorage(size, ComSafeArrayAsInParam(l_variants), pProgress.asOutParam())'), `VBoxManage: error: Failed to create medium\n`);
  if (ctx.state.media.some((m) => m.path === path)) throw comError(mediumError(`Cannot register the hard disk '${path}' because a hard disk with the same location already exists`, 'CreateMedium(...)'));
  if (existsSync(path)) throw failed(`${known}: cannot create image '${path}' (VERR_ALREADY_EXISTS)`);
  if (!existsSync(dirname(path))) throw failed(`${known}: cannot create image '${path}' (VERR_PATH_NOT_FOUND)`);
  // A VDI is a real (empty, dynamic) image, so qemu-img can convert what the guest wrote;
  // other formats are placeholders.
  if (known === 'VDI') createVdi(path, bytes);
  else writeFileSync(path, `FAKE-${known} ${bytes} bytes\n`);
  const medium: FakeMedium = { uuid: newUuid(), path, type: o.dvd ? 'dvd' : o.floppy ? 'floppy' : 'hdd', format: known, sizeMiB: Math.ceil(bytes / 1048576) };
  ctx.state.media.push(medium);
  ctx.stdout += `${PROGRESS}Medium created. UUID: ${medium.uuid}\n`;
}

export function closemedium(ctx: Ctx, args: string[]): void {
  let target: string | undefined;
  let del = false;
  try {
    for (const a of getopt(args, CLOSEMEDIUM_OPTIONS, ctx.version.number)) {
      if ('positional' in a) {
        if (target !== undefined) throw new GetoptError(`Invalid parameter '${a.positional}'`, 'unknown', a.positional);
        target = a.positional;
      } else if (a.option.def.key === 'delete') del = true;
    }
  } catch (error) {
    throw getoptExit(ctx, USAGE.closemedium!, error);
  }
  if (target === undefined) throw syntaxError(ctx.version, USAGE.closemedium!, 'No medium specified');
  const path = resolve(target);
  const medium = ctx.state.media.find((m) => m.uuid === target || m.path === path);
  if (!medium && !existsSync(path)) throw comError(mediumError(`Could not find file for the medium '${path}' (VERR_FILE_NOT_FOUND)`, 'OpenMedium(...)'));
  const users = ctx.state.vms.filter((v) => v.attachments.some((a) => a.medium === (medium?.path ?? path)));
  if (users.length > 0) {
    throw comError({ ...mediumError(`Medium '${path}' cannot be closed because it is still attached to ${users.length} virtual machines`, 'Close()'), result: 'VBOX_E_OBJECT_IN_USE' });
  }
  ctx.state.media = ctx.state.media.filter((m) => m !== medium);
  if (del) {
    rmSync(medium?.path ?? path, { force: true });
    removeGuestRoot(medium?.path ?? path);
    ctx.stdout += PROGRESS;
  }
}
