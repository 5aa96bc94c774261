import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildQemuArgv, opt, type QemuArgvInput } from '../../../lib/hypervisor/qemu/argv.js';
import { kilnThrown } from '../../helpers/rejection.js';

const base: QemuArgvInput = {
  name: 'debian-12',
  machine: { cpus: 2, memory_mib: 2048, firmware: 'bios', qemu: { binary: 'qemu-system-x86_64', machine: 'pc', args: [] } },
  accel: 'tcg',
  disk: { path: '/w/debian-12.qcow2', format: 'qcow2' },
  qmpSocket: '/tmp/k/qmp.sock',
  serial: { socket: '/tmp/k/serial.sock', log: '/out/serial.log' },
};

/** Every value that follows `flag` in argv, in order. */
function values(args: string[], flag: string): string[] {
  return args.flatMap((a, i) => (a === flag ? [args[i + 1]!] : []));
}
const one = (args: string[], flag: string) => {
  const found = values(args, flag);
  assert.is(found.length, 1, `${flag} appears once in ${args.join(' ')}`);
  return found[0]!;
};
const withMachine = (m: Partial<QemuArgvInput['machine']>): QemuArgvInput => ({ ...base, machine: { ...base.machine, ...m } });

test('always-present devices and defaults', () => {
  const args = buildQemuArgv(base);
  for (const flag of ['-no-user-config', '-nodefaults']) assert.ok(args.includes(flag), flag);
  assert.is(one(args, '-name'), 'debian-12');
  assert.is(one(args, '-machine'), 'pc');
  assert.is(one(args, '-smp'), '2');
  assert.is(one(args, '-m'), '2048M');
  assert.is(one(args, '-display'), 'none');
  assert.ok(values(args, '-device').includes('VGA'), 'VGA is added back after -nodefaults');
  assert.ok(values(args, '-device').includes('virtio-rng-pci'));
  assert.is(one(args, '-qmp'), 'unix:/tmp/k/qmp.sock,server=on,wait=off');
  assert.is(one(args, '-chardev'), 'socket,id=serial0,path=/tmp/k/serial.sock,server=on,wait=off,logfile=/out/serial.log,logappend=off');
  assert.is(one(args, '-serial'), 'chardev:serial0');
});

const accelCases: [string, QemuArgvInput, string, string][] = [
  ['kvm', { ...base, accel: 'kvm' }, 'kvm', 'host'],
  ['hvf', { ...base, accel: 'hvf' }, 'hvf', 'host'],
  ['whpx (no host model)', { ...base, accel: 'whpx' }, 'whpx', 'max'],
  // QEMU's own translation cache size (measured against 512 MiB: docs/benchmarks.md).
  // Under TCG, the cheapest model with the guest's x86-64 level (measured: docs/benchmarks.md runs 4 and 5).
  ['tcg, 2 cpus', base, 'tcg,thread=multi', 'qemu64'],
  ['tcg, 1 cpu', withMachine({ cpus: 1 }), 'tcg,thread=single', 'qemu64'],
  ['tcg, custom cache', { ...base, tcgCacheMiB: 256 }, 'tcg,thread=multi,tb-size=256', 'qemu64'],
  ['tcg, an x86-64-v2 guest (RHEL 9)', { ...base, cpuLevel: 'x86-64-v2' }, 'tcg,thread=multi', 'qemu64,+ssse3,+sse4.1,+sse4.2,+popcnt'],
  ['tcg, an x86-64-v3 guest (RHEL 10)', { ...base, cpuLevel: 'x86-64-v3' }, 'tcg,thread=multi', 'max'],
  ['kvm keeps the host CPU whatever the level', { ...base, accel: 'kvm', cpuLevel: 'x86-64-v3' }, 'kvm', 'host'],
  ['whpx keeps max whatever the level', { ...base, accel: 'whpx', cpuLevel: 'x86-64-v2' }, 'whpx', 'max'],
  ['tcg, cpu model override wins over the level', { ...base, cpuModel: 'Haswell', cpuLevel: 'x86-64-v2' }, 'tcg,thread=multi', 'Haswell'],
  ['cpu model override', { ...base, accel: 'kvm', cpuModel: 'qemu64' }, 'kvm', 'qemu64'],
];
for (const [name, input, accel, cpu] of accelCases) {
  test(`accel: ${name}`, () => {
    const args = buildQemuArgv(input);
    assert.is(one(args, '-accel'), accel);
    assert.is(one(args, '-cpu'), cpu);
  });
}

