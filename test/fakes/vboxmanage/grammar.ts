// The command-line grammar the fake accepts, as data, per VirtualBox version. Sources:
// the VBoxManage manual pages (doc/manual/en_US/man_VBoxManage-*.xml) and the option
// tables of VBoxManage's sources (VBoxManageModifyVM.cpp, ...Misc.cpp, ...Disk.cpp,
// ...StorageController.cpp, ...ControlVM.cpp) for 7.x, and 5.x/6.x-era sources plus the
// 6.1 manual for 6.1: 6.1 only has the run-together spellings (--natpf, --uartmode);
// 7.0 added hyphenated ones (--nat-pf, --uart-mode) and kept the old; 7.0 added
// --nat-localhostreachable<N>, --audio-driver, --audio-enabled; 7.1 added
// createvm --platform-architecture and the --x86-* spellings. Only the part of each
// command a kiln build (or a template's modifyvm escape hatch) plausibly uses is
// listed; anything else is rejected as VBoxManage rejects an unknown option.

export interface VersionInfo {
  /** major * 100 + minor: 601, 700, 701 */
  number: number;
  /** "7.0.14" */
  base: string;
  /** What --version prints: "7.0.14r161095" */
  full: string;
}

export function parseFakeVersion(full: string): VersionInfo {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(full);
  if (!m) throw new Error(`FAKE_VBOX_VERSION "${full}" is not like 7.0.14r161095`);
  return { number: Number(m[1]) * 100 + Number(m[2]), base: `${m[1]}.${m[2]}.${m[3]}`, full };
}

export type ValueKind = 'none' | 'string' | 'uint32' | 'uint64' | 'int64' | 'onoff' | 'uuid';

export interface OptionDef {
  /** Canonical key handlers switch on. */
  key: string;
  names: string[];
  value: ValueKind;
  /** --nic1 style: a number follows the name. */
  indexed?: boolean;
  /** Lowest version (major*100+minor) that accepts it. */
  since?: number;
}

type Flags = { indexed?: boolean; since?: number; sinceNew?: number };

/**
 * An option spelled `names[0]` from 7.0 on (or flags.sinceNew) and `names[1]` in every
 * version; one name means every version (or flags.since).
 */
function opt(key: string, value: ValueKind, names: string[], flags: Flags = {}): OptionDef[] {
  const base = { key, value, indexed: flags.indexed };
  if (names.length === 1) return [{ ...base, names, since: flags.since }];
  return [
    { ...base, names: [names[0]!], since: flags.sinceNew ?? 700 },
    { ...base, names: names.slice(1), since: flags.since },
  ];
}

const IX = { indexed: true } as const;

