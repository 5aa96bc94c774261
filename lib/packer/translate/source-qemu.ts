// The qemu builder's keys.
import type { PluginConfig } from '../model.js';
import { BOOT_HTTP_KEYS } from './boot-http.js';
import { COMMUNICATOR_KEYS } from './communicator.js';
import { booleanTo, noted, readElsewhere, refused, settingOf, stringTo, type KeyHandler, type KeyTable } from './key-table.js';
import { cpus, diskSize, efiBoot, firmwareFile, memory } from './machine-keys.js';
import { MEDIA_KEYS } from './media.js';
import { formatOneOf, OUTPUT_KEYS } from './output.js';
import { translateQemuArgs } from './qemu-args.js';
import { QEMU_SOURCE_FILE_KEYS, SOURCE_FILE_KEYS } from './source-file.js';
import type { Translator } from './translator.js';
import { readString } from './values.js';

const ACCELERATORS: Readonly<Record<string, string>> = { kvm: 'kvm', hvf: 'hvf', whpx: 'whpx', tcg: 'tcg', none: 'tcg' };

const accelerator: KeyHandler = (t, setting, key) => {
  const name = readString(t, key, setting);
  if (name === undefined) return;
  const accel = Object.hasOwn(ACCELERATORS, name) ? ACCELERATORS[name] : undefined;
  if (accel) t.set(['machine', 'accel'], accel, setting.pos);
  else t.problem(setting.pos, `${key}: kiln runs QEMU with kvm, hvf, whpx or tcg, not ${JSON.stringify(name)}`);
};

const diskDiscard: KeyHandler = (t, setting, key) => {
  const mode = readString(t, key, setting);
  if (mode === 'unmap' || mode === 'ignore') t.set(['machine', 'disk_discard'], mode === 'unmap', setting.pos);
  else if (mode !== undefined) t.problem(setting.pos, `${key}: ${JSON.stringify(mode)} is not unmap or ignore`);
};

const NO_TPM = 'kiln attaches no TPM: remove it';

/** Packer boots UEFI when either OVMF file is given; kiln uses the host's OVMF. */
const efiFirmwareFile: KeyHandler = (t, setting, key) => {
  t.set(['machine', 'firmware'], 'efi', setting.pos);
  t.note(setting.pos, `${key}: kiln boots UEFI with the OVMF it finds on the host (and a per-build copy of its variables)`);
};

export const QEMU_KEYS: KeyTable = {
  ...SOURCE_FILE_KEYS,
  ...QEMU_SOURCE_FILE_KEYS,
  ...BOOT_HTTP_KEYS,
  ...COMMUNICATOR_KEYS,
  ...MEDIA_KEYS,
  ...OUTPUT_KEYS,
  format: formatOneOf(['qcow2', 'raw']),
  disk_compression: booleanTo('output', 'compress'),
  skip_compaction: noted('kiln always shrinks the disk (fstrim or zero-fill) before export'),
  cpus,
  memory,
  disk_size: diskSize,
  sockets: noted('kiln gives the guest machine.cpus as one socket'),
  cores: noted('kiln gives the guest machine.cpus as one socket'),
  threads: noted('kiln gives the guest machine.cpus as one socket'),
  accelerator,
  firmware: firmwareFile,
  efi_boot: efiBoot,
  efi_firmware_code: efiFirmwareFile,
  efi_firmware_vars: efiFirmwareFile,
  efi_drop_efivars: noted('kiln keeps its per-build copy of the OVMF variables out of the output'),
  use_pflash: noted('kiln loads OVMF as pflash'),
  disk_discard: diskDiscard,
  disk_detect_zeroes: noted('kiln\'s disk always turns zeroed blocks into holes (detect-zeroes=unmap)'),
  disk_cache: noted('kiln runs the build disk with cache=unsafe (a failed build is thrown away)'),
  disk_interface: stringTo('machine', 'qemu', 'disk_interface'),
  disk_additional_size: refused('kiln makes one disk: remove it, or add the disks after the build'),
  net_device: stringTo('machine', 'qemu', 'net_device'),
  net_bridge: refused('kiln uses QEMU\'s user networking with its own SSH forward: remove it'),
  cpu_model: stringTo('machine', 'qemu', 'cpu_model'),
  qemu_binary: stringTo('machine', 'qemu', 'binary'),
  machine_type: stringTo('machine', 'qemu', 'machine'),
  qemuargs: readElsewhere,
  qemu_img_args: noted('kiln chooses qemu-img\'s options for creating, resizing and converting disks'),
  cdrom_interface: noted('kiln attaches CDs on the board\'s IDE/AHCI controller'),
  qmp_enable: noted('kiln always drives QEMU over its own QMP socket'),
  qmp_socket_path: noted('kiln always drives QEMU over its own QMP socket'),
  vga: noted('kiln gives the guest a standard VGA card, which its screenshots read'),
  vnc_password: noted('kiln always runs the VM headless and reads the screen over QMP'),
  run_once: noted('kiln boots the installer ISO once, then the disk'),
  ssh_private_key: refused('give the key as a file with ssh_private_key_file'),
  ssh_public_key: refused('give the key as a file with ssh_private_key_file'),
  vtpm: refused(NO_TPM),
  use_tpm1: refused(NO_TPM),
  tpm_device_type: refused(NO_TPM),
};

/** What the qemu source says beyond its table: its hypervisor, Packer's defaults, and qemuargs, which override other keys. */
export function translateQemuSource(t: Translator, source: PluginConfig): void {
  t.set(['hypervisor'], 'qemu', source.pos);
  // Packer's qcow2 is not compressed unless disk_compression says so; kiln's is by default.
  if (!settingOf(source, 'disk_compression')) t.set(['output', 'compress'], false, source.pos);
  const qemuargs = settingOf(source, 'qemuargs');
  if (qemuargs) translateQemuArgs(t, qemuargs);
}
