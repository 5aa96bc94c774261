import { readFile } from 'node:fs/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpuinfoHasVirtFlag, guestArchOf, parseAccelHelp, resolveAccel, type HostProbe } from '../../../lib/hypervisor/qemu/accel.js';
import { probeHost } from '../../../lib/hypervisor/qemu/host-probe.js';
import type { Accel } from '../../../lib/template/types.js';
import { kilnRejection, kilnThrown } from '../../helpers/rejection.js';

const linuxKvm: HostProbe = { platform: 'linux', arch: 'x64', guestArch: 'x86_64', qemuAccels: ['tcg', 'kvm'], kvmDevice: 'ok', cpuVirtFlag: true };
const nestedOff: HostProbe = { ...linuxKvm, cpuVirtFlag: false };
const mac: HostProbe = { platform: 'darwin', arch: 'x64', guestArch: 'x86_64', qemuAccels: ['tcg', 'hvf'], hvSupport: true };
const win: HostProbe = { platform: 'win32', arch: 'x64', guestArch: 'x86_64', qemuAccels: ['tcg', 'whpx'] };

// [name, requested, probe, accel chosen, reason contains]
const chosen: [string, Accel, HostProbe, string, string][] = [
  ['linux with kvm', 'auto', linuxKvm, 'kvm', 'vmx/svm'],
  ['this CI host: /dev/kvm without vmx/svm', 'auto', nestedOff, 'tcg', 'no vmx/svm virtualization flag'],
  ['no /dev/kvm', 'auto', { ...linuxKvm, kvmDevice: 'missing' }, 'tcg', '/dev/kvm does not exist'],
  ['/dev/kvm not accessible', 'auto', { ...linuxKvm, kvmDevice: 'no-access' }, 'tcg', 'kvm group'],
  ['qemu without kvm', 'auto', { ...linuxKvm, qemuAccels: ['tcg'] }, 'tcg', 'does not support kvm'],
  ['arm64 linux has no vmx flag and needs none', 'auto', { ...linuxKvm, arch: 'arm64', guestArch: 'aarch64', cpuVirtFlag: undefined }, 'kvm', '/dev/kvm is usable'],
  ['x86 guest on an arm64 host', 'auto', { ...linuxKvm, arch: 'arm64', cpuVirtFlag: undefined }, 'tcg', 'host is aarch64 and the guest is x86_64'],
  ['i386 guest on x86_64 host', 'auto', { ...linuxKvm, guestArch: 'i386' }, 'kvm', '/dev/kvm'],
  ['macOS with hvf', 'auto', mac, 'hvf', 'Hypervisor.framework'],
  ['macOS without hv support', 'auto', { ...mac, hvSupport: false }, 'tcg', 'kern.hv_support'],
  ['windows with whpx', 'auto', win, 'whpx', 'Windows Hypervisor Platform'],
  ['windows qemu without whpx', 'auto', { ...win, qemuAccels: ['tcg'] }, 'tcg', 'does not support whpx'],
  ['freebsd', 'auto', { platform: 'freebsd', arch: 'x64', qemuAccels: ['tcg'] }, 'tcg', 'no hardware accelerator is known for freebsd'],
  ['tcg requested on a kvm host', 'tcg', linuxKvm, 'tcg', 'requested'],
  ['kvm requested and usable', 'kvm', linuxKvm, 'kvm', 'usable'],
];
for (const [name, requested, probe, accel, reason] of chosen) {
  test(`resolveAccel ${requested}: ${name}`, () => {
    const choice = resolveAccel(requested, probe);
    assert.is(choice.accel, accel);
    assert.ok(choice.reason.startsWith(`${accel}: `), choice.reason);
    assert.ok(choice.reason.includes(reason), choice.reason);
  });
}

// [name, requested, probe, message contains]
const refused: [string, Accel, HostProbe, string][] = [
  ['kvm without vmx/svm', 'kvm', nestedOff, 'no vmx/svm'],
  ['kvm on macOS', 'kvm', mac, 'kvm only exists on linux'],
  ['hvf on linux', 'hvf', linuxKvm, 'hvf only exists on darwin'],
  ['hvf without support', 'hvf', { ...mac, hvSupport: undefined }, 'kern.hv_support'],
  ['whpx missing from qemu', 'whpx', { ...win, qemuAccels: ['tcg'] }, 'does not support whpx'],
  ['tcg missing from qemu', 'tcg', { ...linuxKvm, qemuAccels: ['kvm'] }, 'built without TCG'],
  ['auto falls back to a missing tcg', 'auto', { ...nestedOff, qemuAccels: ['kvm'] }, 'built without TCG'],
];
for (const [name, requested, probe, message] of refused) {
  test(`resolveAccel ${requested} refused: ${name}`, () => {
    const error = kilnThrown(() => resolveAccel(requested, probe));
    assert.is(error.code, 'E_QEMU');
    assert.ok(error.message.includes(message), error.message);
    assert.ok(error.hint, 'has a hint');
  });
}

test('parseAccelHelp reads the names under the heading', () => {
  assert.equal(parseAccelHelp('Accelerators supported in QEMU binary:\ntcg\nkvm\n'), ['tcg', 'kvm']);
  assert.equal(parseAccelHelp('Accelerators supported in QEMU binary:\r\ntcg\r\nwhpx\r\n'), ['tcg', 'whpx']);
  assert.equal(parseAccelHelp(''), []);
});

test('cpuinfoHasVirtFlag looks at whole words of flags lines', () => {
  assert.ok(cpuinfoHasVirtFlag('processor\t: 0\nflags\t\t: fpu vme vmx sse\n'));
  assert.ok(cpuinfoHasVirtFlag('flags\t\t: fpu svm\n'));
  assert.not.ok(cpuinfoHasVirtFlag('flags\t\t: fpu vme sse hypervisor\n'));
  assert.not.ok(cpuinfoHasVirtFlag('flags\t\t: fpu vmxx svm_lock\nvmx flags\t: ept\n'));
});

test('guestArchOf', () => {
  assert.is(guestArchOf('qemu-system-x86_64'), 'x86_64');
  assert.is(guestArchOf('/opt/homebrew/bin/qemu-system-aarch64'), 'aarch64');
  assert.is(guestArchOf('C:\\qemu\\qemu-system-x86_64.exe'), 'x86_64');
  assert.is(guestArchOf('/usr/libexec/qemu-kvm'), undefined);
});

test('probeHost on this machine: auto picks kvm only when the CPU can run it', async () => {
  const probe = await probeHost('qemu-system-x86_64');
  assert.ok(probe.qemuAccels.includes('tcg'), `qemu lists ${probe.qemuAccels}`);
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8');
  const virt = /^flags\s*:.*\s(vmx|svm)(\s|$)/m.test(cpuinfo);
  assert.is(probe.cpuVirtFlag, virt);
  const choice = resolveAccel('auto', probe);
  if (!virt) {
    assert.is(choice.accel, 'tcg');
    assert.ok(choice.reason.includes('vmx/svm') || choice.reason.includes('/dev/kvm'), choice.reason);
  } else if (probe.kvmDevice === 'ok' && probe.qemuAccels.includes('kvm')) {
    assert.is(choice.accel, 'kvm');
  }
});

test('probeHost with a missing binary is E_TOOL naming the package', async () => {
  const error = await kilnRejection(probeHost('qemu-system-does-not-exist'));
  assert.is(error.code, 'E_TOOL');
  assert.match(error.hint ?? '', /apt-get install qemu-system-x86/);
});

test.run();
