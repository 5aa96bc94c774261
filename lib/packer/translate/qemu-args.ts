// qemuargs -> machine keys and machine.qemu.args. Each row is a flag and its value (Packer
// joins the rest of the row without separators). Packer drops its own default for a flag
// the user gives (-m, -smp, -drive, -device, -netdev); kiln appends the user's args after
// its own, where QEMU lets the last -m/-smp/-cpu win but adds a second disk or NIC. So:
// sizing flags become machine keys (the template then says what the VM is), the NIC
// model on Packer's own user.0 network becomes net_device, Packer's default network is
// dropped, flags for what kiln wires itself (disk, network, boot order, QMP, serial) are
// problems, display flags are dropped (kiln is headless), and the rest is appended.
import type { Setting } from '../model.js';
import type { Translator } from './translator.js';
import { qemuMemoryMiB, qemuSmpCount } from './units.js';
import { readStringMatrix } from './values.js';

/** The row's value ([] for a bare flag such as -enable-kvm) -> the argv kiln appends. */
type FlagHandler = (t: Translator, values: string[], setting: Setting, flag: string) => string[];

const keep: FlagHandler = (_t, values, _setting, flag) => [flag, ...values];

/** Packer's own network, which kiln makes too (with its own SSH forward). */
const PACKER_NETDEV = /^user,id=user\.0(,hostfwd=tcp::\{\{\s*\.SSHHostPort\s*\}\}-:\d+)?$/;
/** A NIC model on Packer's network, nothing else set: kiln's net_device. */
const PACKER_NIC = /^([\w-]+),netdev=user\.0$/;

const owned =
  (what: string, instead: string): FlagHandler =>
  (t, values, setting, flag) => {
    t.problem(setting.pos, `qemuargs: ${[flag, ...values].join(' ')} sets ${what}, which kiln wires itself (Packer drops its own for it): ${instead}`);
    return [];
  };

const dropped =
  (why: string): FlagHandler =>
  (t, values, setting, flag) => {
    t.note(setting.pos, `qemuargs: ${[flag, ...values].join(' ')} is dropped: ${why}`);
    return [];
  };

const memory: FlagHandler = (t, values, setting, flag) => {
  const mib = values.length === 1 ? qemuMemoryMiB(values[0]!) : undefined;
  if (mib === undefined) return keep(t, values, setting, flag);
  overrideMachine(t, 'memory', mib, setting);
  return [];
};

const smp: FlagHandler = (t, values, setting, flag) => {
  const cpus = values.length === 1 ? qemuSmpCount(values[0]!) : undefined;
  if (cpus === undefined) return keep(t, values, setting, flag);
  overrideMachine(t, 'cpus', cpus, setting);
  return [];
};

const cpuModel: FlagHandler = (t, values, setting, flag) => {
  if (values.length !== 1) return keep(t, values, setting, flag);
  t.set(['machine', 'qemu', 'cpu_model'], values[0], setting.pos);
  return [];
};

const machineType: FlagHandler = (t, values, setting, flag) => {
  const type = values.length === 1 ? /^(?:type=)?([\w.-]+)$/.exec(values[0]!)?.[1] : undefined;
  if (type === undefined) return keep(t, values, setting, flag);
  t.set(['machine', 'qemu', 'machine'], type, setting.pos);
  return [];
};

const enableKvm: FlagHandler = (t, _values, setting) => {
  t.set(['machine', 'accel'], 'kvm', setting.pos);
  return [];
};

const device: FlagHandler = (t, values, setting, flag) => {
  const nic = values.length === 1 ? PACKER_NIC.exec(values[0]!)?.[1] : undefined;
  if (nic !== undefined) {
    t.set(['machine', 'qemu', 'net_device'], nic, setting.pos);
    return [];
  }
  return values.some((v) => /(^|,)(drive|netdev)=/.test(v))
    ? owned('the disk or network device', 'use disk_interface / net_device instead')(t, values, setting, flag)
    : keep(t, values, setting, flag);
};

