// The machine a saved state is loaded into: the boot's command line, paused and waiting
// for the state (-S -incoming defer), with the installer CD exactly as the saved machine
// had it; and the fingerprint comparison that decides whether the state is loaded at all.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildQemuArgv, TCG_CPU_MODELS, type QemuArgvInput } from '../../../lib/hypervisor/qemu/argv.js';
import { fingerprintMismatches, machineFingerprint } from '../../../lib/hypervisor/qemu/fingerprint.js';
import { restoreInput } from '../../../lib/hypervisor/qemu/restore.js';

const boot: QemuArgvInput = {
  name: 'kiln-demo',
  machine: { cpus: 2, memory_mib: 512, firmware: 'bios', qemu: { binary: 'qemu-system-x86_64', machine: 'pc', args: [] } },
  accel: 'tcg',
  disk: { path: '/c/layers/b-1/disk.qcow2', format: 'qcow2', interface: 'virtio' },
  cdrom: '/iso/installer.iso',
  bootOnceFromCdrom: true,
  extraCdroms: ['/w/seed.iso'],
  qmpSocket: '/tmp/k/qmp.sock',
  serial: { socket: '/tmp/k/serial.sock', log: '/out/serial.log' },
  hostForwards: [{ hostPort: 40022, guestPort: 22 }],
};
const V = '7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)';
const saved = (input: QemuArgvInput) => machineFingerprint(input, V);
const drives = (args: string[]) => args.flatMap((a, i) => (a === '-drive' ? [args[i + 1]!] : []));

const CASES: [name: string, installerCd: 'attached' | 'none', installer: string | undefined, cds: string[]][] = [
  ['the installer\'s machine: its ISO goes back in the CD drive', 'attached', '/iso/installer.iso', ['/iso/installer.iso', '/w/seed.iso']],
  ['a machine that booted the installed disk: no installer CD', 'none', '/iso/installer.iso', ['/w/seed.iso']],
  ['the installer was attached but the build has no ISO to give', 'attached', undefined, ['/w/seed.iso']],
];
for (const [name, installerCd, installer, cds] of CASES) {
  test(`restore argv: ${name}`, () => {
    const fingerprint = { ...saved(boot), installer_cd: installerCd };
    const args = buildQemuArgv(restoreInput(boot, { state: '/c/state.zst', fingerprint, ...(installer ? { installer } : {}) }));
    assert.equal(drives(args).filter((d) => d.includes('media=cdrom')).map((d) => /file=([^,]+)/.exec(d)![1]), cds);
    const at = args.indexOf('-incoming');
    assert.equal([args[at + 1], args.includes('-S')], ['defer', true]);
    assert.equal(args.slice(args.indexOf('-boot'), args.indexOf('-boot') + 2), ['-boot', 'order=c']);
    // Everything the fingerprint does not cover may differ: a new disk overlay, a new forwarded port.
    assert.ok(args.some((a) => a.includes('hostfwd=tcp:127.0.0.1:40022-:22')));
  });
}

test('a boot has no -incoming and no -S', () => {
  const args = buildQemuArgv(boot);
  assert.not.ok(args.includes('-incoming') || args.includes('-S'));
});

const MISMATCHES: [name: string, current: QemuArgvInput, version: string, reason: string][] = [
  ['QEMU version', boot, '8.0.0', `QEMU version: saved with ${V}, this build has 8.0.0`],
  ['machine type', { ...boot, machine: { ...boot.machine, qemu: { ...boot.machine.qemu, machine: 'q35' } } }, V, 'machine type: saved with pc, this build has q35'],
  ['accelerator (TCG and KVM states never mix)', { ...boot, accel: 'kvm', cpuModel: TCG_CPU_MODELS['x86-64'] }, V, 'accelerator: saved with tcg, this build has kvm'],
  ['CPU model', { ...boot, cpuModel: 'max' }, V, `CPU model: saved with ${TCG_CPU_MODELS['x86-64']}, this build has max`],
  ['CPU count', { ...boot, machine: { ...boot.machine, cpus: 1 } }, V, 'CPU count: saved with 2, this build has 1'],
  ['memory size', { ...boot, machine: { ...boot.machine, memory_mib: 1024 } }, V, 'memory size: saved with 512 MiB, this build has 1024 MiB'],
  ['firmware', { ...boot, machine: { ...boot.machine, firmware: 'efi' }, efi: { code: '/ovmf/code.fd', vars: '/w/vars.fd' } }, V, 'firmware: saved with bios, this build has efi /ovmf/code.fd'],
  ['disk interface', { ...boot, disk: { ...boot.disk, interface: 'nvme' } }, V, 'disk interface: saved with virtio, this build has nvme'],
  ['network device', { ...boot, nicModel: 'e1000' }, V, 'network device: saved with virtio-net-pci, this build has e1000'],
  ['installer CD drive', { ...boot, cdrom: undefined }, V, 'installer CD drive: saved with attached, this build has none'],
  ['other CD drives', { ...boot, extraCdroms: [] }, V, 'other CD drives: saved with 1, this build has 0'],
  ['floppy', { ...boot, floppy: '/w/floppy.img' }, V, 'floppy drive: saved with none, this build has attached'],
  ['extra QEMU args', { ...boot, machine: { ...boot.machine, qemu: { ...boot.machine.qemu, args: ['-device', 'virtio-balloon'] } } }, V, 'machine.qemu.args: saved with [], this build has ["-device","virtio-balloon"]'],
];
for (const [name, current, version, reason] of MISMATCHES) {
  test(`fingerprint: a different ${name} is the one reason given`, () => {
    assert.equal(fingerprintMismatches(saved(boot), machineFingerprint(current, version)), [reason]);
  });
}

test('fingerprint: what a restore may change (disk path, ports, sockets, serial log) is not in it', () => {
  const moved: QemuArgvInput = { ...boot, disk: { ...boot.disk, path: '/c/layers/c-2/disk.qcow2' }, hostForwards: [{ hostPort: 41000, guestPort: 22 }], qmpSocket: '/tmp/j/qmp.sock', serial: { socket: '/tmp/j/s.sock', log: '/o2/serial.log' }, smbiosSerial: 'ds=nocloud-net;s=http://10.0.2.2:8123/' };
  assert.equal(fingerprintMismatches(saved(boot), saved(moved)), []);
});

test('fingerprint: a field the saved record lacks (an older kiln) is a mismatch, not a match', () => {
  const { floppy: _gone, ...older } = saved(boot);
  assert.equal(fingerprintMismatches(older, saved(boot)), ['floppy drive: saved with nothing, this build has none']);
});

test.run();
