// What a command handler works with: the version it pretends to be, the state (read
// under the lock), output buffers, and work to do after the lock is released.

import { randomUUID } from 'node:crypto';
import type { VersionInfo } from './grammar.js';
import { GetoptError } from './getopt.js';
import { comError, Exit, machineNotFound, syntaxError } from './output.js';
import { findVm, isLocked, type FakeState, type FakeVm } from './state.js';

export interface Ctx {
  version: VersionInfo;
  env: NodeJS.ProcessEnv;
  state: FakeState;
  statePath: string;
  now: number;
  stdout: string;
  stderr: string;
  /** Runs after the state is saved and unlocked (HTTP fetches by the simulated guest). */
  after: (() => Promise<void>)[];
}

export type Handler = (ctx: Ctx, args: string[]) => void;

export function requireVm(ctx: Ctx, name: string | undefined, file: string): FakeVm {
  const vm = name === undefined ? undefined : findVm(ctx.state, name);
  if (!vm) throw machineNotFound(name ?? '', file);
  return vm;
}

/** LockMachine(LockType_Write): modifyvm, storagectl and friends need the VM off and unlocked. */
export function requireWriteLock(ctx: Ctx, vm: FakeVm, file: string): void {
  if (!isLocked(vm, ctx.now)) return;
  throw comError({
    message: `The machine '${vm.name}' is already locked for a session (or being unlocked)`,
    result: 'VBOX_E_INVALID_OBJECT_STATE',
    component: 'MachineWrap',
    iface: 'IMachine',
    context: 'LockMachine(a->session, LockType_Write)',
    file,
  });
}

/** errorGetOpt: the getopt message in syntax-error form; `code` is what the handler returns. */
export function getoptExit(ctx: Ctx, usage: string, error: unknown, code = 2): Exit {
  if (error instanceof GetoptError) return syntaxError(ctx.version, usage, error.message, code);
  throw error;
}

export const newUuid = (): string => randomUUID();

/** Guest OS types the fake knows (a subset of `VBoxManage list ostypes`), with their descriptions. */
export const OS_TYPES: Record<string, string> = {
  Other: 'Other/Unknown',
  Other_64: 'Other/Unknown (64-bit)',
  Linux: 'Other Linux (32-bit)',
  Linux_64: 'Other Linux (64-bit)',
  Linux26: 'Linux 2.6 / 3.x / 4.x / 5.x (32-bit)',
  Linux26_64: 'Linux 2.6 / 3.x / 4.x / 5.x (64-bit)',
  ArchLinux_64: 'Arch Linux (64-bit)',
  Debian: 'Debian (32-bit)',
  Debian_64: 'Debian (64-bit)',
  Debian12_64: 'Debian 12 Bookworm (64-bit)',
  Fedora_64: 'Fedora (64-bit)',
  Gentoo_64: 'Gentoo (64-bit)',
  OpenSUSE_64: 'openSUSE (64-bit)',
  Oracle_64: 'Oracle Linux (64-bit)',
  RedHat_64: 'Red Hat (64-bit)',
  Ubuntu: 'Ubuntu (32-bit)',
  Ubuntu_64: 'Ubuntu (64-bit)',
  FreeBSD_64: 'FreeBSD (64-bit)',
  OpenBSD_64: 'OpenBSD (64-bit)',
  Windows10_64: 'Windows 10 (64-bit)',
  Windows11_64: 'Windows 11 (64-bit)',
  Windows2019_64: 'Windows 2019 (64-bit)',
  Windows2022_64: 'Windows 2022 (64-bit)',
};

/** A VirtualBox-style MAC for NIC n of a VM (08:00:27 is Oracle's prefix). */
export function macFor(vm: FakeVm, nic: number): string {
  return `080027${vm.uuid.replace(/-/g, '').slice(0, 5)}${nic.toString(16)}`.toUpperCase();
}