export const MODIFYVM_OPTIONS: OptionDef[] = [
  ...opt('name', 'string', ['--name']),
  ...opt('groups', 'string', ['--groups']),
  ...opt('description', 'string', ['--description']),
  ...opt('ostype', 'string', ['--os-type', '--ostype']),
  ...opt('memory', 'uint32', ['--memory']),
  ...opt('pagefusion', 'onoff', ['--page-fusion', '--pagefusion']),
  ...opt('vram', 'uint32', ['--vram']),
  ...opt('firmware', 'string', ['--firmware']),
  ...opt('acpi', 'onoff', ['--acpi']),
  ...opt('ioapic', 'onoff', ['--ioapic']),
  ...opt('pae', 'onoff', ['--x86-pae', '--pae'], { sinceNew: 701 }),
  ...opt('longmode', 'onoff', ['--long-mode', '--longmode']),
  ...opt('longmode', 'onoff', ['--x86-long-mode'], { since: 701 }),
  ...opt('hpet', 'onoff', ['--x86-hpet', '--hpet'], { sinceNew: 701 }),
  ...opt('hwvirtex', 'onoff', ['--x86-hwvirtex', '--hwvirtex'], { sinceNew: 701 }),
  ...opt('nestedpaging', 'onoff', ['--nested-paging', '--nestedpaging']),
  ...opt('largepages', 'onoff', ['--large-pages', '--largepages']),
  ...opt('vtxvpid', 'onoff', ['--vtx-vpid', '--vtxvpid']),
  ...opt('vtxux', 'onoff', ['--vtx-ux', '--vtxux']),
  ...opt('nestedhwvirt', 'onoff', ['--nested-hw-virt']),
  ...opt('apic', 'onoff', ['--apic']),
  ...opt('x2apic', 'onoff', ['--x2apic']),
  ...opt('paravirtprovider', 'string', ['--paravirt-provider', '--paravirtprovider']),
  ...opt('cpus', 'uint32', ['--cpus']),
  ...opt('cpuhotplug', 'onoff', ['--cpu-hotplug', '--cpuhotplug']),
  ...opt('cpuexecutioncap', 'uint32', ['--cpu-execution-cap', '--cpuexecutioncap']),
  ...opt('rtcuseutc', 'onoff', ['--rtc-use-utc', '--rtcuseutc']),
  ...opt('graphicscontroller', 'string', ['--graphicscontroller']),
  ...opt('monitorcount', 'uint32', ['--monitor-count', '--monitorcount']),
  ...opt('accelerate3d', 'onoff', ['--accelerate-3d', '--accelerate3d']),
  ...opt('biosbootmenu', 'string', ['--bios-boot-menu', '--biosbootmenu']),
  ...opt('biosbootmenu', 'string', ['--firmware-boot-menu'], { since: 701 }),
  ...opt('bioslogofadein', 'onoff', ['--bios-logo-fade-in', '--bioslogofadein']),
  ...opt('bioslogofadeout', 'onoff', ['--bios-logo-fade-out', '--bioslogofadeout']),
  ...opt('bioslogodisplaytime', 'uint32', ['--bios-logo-display-time', '--bioslogodisplaytime']),
  ...opt('boot', 'string', ['--boot'], IX),
  ...opt('nictype', 'string', ['--nic-type', '--nictype'], IX),
  ...opt('nic', 'string', ['--nic'], IX),
  ...opt('cableconnected', 'onoff', ['--cable-connected', '--cableconnected'], IX),
  ...opt('natpf', 'string', ['--nat-pf', '--natpf'], IX),
  ...opt('natnet', 'string', ['--nat-net', '--natnet'], IX),
  ...opt('natdnsproxy', 'onoff', ['--nat-dns-proxy', '--natdnsproxy'], IX),
  ...opt('natdnshostresolver', 'onoff', ['--nat-dns-host-resolver', '--natdnshostresolver'], IX),
  ...opt('natlocalhostreachable', 'onoff', ['--nat-localhostreachable', '--natlocalhostreachable'], { ...IX, since: 700 }),
  ...opt('macaddress', 'string', ['--mac-address', '--macaddress'], IX),
  ...opt('bridgeadapter', 'string', ['--bridge-adapter', '--bridgeadapter'], IX),
  ...opt('hostonlyadapter', 'string', ['--host-only-adapter', '--hostonlyadapter'], IX),
  ...opt('intnet', 'string', ['--intnet'], IX),
  ...opt('mouse', 'string', ['--mouse']),
  ...opt('keyboard', 'string', ['--keyboard']),
  ...opt('uartmode', 'string', ['--uart-mode', '--uartmode'], IX),
  ...opt('uarttype', 'string', ['--uart-type', '--uarttype'], IX),
  ...opt('uart', 'string', ['--uart'], IX),
  ...opt('audio', 'string', ['--audio']),
  ...opt('audiodriver', 'string', ['--audio-driver', '--audiodriver'], { since: 700 }),
  ...opt('audioenabled', 'onoff', ['--audio-enabled', '--audioenabled'], { since: 700 }),
  ...opt('audiocontroller', 'string', ['--audio-controller', '--audiocontroller']),
  ...opt('audioin', 'onoff', ['--audio-in', '--audioin']),
  ...opt('audioout', 'onoff', ['--audio-out', '--audioout']),
  ...opt('clipboard', 'string', ['--clipboard-mode']),
  ...opt('clipboard', 'string', ['--clipboard']),
  ...opt('draganddrop', 'string', ['--drag-and-drop', '--draganddrop']),
  ...opt('vrde', 'onoff', ['--vrde']),
  ...opt('vrdeport', 'string', ['--vrde-port', '--vrdeport']),
  ...opt('usb', 'onoff', ['--usb']),
  ...opt('usbohci', 'onoff', ['--usb-ohci', '--usbohci']),
  ...opt('usbehci', 'onoff', ['--usb-ehci', '--usbehci']),
  ...opt('usbxhci', 'onoff', ['--usb-xhci', '--usbxhci']),
  ...opt('snapshotfolder', 'string', ['--snapshot-folder', '--snapshotfolder']),
  ...opt('chipset', 'string', ['--chipset']),
  ...opt('iocache', 'onoff', ['--iocache']),
  ...opt('iocachesize', 'uint32', ['--iocache-size', '--iocachesize']),
  ...opt('hardwareuuid', 'string', ['--hardware-uuid', '--hardwareuuid']),
  ...opt('defaultfrontend', 'string', ['--default-frontend', '--defaultfrontend']),
  ...opt('tpmtype', 'string', ['--tpm-type'], { since: 700 }),
  ...opt('autostartenabled', 'onoff', ['--autostart-enabled']),
  ...opt('autostartdelay', 'uint32', ['--autostart-delay']),
  ...opt('vmprocesspriority', 'string', ['--vm-process-priority']),
];