test('firmware: bios adds no pflash', () => {
  const args = buildQemuArgv({ ...base, efi: { code: '/c.fd', vars: '/v.fd' } });
  assert.not.ok(values(args, '-drive').some((d) => d.includes('pflash')));
});

test('firmware: efi maps code read-only and this build\'s vars writable', () => {
  const args = buildQemuArgv({ ...withMachine({ firmware: 'efi' }), efi: { code: '/usr/share/OVMF/OVMF_CODE_4M.fd', vars: '/w/vars.fd' } });
  const pflash = values(args, '-drive').filter((d) => d.startsWith('if=pflash'));
  assert.equal(pflash, [
    'if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd',
    'if=pflash,format=raw,unit=1,file=/w/vars.fd',
  ]);
});

test('firmware: efi without OVMF files is an E_QEMU error', () => {
  assert.is(kilnThrown(() => buildQemuArgv(withMachine({ firmware: 'efi' }))).code, 'E_QEMU');
});

const bootCases: [string, Partial<QemuArgvInput>, string, number][] = [
  ['cdrom, boot it once', { cdrom: '/iso/d.iso', bootOnceFromCdrom: true }, 'once=d', 1],
  ['cdrom, boot the disk', { cdrom: '/iso/d.iso' }, 'order=c', 1],
  ['no cdrom', {}, 'order=c', 0],
  ['no cdrom, bootOnce ignored', { bootOnceFromCdrom: true }, 'order=c', 0],
  ['installer and seed', { cdrom: '/iso/d.iso', extraCdroms: ['/w/seed.iso'], bootOnceFromCdrom: true }, 'once=d', 2],
];
for (const [name, extra, boot, cds] of bootCases) {
  test(`boot: ${name}`, () => {
    const args = buildQemuArgv({ ...base, ...extra });
    assert.is(one(args, '-boot'), boot);
    assert.is(values(args, '-drive').filter((d) => d.includes('media=cdrom')).length, cds);
    assert.not.ok(args.some((a) => a.includes('bootindex')), 'bootindex would override -boot');
  });
}

test('smbiosSerial: the system serial number, commas doubled; absent by default', () => {
  assert.equal(values(buildQemuArgv({ ...base, smbiosSerial: 'ds=nocloud-net;s=http://10.0.2.2:8123/a,b/' }), '-smbios'), ['type=1,serial=ds=nocloud-net;s=http://10.0.2.2:8123/a,,b/']);
  assert.equal(values(buildQemuArgv(base), '-smbios'), []);
});

test('cdroms are read-only raw media in order', () => {
  const args = buildQemuArgv({ ...base, cdrom: '/iso/d.iso', extraCdroms: ['/w/seed.iso'] });
  const drives = values(args, '-drive').filter((d) => d.includes('media=cdrom'));
  assert.equal(drives, [
    'file=/iso/d.iso,if=ide,index=2,id=cdrom0,media=cdrom,readonly=on,format=raw',
    'file=/w/seed.iso,if=ide,index=3,id=cdrom1,media=cdrom,readonly=on,format=raw',
  ]);
});

test('a floppy is a raw drive on the board\'s floppy controller; none without one', () => {
  assert.equal(values(buildQemuArgv({ ...base, floppy: '/w/floppy.img' }), '-drive').filter((d) => d.includes('if=floppy')), ['file=/w/floppy.img,if=floppy,index=0,format=raw']);
  assert.equal(values(buildQemuArgv(base), '-drive').filter((d) => d.includes('if=floppy')), []);
});

