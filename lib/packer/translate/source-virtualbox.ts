// The virtualbox-iso builder's keys.
import type { PluginConfig } from '../model.js';
import { BOOT_HTTP_KEYS } from './boot-http.js';
import { COMMUNICATOR_KEYS } from './communicator.js';
import { noted, readElsewhere, refused, settingOf, stringTo, type KeyHandler, type KeyTable } from './key-table.js';
import { cpus, diskSize, firmwareName, memory } from './machine-keys.js';
import { MEDIA_KEYS } from './media.js';
import { OUTPUT_KEYS } from './output.js';
import { SOURCE_FILE_KEYS } from './source-file.js';
import type { Translator } from './translator.js';
import { readBoolean, readString, readStringMatrix } from './values.js';

/** Packer's hard_drive_interface names -> kiln's machine.virtualbox.disk_interface. */
const DISK_INTERFACES: Readonly<Record<string, string>> = { ide: 'ide', sata: 'sata', scsi: 'scsi', pcie: 'nvme', virtio: 'virtio-scsi' };

const hardDriveInterface: KeyHandler = (t, setting, key) => {
  const name = readString(t, key, setting);
  if (name === undefined) return;
  const kiln = Object.hasOwn(DISK_INTERFACES, name) ? DISK_INTERFACES[name] : undefined;
  if (kiln) t.set(['machine', 'virtualbox', 'disk_interface'], kiln, setting.pos);
  else t.problem(setting.pos, `${key}: ${JSON.stringify(name)} is not one of ${Object.keys(DISK_INTERFACES).join(', ')}`);
};

/** Only `modifyvm {{.Name}} ...` calls have a kiln key; kiln wires storage, NAT and the rest itself. */
const vboxmanage: KeyHandler = (t, setting, key) => {
  const calls = readStringMatrix(t, key, setting);
  if (!calls) return;
  const modifyvm: string[][] = [];
  for (const call of calls) {
    const [command, vm, ...args] = call;
    const isModifyvm = command === 'modifyvm' && vm !== undefined && /^\{\{\s*\.Name\s*\}\}$/.test(vm);
    if (isModifyvm && args.some((a) => a.includes('{{'))) {
      t.problem(setting.pos, `${key}: ${call.join(' ')}: kiln passes modifyvm arguments as written, without filling placeholders: write the value itself`);
    } else if (isModifyvm) modifyvm.push(args);
    else t.problem(setting.pos, `${key}: ${call.join(' ')}: kiln runs only "modifyvm {{.Name}} ..." calls (machine.virtualbox.modifyvm); it sets storage, NAT and the rest itself`);
  }
  if (modifyvm.length) t.set(['machine', 'virtualbox', 'modifyvm'], modifyvm, setting.pos);
};

const format: KeyHandler = (t, setting, key) => {
  const name = readString(t, key, setting);
  if (name === 'ova') t.set(['output', 'formats'], ['ova'], setting.pos);
  else if (name === 'ovf') {
    t.set(['output', 'formats'], ['ova'], setting.pos);
    t.note(setting.pos, `${key} = "ovf": kiln writes the appliance as an OVA (the same OVF and disk in one tar)`);
  } else if (name !== undefined) t.problem(setting.pos, `${key}: ${JSON.stringify(name)} is not ovf or ova`);
};

const guestAdditionsMode: KeyHandler = (t, setting, key) => {
  const mode = readString(t, key, setting);
  if (mode === 'upload' || mode === 'attach') {
    t.problem(setting.pos, `${key}: kiln does not ${mode} the Guest Additions ISO: set it to "disable" and upload the ISO with a file provisioner if a script installs it`);
  } else if (mode !== undefined && mode !== 'disable') t.problem(setting.pos, `${key}: ${JSON.stringify(mode)} is not upload, attach or disable`);
};

/** disable_shutdown, acpi_shutdown: the guest is stopped without a shutdown command, as kiln's `shutdown.command: none` does. */
const noShutdownCommand: KeyHandler = (t, setting, key) => {
  if (readBoolean(t, key, setting) !== true) return;
  t.set(['shutdown', 'command'], 'none', setting.pos);
  t.note(setting.pos, `${key}: kiln presses the ACPI power button and waits shutdown_timeout for the guest to power off`);
};

const GUEST_ADDITIONS = 'kiln does not provide the Guest Additions';
const DISPLAY = 'kiln gives the VM a 16 MB graphics card; the screen is read with screenshots';

