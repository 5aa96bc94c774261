// UEFI firmware (OVMF) for machine.firmware: efi. The code image is shared and
// read-only; the vars image is the guest's NVRAM (boot entries), so each build writes
// to its own copy of the distribution's empty template.
import { constants } from 'node:fs';
import { access, chmod, copyFile } from 'node:fs/promises';
import { KilnError } from '../../errors.js';

export interface EfiFirmware {
  code: string;
  /** The empty vars template; copy it with prepareEfiVars() before use. */
  vars: string;
}

/**
 * Known OVMF locations for x86_64 guests, best first. Code and vars come in matched
 * pairs: a 4 MiB code image needs the 4 MiB vars image. Secure-boot builds are left
 * out since they need SMM and the q35 machine.
 */
export const OVMF_CANDIDATES: readonly EfiFirmware[] = [
  // Debian, Ubuntu (package ovmf)
  { code: '/usr/share/OVMF/OVMF_CODE_4M.fd', vars: '/usr/share/OVMF/OVMF_VARS_4M.fd' },
  { code: '/usr/share/OVMF/OVMF_CODE.fd', vars: '/usr/share/OVMF/OVMF_VARS.fd' },
  // Fedora, RHEL (edk2-ovmf)
  { code: '/usr/share/edk2/ovmf/OVMF_CODE.fd', vars: '/usr/share/edk2/ovmf/OVMF_VARS.fd' },
  // Arch (edk2-ovmf)
  { code: '/usr/share/edk2/x64/OVMF_CODE.4m.fd', vars: '/usr/share/edk2/x64/OVMF_VARS.4m.fd' },
  { code: '/usr/share/edk2-ovmf/x64/OVMF_CODE.fd', vars: '/usr/share/edk2-ovmf/x64/OVMF_VARS.fd' },
  // openSUSE (qemu-ovmf-x86_64)
  { code: '/usr/share/qemu/ovmf-x86_64-code.bin', vars: '/usr/share/qemu/ovmf-x86_64-vars.bin' },
  // Homebrew (Apple silicon, Intel) and QEMU's own install tree
  { code: '/opt/homebrew/share/qemu/edk2-x86_64-code.fd', vars: '/opt/homebrew/share/qemu/edk2-i386-vars.fd' },
  { code: '/usr/local/share/qemu/edk2-x86_64-code.fd', vars: '/usr/local/share/qemu/edk2-i386-vars.fd' },
  { code: '/usr/share/qemu/edk2-x86_64-code.fd', vars: '/usr/share/qemu/edk2-i386-vars.fd' },
];

export const OVMF_INSTALL_HINT =
  'install OVMF (Debian/Ubuntu: apt-get install ovmf; Fedora: dnf install edk2-ovmf; Arch: pacman -S edk2-ovmf; macOS: brew install qemu), or use firmware: bios';

/** The first candidate whose code and vars files are both readable. */
export async function findEfiFirmware(candidates: readonly EfiFirmware[] = OVMF_CANDIDATES): Promise<EfiFirmware> {
  for (const pair of candidates) {
    if ((await readable(pair.code)) && (await readable(pair.vars))) return pair;
  }
  throw new KilnError('E_TOOL', `UEFI firmware (OVMF) was not found; looked for ${candidates.map((c) => c.code).join(', ')}`, {
    hint: OVMF_INSTALL_HINT,
  });
}

/** Copies the vars template to `destination` (writable by QEMU) and returns that path. */
export async function prepareEfiVars(firmware: EfiFirmware, destination: string): Promise<string> {
  try {
    await copyFile(firmware.vars, destination);
    // Distribution files are often 0444; QEMU opens the pflash vars read-write.
    await chmod(destination, 0o644);
  } catch (cause) {
    throw new KilnError('E_QEMU', `could not copy the UEFI vars ${firmware.vars} to ${destination}: ${(cause as Error).message}`, {
      cause,
      hint: 'check that the build directory is writable',
    });
  }
  return destination;
}

async function readable(path: string): Promise<boolean> {
  return access(path, constants.R_OK).then(
    () => true,
    () => false,
  );
}