/** Values an option accepts, checked case-insensitively by the handler after parsing. */
export interface ValueForm {
  values: string[];
  /** Extra values from a version on. */
  sinceValues?: Record<number, string[]>;
  /** printf-like: %s is the value, %u the index. */
  error: string;
  /** 2 where VBoxManage returns errorArgument() directly, 1 where it sets E_FAIL and goes on. */
  exit: 1 | 2;
}

export const VALUE_FORMS: Record<string, ValueForm> = {
  firmware: { values: ['bios', 'efi', 'efi32', 'efi64', 'efidual'], error: "Invalid --firmware argument '%s'", exit: 1 },
  chipset: { values: ['piix3', 'ich9'], sinceValues: { 701: ['armv8', 'armv8virtual'] }, error: "Invalid --chipset argument '%s'", exit: 1 },
  graphicscontroller: {
    values: ['none', 'disabled', 'vboxvga', 'vbox', 'vga', 'vesa', 'vmsvga', 'vmware', 'vboxsvga', 'svga'],
    error: "Invalid --graphicscontroller argument '%s'",
    exit: 1,
  },
  boot: { values: ['none', 'floppy', 'dvd', 'disk', 'net'], error: "Invalid boot device '%s'", exit: 2 },
  nic: {
    values: ['none', 'null', 'nat', 'bridged', 'hostif', 'intnet', 'hostonly', 'generic', 'natnetwork'],
    sinceValues: { 700: ['cloud', 'hostonlynet'] },
    error: "Invalid type '%s' specfied for NIC %u",
    exit: 1,
  },
  nictype: {
    values: ['Am79C970A', 'Am79C973', '82540EM', '82543GC', '82545EM', 'virtio'],
    sinceValues: { 701: ['Am79C960', 'NE1000', 'NE2000', 'WD8003', 'WD8013', '3C503', '3C501'] },
    error: "Invalid NIC type '%s' specified for NIC %u",
    exit: 1,
  },
  paravirtprovider: { values: ['none', 'disabled', 'default', 'legacy', 'minimal', 'hyperv', 'kvm'], error: "Invalid --paravirtprovider argument '%s'", exit: 1 },
  mouse: { values: ['ps2', 'usb', 'usbtablet', 'usbmultitouch', 'none'], error: "Invalid type '%s' specfied for pointing device", exit: 1 },
  keyboard: { values: ['ps2', 'usb', 'none'], error: "Invalid type '%s' specfied for keyboard", exit: 1 },
  uarttype: { values: ['16450', '16550A', '16750'], error: "Invalid argument to '--uarttype'", exit: 2 },
  audio: { values: ['none', 'null', 'default', 'pulse', 'alsa', 'oss'], error: "Invalid --audio argument '%s'", exit: 1 },
  audiodriver: { values: ['none', 'null', 'default', 'pulse', 'alsa', 'oss'], error: "Invalid --audio-driver argument '%s'", exit: 1 },
  audiocontroller: { values: ['sb16', 'ac97', 'hda'], error: "Invalid --audiocontroller argument '%s'", exit: 1 },
  clipboard: { values: ['disabled', 'hosttoguest', 'guesttohost', 'bidirectional'], error: "Invalid --clipboard-mode argument '%s'", exit: 1 },
  draganddrop: { values: ['disabled', 'hosttoguest', 'guesttohost', 'bidirectional'], error: "Invalid --draganddrop argument '%s'", exit: 1 },
  biosbootmenu: { values: ['disabled', 'menuonly', 'messageandmenu'], error: "Invalid --biosbootmenu argument '%s'", exit: 1 },
  tpmtype: { values: ['none', 'disabled', '1.2', '2.0', 'host', 'swtpm'], error: "Invalid --tpm-type argument '%s'", exit: 1 },
  vmprocesspriority: { values: ['default', 'flat', 'low', 'normal', 'high'], error: "Invalid --vm-process-priority '%s'", exit: 1 },
  // storagectl --add / --controller, storageattach --type, startvm --type
  bus: { values: ['ide', 'sata', 'scsi', 'floppy', 'sas', 'usb', 'pcie', 'virtio-scsi', 'virtio'], error: "Invalid --add argument '%s'", exit: 1 },
  controller: {
    values: ['lsilogic', 'buslogic', 'intelahci', 'piix3', 'piix4', 'ich6', 'i82078', 'lsilogicsas', 'usb', 'nvme', 'virtio-scsi', 'virtio'],
    error: "Invalid --type argument '%s'",
    exit: 1,
  },
  attachtype: { values: ['hdd', 'fdd', 'dvddrive'], error: "Invalid --type argument '%s'", exit: 2 },
  mediumformat: { values: ['VDI', 'VMDK', 'VHD', 'Parallels', 'QED', 'QCOW', 'RAW'], error: "Could not find a medium format named '%s'", exit: 1 },
  mediumvariant: { values: ['standard', 'fixed', 'split2g', 'stream', 'esx', 'formatted', 'rawdisk'], error: "Invalid medium variant '%s'", exit: 2 },
};