export const VIRTUALBOX_KEYS: KeyTable = {
  ...SOURCE_FILE_KEYS,
  ...BOOT_HTTP_KEYS,
  ...COMMUNICATOR_KEYS,
  ...MEDIA_KEYS,
  ...OUTPUT_KEYS,
  format,
  cpus,
  memory,
  disk_size: diskSize,
  firmware: firmwareName,
  guest_os_type: stringTo('machine', 'virtualbox', 'os_type'),
  chipset: stringTo('machine', 'virtualbox', 'chipset'),
  gfx_controller: stringTo('machine', 'virtualbox', 'graphics'),
  nic_type: stringTo('machine', 'virtualbox', 'nic_type'),
  hard_drive_interface: hardDriveInterface,
  vboxmanage,
  vboxmanage_post: refused('kiln runs no VBoxManage calls after provisioning: move them into vboxmanage as modifyvm calls, or run them on the exported appliance'),
  gfx_vram_size: noted(DISPLAY),
  gfx_accelerate_3d: noted(DISPLAY),
  gfx_efi_resolution: noted(DISPLAY),
  iso_interface: noted('kiln attaches the installer ISO on IDE'),
  sata_port_count: noted('kiln makes the controller with the ports it needs'),
  nvme_port_count: noted('kiln makes the controller with the ports it needs'),
  hard_drive_nonrotational: noted('kiln attaches the disk with VirtualBox\'s defaults'),
  hard_drive_discard: noted('kiln attaches the disk with VirtualBox\'s defaults and zero-fills free space before export'),
  disk_additional_size: refused('kiln makes one disk: remove it, or add the disks after the build'),
  rtc_time_base: noted('kiln sets the clock to UTC (--rtcuseutc on)'),
  audio_controller: noted('kiln leaves audio at VirtualBox\'s default; add a vboxmanage modifyvm call to change it'),
  usb: noted('kiln leaves USB at VirtualBox\'s default; add a vboxmanage modifyvm call to change it'),
  usb_controller: noted('kiln leaves USB at VirtualBox\'s default; add a vboxmanage modifyvm call to change it'),
  sound: noted('kiln leaves audio at VirtualBox\'s default; add a vboxmanage modifyvm call to change it'),
  keyboard: noted('kiln leaves the keyboard at VirtualBox\'s default (PS/2), which its boot command types on'),
  mouse: noted('kiln leaves the mouse at VirtualBox\'s default'),
  ssh_skip_nat_mapping: refused('kiln always reaches SSH through its NAT port forward: remove it'),
  ssh_private_key: refused('give the key as a file with ssh_private_key_file'),
  ssh_public_key: refused('give the key as a file with ssh_private_key_file'),
  nested_virt: noted('add ["modifyvm", "{{.Name}}", "--nested-hw-virt", "on"] to vboxmanage if the guest needs it'),
  guest_additions_mode: guestAdditionsMode,
  guest_additions_path: noted(GUEST_ADDITIONS),
  guest_additions_url: noted(GUEST_ADDITIONS),
  guest_additions_sha256: noted(GUEST_ADDITIONS),
  guest_additions_interface: noted(GUEST_ADDITIONS),
  virtualbox_version_file: readElsewhere,
  bundle_iso: noted('kiln never attaches the ISO to the exported appliance'),
  disable_shutdown: noShutdownCommand,
  acpi_shutdown: noShutdownCommand,
  keep_registered: refused('kiln always unregisters and deletes the build VM: remove it'),
  skip_export: refused('kiln always exports: remove it'),
  export_opts: noted('kiln exports with --ovf10 --manifest'),
  output_filename: noted('kiln names the appliance after vm_name'),
};

export function translateVirtualBoxSource(t: Translator, source: PluginConfig): void {
  t.set(['hypervisor'], 'virtualbox', source.pos);
  // Packer's defaults where kiln's differ: an OVF appliance (an OVA here), the disk on IDE, OS type Other.
  if (!settingOf(source, 'format')) t.set(['output', 'formats'], ['ova'], source.pos);
  if (!settingOf(source, 'hard_drive_interface')) t.set(['machine', 'virtualbox', 'disk_interface'], 'ide', source.pos);
  if (!settingOf(source, 'guest_os_type')) t.set(['machine', 'virtualbox', 'os_type'], 'Other', source.pos);
  if (!settingOf(source, 'vm_name')) t.note(source.pos, 'no vm_name: Packer names the VM packer-NAME-<unix time>, kiln names it without the time');
  if (!settingOf(source, 'guest_additions_mode')) {
    t.note(
      source.pos,
      'guest_additions_mode is "upload" by default in Packer, but kiln does not upload the Guest Additions ISO: a script that installs them needs it uploaded by a file provisioner',
    );
  }
  const versionFile = settingOf(source, 'virtualbox_version_file');
  const versionFileName = versionFile ? readString(t, 'virtualbox_version_file', versionFile) : '.vbox_version';
  if (versionFileName === '' || versionFileName === undefined) return;
  const what = versionFile ? 'virtualbox_version_file:' : 'virtualbox_version_file is ".vbox_version" by default:';
  const message = `${what} kiln does not upload ${versionFileName} with the VirtualBox version as Packer does; a script that reads it needs the version another way`;
  t.note(versionFile?.pos ?? source.pos, message);
}
