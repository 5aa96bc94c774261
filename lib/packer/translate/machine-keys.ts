// The machine keys both builders share: cpus, memory, disk_size, firmware.
import { integerTo, type KeyHandler } from './key-table.js';
import { kilnDiskSize } from './units.js';
import { readBoolean, readNumber, readString } from './values.js';

export const cpus: KeyHandler = integerTo('machine', 'cpus');

/** memory is a number of MB in both builders, as kiln reads a bare number. */
export const memory: KeyHandler = integerTo('machine', 'memory');

export const diskSize: KeyHandler = (t, setting, key) => {
  const value = typeof setting.value === 'number' ? readNumber(t, key, setting) : readString(t, key, setting);
  if (value === undefined) return;
  const size = kilnDiskSize(value);
  if (size === undefined) t.problem(setting.pos, `${key}: ${JSON.stringify(value)} is not a size: give a number of MB or a size like 40G`);
  else t.set(['machine', 'disk'], size, setting.pos);
};

/** efi_boot = true -> firmware efi. */
export const efiBoot: KeyHandler = (t, setting, key) => {
  const efi = readBoolean(t, key, setting);
  if (efi !== undefined) t.set(['machine', 'firmware'], efi ? 'efi' : 'bios', setting.pos);
};

/** virtualbox-iso's firmware: bios, efi (or efi32/efi64, which VirtualBox also takes). */
export const firmwareName: KeyHandler = (t, setting, key) => {
  const name = readString(t, key, setting);
  if (name === undefined) return;
  if (name === 'bios' || name === 'efi') t.set(['machine', 'firmware'], name, setting.pos);
  else if (name === 'efi64') {
    t.set(['machine', 'firmware'], 'efi', setting.pos);
    t.note(setting.pos, `${key} = "efi64" is kiln's efi`);
  } else t.problem(setting.pos, `${key}: ${JSON.stringify(name)} is not a firmware kiln offers: use bios or efi`);
};

/** qemu's firmware is a file (OVMF_CODE.fd, ...): kiln finds OVMF itself, so a UEFI file means efi. */
export const firmwareFile: KeyHandler = (t, setting, key) => {
  const file = readString(t, key, setting);
  if (file === undefined) return;
  if (/ovmf|edk2|efi|aavmf/i.test(file)) {
    t.set(['machine', 'firmware'], 'efi', setting.pos);
    t.note(setting.pos, `${key}: kiln boots UEFI with the OVMF it finds on the host (and a per-build copy of its variables), not ${JSON.stringify(file)}`);
  } else {
    t.problem(setting.pos, `${key}: kiln runs QEMU's own BIOS or the host's OVMF, not ${JSON.stringify(file)}: remove it, or set efi_boot = true`);
  }
};