/** Whether `value` is one of the form's values in this version (case-insensitive, as RTStrICmp). */
export function formAccepts(form: ValueForm, value: string, version: number): boolean {
  const extra = Object.entries(form.sinceValues ?? {}).flatMap(([since, values]) => (version >= Number(since) ? values : []));
  return [...form.values, ...extra].some((v) => v.toLowerCase() === value.toLowerCase());
}

export const CREATEVM_OPTIONS: OptionDef[] = [
  ...opt('name', 'string', ['--name']),
  ...opt('name', 'string', ['-name']),
  ...opt('groups', 'string', ['--groups']),
  ...opt('basefolder', 'string', ['--basefolder']),
  ...opt('basefolder', 'string', ['-basefolder']),
  ...opt('ostype', 'string', ['--ostype']),
  ...opt('ostype', 'string', ['-ostype']),
  ...opt('uuid', 'uuid', ['--uuid']),
  ...opt('register', 'none', ['--register']),
  ...opt('register', 'none', ['-register']),
  ...opt('default', 'none', ['--default']),
  ...opt('cipher', 'string', ['--cipher'], { since: 700 }),
  ...opt('passwordid', 'string', ['--password-id'], { since: 700 }),
  ...opt('password', 'string', ['--password'], { since: 700 }),
  ...opt('platform', 'string', ['--platform-architecture'], { since: 701 }),
  ...opt('platform', 'string', ['--platform-arch'], { since: 701 }),
];

