// Gathers the facts resolveAccel() decides on: what the QEMU binary supports and what
// the host offers. Every probe that cannot run leaves its fact unknown instead of failing,
// except a missing QEMU binary, which no build can do without.
import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { CancelledError, KilnError } from '../../errors.js';
import { cpuinfoHasVirtFlag, guestArchOf, parseAccelHelp, type HostProbe } from './accel.js';

export const QEMU_INSTALL_HINT =
  'install QEMU (Debian/Ubuntu: apt-get install qemu-system-x86; Fedora: dnf install qemu-kvm; macOS: brew install qemu), or set machine.qemu.binary to its path';

export async function probeHost(binary: string, signal?: AbortSignal): Promise<HostProbe> {
  const platform = process.platform;
  const arch = process.arch;
  const [qemuAccels, kvmDevice, cpuVirtFlag, hvSupport] = await Promise.all([
    qemuAccelerators(binary, signal),
    platform === 'linux' ? kvmDeviceState() : undefined,
    platform === 'linux' && (arch === 'x64' || arch === 'ia32') ? cpuVirtFlagFromProc() : undefined,
    platform === 'darwin' ? macHvSupport(signal) : undefined,
  ]);
  return { platform, arch, guestArch: guestArchOf(binary), qemuAccels, kvmDevice, cpuVirtFlag, hvSupport };
}

async function qemuAccelerators(binary: string, signal?: AbortSignal): Promise<string[]> {
  // Imported on first use: `kiln validate` loads this module without running anything.
  const { execa } = await import('execa');
  const result = await execa(binary, ['-accel', 'help'], { reject: false, timeout: 15_000, cancelSignal: signal, stdin: 'ignore' });
  if (result.code === 'ENOENT') {
    throw new KilnError('E_TOOL', `QEMU binary ${binary} was not found`, { hint: QEMU_INSTALL_HINT });
  }
  if (result.isCanceled) throw new CancelledError();
  if (result.failed) {
    throw new KilnError('E_QEMU', `${binary} -accel help failed: ${String(result.stderr).trim() || result.shortMessage}`, {
      hint: 'check that machine.qemu.binary is a qemu-system-* program that runs on this host',
      cause: result,
    });
  }
  return parseAccelHelp(String(result.stdout));
}

async function kvmDeviceState(): Promise<HostProbe['kvmDevice']> {
  try {
    await access('/dev/kvm', constants.F_OK);
  } catch {
    return 'missing';
  }
  try {
    await access('/dev/kvm', constants.R_OK | constants.W_OK);
    return 'ok';
  } catch {
    return 'no-access';
  }
}

async function cpuVirtFlagFromProc(): Promise<boolean | undefined> {
  const text = await readFile('/proc/cpuinfo', 'utf8').catch(() => undefined);
  return text === undefined ? undefined : cpuinfoHasVirtFlag(text);
}

async function macHvSupport(signal?: AbortSignal): Promise<boolean | undefined> {
  // Imported on first use: `kiln validate` loads this module without running anything.
  const { execa } = await import('execa');
  const result = await execa('sysctl', ['-n', 'kern.hv_support'], { reject: false, timeout: 5_000, cancelSignal: signal });
  return result.failed ? undefined : String(result.stdout).trim() === '1';
}
