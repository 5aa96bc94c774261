// The QEMU command line as data: a pure function of what the build knows, so every
// flag is decided here and tested by tables, never assembled ad hoc next to spawn().
import { KilnError } from '../../errors.js';
import type { Machine } from '../../template/types.js';
import type { CpuLevel } from '../../template/enums.js';
import type { QemuDiskInterface } from './disk-interfaces.js';

export type DiskInterface = QemuDiskInterface;

export type ResolvedAccel = 'kvm' | 'hvf' | 'whpx' | 'tcg';

export interface QemuArgvInput {
  /** Shown in window titles and `ps`; the template name. */
  name: string;
  machine: Pick<Machine, 'cpus' | 'memory_mib' | 'firmware'> & { qemu: Pick<Machine['qemu'], 'binary' | 'machine' | 'args'> };
  /** Already resolved by resolveAccel(): never 'auto' here. */
  accel: ResolvedAccel;
  disk: {
    path: string;
    format: 'qcow2' | 'raw';
    /** Default virtio. */
    interface?: DiskInterface;
    /** Default unsafe: flushes are ignored, which makes dpkg/rpm in installers much faster; a failed build is thrown away anyway. */
    cache?: 'unsafe' | 'writeback' | 'none';
  };
  /** The installer ISO. */
  cdrom?: string;
  /** More read-only CDs after the installer, e.g. a NoCloud CIDATA seed. */
  extraCdroms?: string[];
  /** A floppy image on the board's floppy controller (pc machines have one; q35 has none). */
  floppy?: string;
  /** Boot the cdrom once; the installer's reboot then lands on the disk. Ignored without a cdrom. */
  bootOnceFromCdrom?: boolean;
  /** Required when machine.firmware is efi: OVMF code (read-only) and this build's own copy of the vars. */
  efi?: { code: string; vars: string };
  qmpSocket: string;
  /**
   * The guest's first serial port goes to a listening UNIX socket whose output QEMU also
   * copies to `log`. The log is complete whether or not anyone is connected (QEMU writes
   * it even when no client is attached), and a live console can attach to `socket` at
   * any time to read and type.
   */
  serial: { socket: string; log: string };
  /** User-mode network port forwards, bound to 127.0.0.1 only (the SSH port, usually). */
  hostForwards?: { hostPort: number; guestPort: number }[];
  /** NIC model; default virtio-net-pci (e1000 for guests without virtio drivers). */
  nicModel?: string;
  /** `-display` value; default none. gtk, sdl or cocoa show the screen. */
  display?: string;
  /** Overrides the CPU model chosen from the accelerator and cpuLevel. */
  cpuModel?: string;
  /** The x86-64 level the guest needs (machine.qemu.cpu_level); default x86-64. */
  cpuLevel?: CpuLevel;
  /** TCG translation cache in MiB; default QEMU's own (1 GiB on 64-bit hosts, less when memory is short). */
  tcgCacheMiB?: number;
  /** SMBIOS system serial number; cloud-init reads its NoCloud seed URL there ("ds=nocloud-net;s=URL/"). */
  smbiosSerial?: string;
  /**
   * Start paused, waiting for a saved machine state (QEMU's -incoming): 'defer' until QMP
   * migrate-incoming names it. The CD drives are kept; the boot order does not matter.
   */
  incoming?: 'defer';
}

/** UNIX socket paths longer than this cannot be bound (sun_path is 108 bytes with its NUL). */
export const MAX_SOCKET_PATH = 107;

/** The argv for qemu-system-*, without the binary itself. */
export function buildQemuArgv(input: QemuArgvInput): string[] {
  const { machine } = input;
  checkSocketPath('QMP socket', input.qmpSocket);
  checkSocketPath('serial socket', input.serial.socket);

  const args = [
    '-name', opt(input.name),
    // Ignore /etc/qemu config and the board's default devices: every device is listed below.
    '-no-user-config',
    '-nodefaults',
    '-machine', machine.qemu.machine,
    ...accelArgs(input.accel, machine.cpus, input.tcgCacheMiB),
    '-cpu', input.cpuModel ?? cpuModelFor(input.accel, input.cpuLevel),
    '-smp', String(machine.cpus),
    '-m', `${machine.memory_mib}M`,
    ...firmwareArgs(input),
    ...bootArgs(input),
    ...diskArgs(input.disk),
    ...cdromArgs(input),
    ...(input.floppy !== undefined ? ['-drive', `file=${opt(input.floppy)},if=floppy,index=0,format=raw`] : []),
    ...networkArgs(input),
    ...(input.smbiosSerial !== undefined ? ['-smbios', `type=1,serial=${opt(input.smbiosSerial)}`] : []),
    // Installers and sshd block on entropy under TCG without a hardware RNG.
    '-device', 'virtio-rng-pci',
    // The screen must exist for the boot prompt and screendumps, even with no window.
    '-device', 'VGA',
    '-chardev', `socket,id=serial0,path=${opt(input.serial.socket)},server=on,wait=off,logfile=${opt(input.serial.log)},logappend=off`,
    '-serial', 'chardev:serial0',
    '-qmp', `unix:${opt(input.qmpSocket)},server=on,wait=off`,
    '-display', input.display ?? 'none',
    ...(input.incoming !== undefined ? ['-S', '-incoming', input.incoming] : []),
    // The template's escape hatch goes last so it can add to or override anything above.
    ...machine.qemu.args,
  ];
  return args;
}

/** QEMU option values are comma-separated; a literal comma is written twice. */
export function opt(value: string): string {
  return value.replaceAll(',', ',,');
}