const diskCases: [string, QemuArgvInput['disk'], string, string[]][] = [
  ['qcow2 virtio', { path: '/w/d.qcow2', format: 'qcow2' }, 'file=/w/d.qcow2,if=none,id=disk0,format=qcow2,cache=unsafe,discard=unmap,detect-zeroes=unmap', ['virtio-blk-pci,drive=disk0']],
  ['raw virtio', { path: '/w/d.raw', format: 'raw' }, 'file=/w/d.raw,if=none,id=disk0,format=raw,cache=unsafe,discard=unmap,detect-zeroes=unmap', ['virtio-blk-pci,drive=disk0']],
  ['writeback cache', { path: '/w/d.raw', format: 'raw', cache: 'writeback' }, 'file=/w/d.raw,if=none,id=disk0,format=raw,cache=writeback,discard=unmap,detect-zeroes=unmap', ['virtio-blk-pci,drive=disk0']],
  ['virtio-scsi', { path: '/d', format: 'qcow2', interface: 'virtio-scsi' }, 'file=/d,if=none,id=disk0,format=qcow2,cache=unsafe,discard=unmap,detect-zeroes=unmap', ['virtio-scsi-pci,id=scsi0', 'scsi-hd,drive=disk0,bus=scsi0.0']],
  ['scsi (Packer: virtio-scsi)', { path: '/d', format: 'qcow2', interface: 'scsi' }, 'file=/d,if=none,id=disk0,format=qcow2,cache=unsafe,discard=unmap,detect-zeroes=unmap', ['virtio-scsi-pci,id=scsi0', 'scsi-hd,drive=disk0,bus=scsi0.0']],
  ['ide', { path: '/d', format: 'qcow2', interface: 'ide' }, 'file=/d,if=none,id=disk0,format=qcow2,cache=unsafe,discard=unmap,detect-zeroes=unmap', ['ide-hd,drive=disk0']],
  ['sata', { path: '/d', format: 'qcow2', interface: 'sata' }, 'file=/d,if=none,id=disk0,format=qcow2,cache=unsafe,discard=unmap,detect-zeroes=unmap', ['ahci,id=ahci0', 'ide-hd,drive=disk0,bus=ahci0.0']],
  ['nvme', { path: '/d', format: 'qcow2', interface: 'nvme' }, 'file=/d,if=none,id=disk0,format=qcow2,cache=unsafe,discard=unmap,detect-zeroes=unmap', ['nvme,drive=disk0,serial=kiln-disk0']],
];
for (const [name, disk, drive, devices] of diskCases) {
  test(`disk: ${name}`, () => {
    const args = buildQemuArgv({ ...base, disk });
    assert.is(one(args, '-drive'), drive);
    const diskDevices = values(args, '-device').filter((d) => !['VGA', 'virtio-rng-pci'].includes(d) && !d.includes('netdev='));
    assert.equal(diskDevices, devices);
  });
}

test('network: host forwards bind to 127.0.0.1 only', () => {
  const args = buildQemuArgv({ ...base, hostForwards: [{ hostPort: 2222, guestPort: 22 }, { hostPort: 5985, guestPort: 5985 }] });
  assert.is(one(args, '-netdev'), 'user,id=net0,hostfwd=tcp:127.0.0.1:2222-:22,hostfwd=tcp:127.0.0.1:5985-:5985');
  assert.ok(values(args, '-device').includes('virtio-net-pci,netdev=net0'));
});

test('network: no forwards, other NIC model', () => {
  const args = buildQemuArgv({ ...base, nicModel: 'e1000' });
  assert.is(one(args, '-netdev'), 'user,id=net0');
  assert.ok(values(args, '-device').includes('e1000,netdev=net0'));
});

test('network: a port out of range is rejected', () => {
  assert.throws(() => buildQemuArgv({ ...base, hostForwards: [{ hostPort: 70000, guestPort: 22 }] }), /not a TCP port/);
});

test('template args come last, after everything kiln adds', () => {
  const extra = ['-device', 'usb-tablet', '-display', 'gtk'];
  const args = buildQemuArgv(withMachine({ qemu: { binary: 'q', machine: 'q35', args: extra } }));
  assert.equal(args.slice(-4), extra);
  assert.is(one(args, '-machine'), 'q35');
});

test('a visible display when asked', () => {
  assert.is(one(buildQemuArgv({ ...base, display: 'gtk' }), '-display'), 'gtk');
});

test('commas in paths are doubled so QEMU reads them as part of the value', () => {
  assert.is(opt('/a,b/c'), '/a,,b/c');
  const args = buildQemuArgv({ ...base, disk: { path: '/w,x/d.qcow2', format: 'qcow2' }, qmpSocket: '/t,1/q.sock' });
  assert.ok(one(args, '-drive').startsWith('file=/w,,x/d.qcow2,if=none'));
  assert.is(one(args, '-qmp'), 'unix:/t,,1/q.sock,server=on,wait=off');
});

test('socket paths over the UNIX limit are refused before QEMU sees them', () => {
  const long = `/tmp/${'x'.repeat(120)}/qmp.sock`;
  assert.throws(() => buildQemuArgv({ ...base, qmpSocket: long }), /107-byte limit/);
  assert.throws(() => buildQemuArgv({ ...base, serial: { socket: long, log: '/l' } }), /serial socket/);
});

test.run();