export const STORAGECTL_OPTIONS: OptionDef[] = [
  ...opt('name', 'string', ['--name']),
  ...opt('add', 'string', ['--add']),
  ...opt('controller', 'string', ['--controller']),
  ...opt('portcount', 'uint32', ['--portcount']),
  ...opt('remove', 'none', ['--remove']),
  ...opt('rename', 'string', ['--rename']),
  ...opt('hostiocache', 'string', ['--hostiocache']),
  ...opt('bootable', 'string', ['--bootable']),
];

export const STORAGEATTACH_OPTIONS: OptionDef[] = [
  ...['storagectl', 'type', 'medium', 'mtype', 'passthrough', 'tempeject', 'nonrotational', 'discard', 'hotpluggable', 'comment'].flatMap((k) =>
    opt(k, 'string', [`--${k}`]),
  ),
  ...opt('port', 'uint32', ['--port']),
  ...opt('device', 'uint32', ['--device']),
  ...opt('forceunmount', 'none', ['--forceunmount']),
];

export const CREATEMEDIUM_OPTIONS: OptionDef[] = [
  ...opt('disk', 'none', ['disk']),
  ...opt('dvd', 'none', ['dvd']),
  ...opt('floppy', 'none', ['floppy']),
  ...opt('filename', 'string', ['--filename']),
  ...opt('filename', 'string', ['-filename']),
  ...opt('diffparent', 'string', ['--diffparent']),
  ...opt('size', 'uint64', ['--size']),
  ...opt('size', 'uint64', ['-size']),
  ...opt('sizebyte', 'uint64', ['--sizebyte']),
  ...opt('format', 'string', ['--format']),
  ...opt('format', 'string', ['-format']),
  ...opt('static', 'none', ['--static']),
  ...opt('variant', 'string', ['--variant']),
  ...opt('variant', 'string', ['-variant']),
  ...opt('property', 'string', ['--property'], { since: 700 }),
];

export const STARTVM_OPTIONS: OptionDef[] = [
  ...opt('type', 'string', ['--type']),
  ...opt('type', 'string', ['-type']),
  ...opt('putenv', 'string', ['--putenv']),
  ...opt('putenv', 'string', ['-E']),
  ...opt('password', 'string', ['--password'], { since: 700 }),
  ...opt('passwordid', 'string', ['--password-id'], { since: 700 }),
];

export const UNREGISTERVM_OPTIONS: OptionDef[] = [
  ...opt('delete', 'none', ['--delete']),
  ...opt('delete', 'none', ['-delete']),
  ...opt('deleteall', 'none', ['--delete-all'], { since: 700 }),
];

export const SHOWVMINFO_OPTIONS: OptionDef[] = [
  ...opt('details', 'none', ['--details']),
  ...opt('machinereadable', 'none', ['--machinereadable']),
  ...opt('log', 'uint32', ['--log']),
];

export const EXPORT_OPTIONS: OptionDef[] = [
  ...opt('output', 'string', ['--output']),
  ...opt('output', 'string', ['-o']),
  ...['legacy09', 'ovf09', 'ovf10', 'ovf20', 'manifest'].flatMap((k) => opt(k, 'none', [`--${k}`])),
  ...['options', 'vmname', 'product', 'producturl', 'vendor', 'vendorurl', 'version', 'description', 'eula', 'eulafile'].flatMap((k) =>
    opt(k, 'string', [`--${k}`]),
  ),
  ...opt('vsys', 'uint32', ['--vsys']),
];

export const CLOSEMEDIUM_OPTIONS: OptionDef[] = [
  ...opt('disk', 'none', ['disk']),
  ...opt('dvd', 'none', ['dvd']),
  ...opt('floppy', 'none', ['floppy']),
  ...opt('delete', 'none', ['--delete']),
];

export const LIST_OPTIONS: OptionDef[] = [...opt('long', 'none', ['--long']), ...opt('long', 'none', ['-l']), ...opt('sorted', 'none', ['--sorted'])];