function accelArgs(accel: ResolvedAccel, cpus: number, tbSizeMiB: number | undefined): string[] {
  if (accel !== 'tcg') return ['-accel', accel];
  // Multi-threaded TCG runs one host thread per vCPU. The code cache is QEMU's default
  // unless asked: a smaller one (kiln's 512 MiB until measured, docs/benchmarks.md) means
  // more flushes and retranslation, and QEMU already shrinks it on hosts short of memory.
  const cache = tbSizeMiB === undefined ? '' : `,tb-size=${tbSizeMiB}`;
  return ['-accel', `tcg,thread=${cpus > 1 ? 'multi' : 'single'}${cache}`];
}

/**
 * Under TCG, what QEMU emulates for each x86-64 level a guest may need (machine.qemu.cpu_level).
 * Measured in whole builds (docs/benchmarks.md, runs 4 and 5): `qemu64` (QEMU's default,
 * Packer's) is the fastest; x86-64-v2's SSE4.2 makes glibc pick string functions built on
 * PCMPISTRI, which TCG runs through helpers (init to sshd 4.4 to 4.6 s against 3.4 to 4.3 s),
 * so only guests that need it (RHEL 9 and its rebuilds) pay for it. `max` (AVX and the
 * rest emulated) made every boot phase 10 to 50% slower: only x86-64-v3 guests get it.
 */
export const TCG_CPU_MODELS: Readonly<Record<CpuLevel, string>> = {
  'x86-64': 'qemu64',
  'x86-64-v2': 'qemu64,+ssse3,+sse4.1,+sse4.2,+popcnt',
  'x86-64-v3': 'max',
};

/** The CPU model kiln picks when machine.qemu.cpu_model does not say. */
export function cpuModelFor(accel: ResolvedAccel, level: CpuLevel = 'x86-64'): string {
  // kvm and hvf pass the host CPU through; WHPX has no `host` model, and its `max` is the host's.
  if (accel === 'kvm' || accel === 'hvf') return 'host';
  return accel === 'whpx' ? 'max' : TCG_CPU_MODELS[level];
}

function firmwareArgs(input: QemuArgvInput): string[] {
  if (input.machine.firmware !== 'efi') return [];
  if (!input.efi) {
    throw new KilnError('E_QEMU', 'machine.firmware is efi but no OVMF firmware files were given', {
      hint: 'find them with findEfiFirmware() and copy the vars per build with prepareEfiVars()',
    });
  }
  return [
    '-drive', `if=pflash,format=raw,unit=0,readonly=on,file=${opt(input.efi.code)}`,
    '-drive', `if=pflash,format=raw,unit=1,file=${opt(input.efi.vars)}`,
  ];
}

function bootArgs(input: QemuArgvInput): string[] {
  // No bootindex on devices: it would override -boot. `once=d` reverts to the default
  // order (disk first) at the installer's reboot. OVMF ignores -boot but falls through
  // an empty disk to the CD, and the installer registers its own NVRAM boot entry.
  return ['-boot', input.cdrom && input.bootOnceFromCdrom ? 'once=d' : 'order=c'];
}

function diskArgs(disk: QemuArgvInput['disk']): string[] {
  const drive = [
    `file=${opt(disk.path)}`,
    'if=none',
    'id=disk0',
    `format=${disk.format}`,
    `cache=${disk.cache ?? 'unsafe'}`,
    // Trim from the guest and zeroed blocks become holes, so exported images stay small.
    'discard=unmap',
    'detect-zeroes=unmap',
  ].join(',');
  return ['-drive', drive, ...diskDevice(disk.interface ?? 'virtio')];
}

function diskDevice(kind: DiskInterface): string[] {
  switch (kind) {
    case 'virtio':
      return ['-device', 'virtio-blk-pci,drive=disk0'];
    case 'virtio-scsi':
    case 'scsi':
      return ['-device', 'virtio-scsi-pci,id=scsi0', '-device', 'scsi-hd,drive=disk0,bus=scsi0.0'];
    case 'ide':
      return ['-device', 'ide-hd,drive=disk0'];
    case 'sata':
      return ['-device', 'ahci,id=ahci0', '-device', 'ide-hd,drive=disk0,bus=ahci0.0'];
    case 'nvme':
      return ['-device', 'nvme,drive=disk0,serial=kiln-disk0'];
  }
}

function cdromArgs(input: QemuArgvInput): string[] {
  const isos = [...(input.cdrom ? [input.cdrom] : []), ...(input.extraCdroms ?? [])];
  // The board's own IDE/AHCI controller, by index: QEMU maps it to a bus and unit per
  // board (pc: 2 buses of 2 units, q35: 6 ports of 1). Indexes 0-1 stay free for an IDE disk.
  return isos.flatMap((iso, i) => ['-drive', `file=${opt(iso)},if=ide,index=${2 + i},id=cdrom${i},media=cdrom,readonly=on,format=raw`]);
}

function networkArgs(input: QemuArgvInput): string[] {
  const forwards = (input.hostForwards ?? []).map(
    (f) => `,hostfwd=tcp:127.0.0.1:${port(f.hostPort)}-:${port(f.guestPort)}`,
  );
  return [
    '-netdev', `user,id=net0${forwards.join('')}`,
    '-device', `${input.nicModel ?? 'virtio-net-pci'},netdev=net0`,
  ];
}

function port(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw new KilnError('E_QEMU', `${n} is not a TCP port`, { hint: 'ports are whole numbers from 1 to 65535' });
  }
  return n;
}

function checkSocketPath(what: string, path: string): void {
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH) {
    throw new KilnError('E_QEMU', `the ${what} path is ${Buffer.byteLength(path)} bytes, over the ${MAX_SOCKET_PATH}-byte limit for UNIX sockets: ${path}`, {
      hint: 'put sockets in a short directory such as one made by mkdtemp(os.tmpdir())',
    });
  }
}
