// Choosing the accelerator from facts about the host (gathered by probeHost in
// host-probe.ts). Pure, so every host shape is a row in a test table.
import { KilnError } from '../../errors.js';
import type { Accel } from '../../template/types.js';
import type { ResolvedAccel } from './argv.js';

export interface HostProbe {
  /** process.platform */
  platform: string;
  /** process.arch: x64, arm64, ... */
  arch: string;
  /** The guest architecture from the binary name (qemu-system-x86_64 -> x86_64), if it names one. */
  guestArch?: string;
  /** What `qemu-system-* -accel help` lists. */
  qemuAccels: string[];
  /** Linux: /dev/kvm is missing, present but not openable read/write, or usable. */
  kvmDevice?: 'missing' | 'no-access' | 'ok';
  /** x86 Linux: whether /proc/cpuinfo flags include vmx or svm (undefined when not applicable). */
  cpuVirtFlag?: boolean;
  /** macOS: `sysctl -n kern.hv_support` is 1. */
  hvSupport?: boolean;
}

export interface AccelChoice {
  accel: ResolvedAccel;
  /** One line saying why, for the build log. */
  reason: string;
}

type Verdict = { ok: true; why: string } | { ok: false; why: string };

const HARDWARE: Record<string, Exclude<ResolvedAccel, 'tcg'>> = { linux: 'kvm', darwin: 'hvf', win32: 'whpx' };

export function resolveAccel(requested: Accel, probe: HostProbe): AccelChoice {
  if (requested === 'auto') {
    const native = HARDWARE[probe.platform];
    if (!native) return tcgOr(probe, `tcg: no hardware accelerator is known for ${probe.platform}`);
    const verdict = check(native, probe);
    if (verdict.ok) return { accel: native, reason: `${native}: ${verdict.why}` };
    return tcgOr(probe, `tcg: ${verdict.why}`);
  }
  if (requested === 'tcg') return tcgOr(probe, 'tcg: requested by machine.accel');
  const verdict = check(requested, probe);
  if (verdict.ok) return { accel: requested, reason: `${requested}: ${verdict.why}` };
  throw new KilnError('E_QEMU', `machine.accel is ${requested}, which cannot work here: ${verdict.why}`, {
    hint: 'use accel: auto (picks the best that works) or accel: tcg (slow, works everywhere)',
  });
}

function tcgOr(probe: HostProbe, reason: string): AccelChoice {
  if (probe.qemuAccels.length > 0 && !probe.qemuAccels.includes('tcg')) {
    throw new KilnError('E_QEMU', `this QEMU binary was built without TCG (it supports ${probe.qemuAccels.join(', ')}), and ${reason.replace(/^tcg: /, '')}`, {
      hint: 'install a QEMU build with TCG, or fix hardware acceleration on this host',
    });
  }
  return { accel: 'tcg', reason };
}

function check(accel: Exclude<ResolvedAccel, 'tcg'>, probe: HostProbe): Verdict {
  const native = Object.entries(HARDWARE).find(([, a]) => a === accel)?.[0];
  if (probe.platform !== native) return no(`${accel} only exists on ${native} (this host is ${probe.platform})`);
  const hostArch = ARCH_NAMES[probe.arch] ?? probe.arch;
  if (probe.guestArch && !canAccelerate(hostArch, probe.guestArch)) {
    return no(`the host is ${hostArch} and the guest is ${probe.guestArch}; hardware acceleration needs them to match`);
  }
  if (!probe.qemuAccels.includes(accel)) return no(`this QEMU binary does not support ${accel} (it lists: ${probe.qemuAccels.join(', ') || 'nothing'})`);
  switch (accel) {
    case 'kvm':
      if (probe.kvmDevice === 'missing') return no('/dev/kvm does not exist (kvm module not loaded, or virtualization disabled in firmware)');
      if (probe.kvmDevice === 'no-access') return no('/dev/kvm is not readable and writable by this user (add it to the kvm group)');
      if (probe.cpuVirtFlag === false) {
        return no('/dev/kvm is present but the CPU reports no vmx/svm virtualization flag (nested virtualization off?)');
      }
      return yes(probe.cpuVirtFlag ? '/dev/kvm is usable and the CPU has vmx/svm' : '/dev/kvm is usable');
    case 'hvf':
      if (probe.hvSupport !== true) return no('macOS reports no Hypervisor.framework support (sysctl kern.hv_support is not 1)');
      return yes('Hypervisor.framework is available');
    case 'whpx':
      return yes('this QEMU binary supports the Windows Hypervisor Platform');
  }
}

const yes = (why: string): Verdict => ({ ok: true, why });
const no = (why: string): Verdict => ({ ok: false, why });

/** A 64-bit host runs its 32-bit sibling natively too. */
function canAccelerate(hostArch: string, guestArch: string): boolean {
  return guestArch === hostArch || (hostArch === 'x86_64' && guestArch === 'i386') || (hostArch === 'aarch64' && guestArch === 'arm');
}

/** node's process.arch names -> QEMU's target names. */
const ARCH_NAMES: Record<string, string> = { x64: 'x86_64', arm64: 'aarch64', ia32: 'i386', riscv64: 'riscv64', ppc64: 'ppc64', s390x: 's390x' };

/** Accelerator names from `-accel help` output (the lines after the heading). */
export function parseAccelHelp(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => /^[a-z][a-z0-9_-]*$/.test(line));
}

/** Whether any `flags` line of /proc/cpuinfo lists vmx (Intel VT-x) or svm (AMD-V). */
export function cpuinfoHasVirtFlag(cpuinfo: string): boolean {
  return cpuinfo.split('\n').some((line) => /^flags\s*:/.test(line) && /\s(vmx|svm)(\s|$)/.test(line));
}

/** qemu-system-x86_64 -> x86_64; undefined for a binary that does not name its target. */
export function guestArchOf(binary: string): string | undefined {
  return /qemu-system-([a-z0-9_]+?)(?:\.exe)?$/i.exec(binary)?.[1];
}
