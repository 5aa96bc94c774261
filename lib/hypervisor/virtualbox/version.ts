// Which VirtualBox is installed, from `VBoxManage --version` ("7.0.14r161095",
// "6.1.38_Ubuntur153438"), and what that version changes for kiln. Only 6.1 and 7.x
// are supported: 6.0 and older lack options kiln relies on and are out of support.

import { KilnError } from '../../errors.js';

export interface VBoxVersion {
  major: number;
  minor: number;
  patch: number;
  /** The line VBoxManage printed, for logs. */
  text: string;
}

/** How kiln's VBoxManage calls differ by version. */
export interface VBoxFeatures {
  /**
   * 7.0 stopped letting NAT guests reach the host's 127.0.0.1 (where kiln's HTTP server
   * listens); `--nat-localhostreachable1 on` restores it. The option does not exist in 6.1,
   * where loopback is always reachable through 10.0.2.2.
   */
  natLocalhostReachable: boolean;
  /** 7.1 added `createvm --platform-architecture`; without it the OS type decides. */
  platformArchitecture: boolean;
}

export const VBOX_INSTALL_HINT =
  'install VirtualBox 6.1 or 7.x from https://www.virtualbox.org/wiki/Downloads, or set KILN_VBOXMANAGE to the VBoxManage binary';

// A distribution may add a suffix before the revision: 6.1.38_Ubuntur153438, 7.0.10_Debianr158379.
const VERSION = /^(\d+)\.(\d+)\.(\d+)(?:[_-][A-Za-z0-9_.~-]*?)?r\d+$/;

/**
 * Parses `VBoxManage --version` output. Warnings may come first (a Linux host without
 * the vboxdrv module prints a paragraph), so the last line that looks like a version wins.
 */
export function parseVBoxVersion(output: string): VBoxVersion {
  const lines = output.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  for (const line of lines.reverse()) {
    const m = VERSION.exec(line);
    if (m) return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), text: line };
  }
  throw new KilnError('E_TOOL', `cannot read the VirtualBox version from "VBoxManage --version": ${JSON.stringify(output.trim().slice(0, 200))}`, {
    hint: 'run VBoxManage --version yourself; a broken installation prints an error instead of a version',
  });
}

/** The features of a version, or a typed error naming it when kiln cannot drive it. */
export function vboxFeatures(version: VBoxVersion): VBoxFeatures {
  const { major, minor } = version;
  if (major < 6 || (major === 6 && minor < 1)) {
    throw new KilnError('E_TOOL', `VirtualBox ${version.text} is too old: kiln needs 6.1 or 7.x`, { hint: VBOX_INSTALL_HINT });
  }
  return {
    natLocalhostReachable: major >= 7,
    platformArchitecture: major > 7 || (major === 7 && minor >= 1),
  };
}