const netdev: FlagHandler = (t, values, setting, flag) =>
  values.length === 1 && PACKER_NETDEV.test(values[0]!)
    ? dropped('it is Packer\'s own network, which kiln makes with its SSH forward')(t, values, setting, flag)
    : owned('the network', 'use net_device; kiln forwards SSH itself')(t, values, setting, flag);

/** kiln's own character device (the serial console); another id is the user's own (bento's guest-agent channel). */
const chardev: FlagHandler = (t, values, setting, flag) =>
  values.some((v) => /(^|,)id=serial0(,|$)/.test(v))
    ? owned('the character device kiln uses for the serial console', 'give it another id')(t, values, setting, flag)
    : keep(t, values, setting, flag);

/** `-boot strict=off` (bento's) changes only what happens when nothing boots; an order is kiln's. */
const boot: FlagHandler = (t, values, setting, flag) => {
  const options = values.join(',').split(',').filter(Boolean);
  return options.length > 0 && options.every((o) => /^(strict|menu|splash|splash-time|reboot-timeout)=/.test(o))
    ? dropped('kiln sets the boot order (the ISO once, then the disk); these options only matter when nothing boots')(t, values, setting, flag)
    : owned('the boot order', 'remove it (kiln boots the ISO once, then the disk)')(t, values, setting, flag);
};

const DISK = 'use disk_size and disk_interface (kiln makes one disk)';
const HEADLESS = 'kiln always runs headless and reads the screen over QMP';

const FLAGS: Readonly<Record<string, FlagHandler>> = {
  '-m': memory,
  '-smp': smp,
  '-cpu': cpuModel,
  '-machine': machineType,
  '-M': machineType,
  '-enable-kvm': enableKvm,
  '-device': device,
  '-drive': owned('a drive', DISK),
  '-hda': owned('a drive', DISK),
  '-hdb': owned('a drive', DISK),
  '-cdrom': owned('a drive', 'kiln attaches the ISO; use cd_files or cd_content for another CD'),
  '-netdev': netdev,
  '-nic': owned('the network', 'use net_device; kiln forwards SSH itself'),
  '-net': owned('the network', 'use net_device; kiln forwards SSH itself'),
  '-boot': boot,
  '-bios': owned('the firmware', 'use firmware / efi_boot'),
  '-qmp': owned('the QMP socket', 'remove it'),
  '-monitor': owned('the monitor', 'remove it'),
  '-serial': owned('the serial console', 'remove it (kiln logs the serial console to serial.log)'),
  '-chardev': chardev,
  '-display': dropped(HEADLESS),
  '-vnc': dropped(HEADLESS),
  '-nographic': dropped(HEADLESS),
  '-name': dropped('kiln names the VM after the template'),
};

export function translateQemuArgs(t: Translator, setting: Setting): void {
  const rows = readStringMatrix(t, 'qemuargs', setting);
  if (!rows) return;
  const args: string[] = [];
  for (const row of rows) {
    const [flag, ...rest] = row;
    if (flag === undefined) continue;
    const values = rest.length ? [rest.join('')] : [];
    const handler = Object.hasOwn(FLAGS, flag) ? FLAGS[flag]! : keep;
    args.push(...handler(t, values, setting, flag));
  }
  for (const arg of args.filter((a) => a.includes('{{'))) {
    t.problem(setting.pos, `qemuargs: ${arg}: kiln passes machine.qemu.args as written, without filling placeholders: write the value itself`);
  }
  if (args.length) t.set(['machine', 'qemu', 'args'], args, setting.pos);
}

/** A -m/-smp in qemuargs wins over memory/cpus in Packer too: say so when both are given and differ. */
function overrideMachine(t: Translator, key: 'memory' | 'cpus', value: number, setting: Setting): void {
  const before = t.get(['machine', key]);
  if (before !== undefined && before !== value) {
    t.note(setting.pos, `qemuargs sets ${key} to ${value}, over ${key === 'memory' ? 'memory' : 'cpus'} = ${String(before)}, as under Packer`);
  }
  t.set(['machine', key], value, setting.pos);
}
