// The argv tables say what kiln asks for; this says QEMU 7.2 accepts it: each variant is
// started for real (TCG, no guest OS) and inspected over QMP.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildQemuArgv, type DiskInterface, type QemuArgvInput } from '../../../lib/hypervisor/qemu/argv.js';
import { findEfiFirmware, prepareEfiVars } from '../../../lib/hypervisor/qemu/firmware.js';
import { createDisk } from '../../../lib/hypervisor/qemu/qemu-img.js';
import { startQemu, type QemuVm } from '../../../lib/hypervisor/qemu/vm.js';
import { findFreePort } from '../../../lib/util/free-port.js';

const dir = mkdtempSync(join(tmpdir(), 'kiln-argv-'));
const started: QemuVm[] = [];
const iso = join(dir, 'installer.iso');
writeFileSync(iso, Buffer.alloc(1 << 20));
const disk = join(dir, 'disk.qcow2');
let n = 0;

function input(overrides: Partial<QemuArgvInput> = {}): QemuArgvInput {
  const id = n++;
  return {
    name: 'argv-check',
    machine: { cpus: 2, memory_mib: 128, firmware: 'bios', qemu: { binary: 'qemu-system-x86_64', machine: 'pc', args: [] } },
    accel: 'tcg',
    disk: { path: disk, format: 'qcow2' },
    qmpSocket: join(dir, `qmp${id}.sock`),
    serial: { socket: join(dir, `serial${id}.sock`), log: join(dir, `serial${id}.log`) },
    ...overrides,
  };
}

async function boot(args: QemuArgvInput): Promise<QemuVm> {
  const vm = await startQemu({ binary: 'qemu-system-x86_64', argv: buildQemuArgv(args), qmpSocket: args.qmpSocket });
  started.push(vm);
  return vm;
}

type Block = { device: string; inserted?: { file: string; ro: boolean } };
const blocks = async (vm: QemuVm) => new Map((await vm.qmp.execute<Block[]>('query-block')).map((b) => [b.device, b.inserted]));

const connects = (options: { port: number; host: string } | { path: string }) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(options as never);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

test.before(async () => {
  await createDisk(disk, 64 << 20, 'qcow2');
});

test('bios, installer cdrom, SSH forward, serial socket and log', async () => {
  const hostPort = await findFreePort();
  const args = input({ cdrom: iso, bootOnceFromCdrom: true, hostForwards: [{ hostPort, guestPort: 22 }] });
  const vm = await boot(args);
  const status = await vm.qmp.execute<{ status: string }>('query-status');
  assert.is(status.status, 'running');
  const devices = await blocks(vm);
  assert.is(devices.get('disk0')?.file, disk);
  assert.is(devices.get('disk0')?.ro, false);
  assert.is(devices.get('cdrom0')?.file, iso);
  assert.is(devices.get('cdrom0')?.ro, true);
  assert.ok(await connects({ host: '127.0.0.1', port: hostPort }), 'the SSH forward listens on loopback');
  assert.ok(await connects({ path: args.serial.socket }), 'the serial console socket accepts a client');
  assert.ok(existsSync(args.serial.log), 'the serial log exists from the start');
  await vm.quit();
  assert.is((await vm.exited).exitCode, 0);
});

test('efi: OVMF code read-only, vars from this build', async () => {
  const firmware = await findEfiFirmware();
  const vars = await prepareEfiVars(firmware, join(dir, 'vars.fd'));
  const base = input();
  const vm = await boot({ ...base, machine: { ...base.machine, firmware: 'efi' }, efi: { code: firmware.code, vars } });
  const devices = await blocks(vm);
  assert.is(devices.get('pflash0')?.file, firmware.code);
  assert.is(devices.get('pflash0')?.ro, true);
  assert.is(devices.get('pflash1')?.file, vars);
  assert.is(devices.get('pflash1')?.ro, false);
  await vm.quit();
});

const interfaces: DiskInterface[] = ['virtio', 'virtio-scsi', 'ide', 'sata', 'nvme'];
for (const kind of interfaces) {
  test(`disk interface ${kind} with a cdrom`, async () => {
    const vm = await boot(input({ disk: { path: disk, format: 'qcow2', interface: kind }, cdrom: iso }));
    const devices = await blocks(vm);
    assert.is(devices.get('disk0')?.file, disk);
    assert.is(devices.get('cdrom0')?.file, iso);
    await vm.quit();
  });
}

test('q35 machine with installer and seed cdroms, raw disk', async () => {
  const raw = join(dir, 'disk.raw');
  await createDisk(raw, 16 << 20, 'raw');
  const base = input();
  const vm = await boot({
    ...base,
    machine: { ...base.machine, qemu: { ...base.machine.qemu, machine: 'q35' } },
    disk: { path: raw, format: 'raw' },
    cdrom: iso,
    extraCdroms: [iso],
    bootOnceFromCdrom: true,
  });
  const devices = await blocks(vm);
  assert.is(devices.get('disk0')?.file, raw);
  assert.is(devices.get('cdrom1')?.ro, true);
  await vm.quit();
});

async function until<T>(what: string, read: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('bootOnceFromCdrom: SeaBIOS boots the CD first, and the disk after a reset', async () => {
  const debugLog = join(dir, 'seabios.log');
  const base = input();
  const extra = ['-chardev', `file,id=dbg,path=${debugLog}`, '-device', 'isa-debugcon,iobase=0x402,chardev=dbg'];
  const vm = await boot({ ...base, machine: { ...base.machine, qemu: { ...base.machine.qemu, args: extra } }, cdrom: iso, bootOnceFromCdrom: true });
  const log = () => (existsSync(debugLog) ? readFileSync(debugLog, 'latin1') : '');
  // SeaBIOS's debug port (0x402) names each device it tries: "Booting from DVD/CD...".
  // Each boot starts with SeaBIOS's banner; the first device tried after it is what counts.
  const firstTried = (from: number) => /SeaBIOS \(version[^]*?Booting from ([^.]+)\.\.\./.exec(log().slice(from))?.[1];
  assert.is(await until('the first boot', () => firstTried(0)), 'DVD/CD');
  const resetAt = log().length;
  await vm.qmp.execute('system_reset');
  assert.is(await until('the boot after reset', () => firstTried(resetAt)), 'Hard Disk');
  await vm.quit();
});

test.after(async () => {
  await Promise.allSettled(started.map((vm) => vm.kill(1_000)));
  rmSync(dir, { recursive: true, force: true });
});

test.run();
