// The fake's VirtualBox: registered VMs, media and settings in one JSON file named by
// FAKE_VBOX_STATE, read and written under a lock (several VBoxManage processes run at
// once, as with the real one). Delayed events (a guest powering off some time after
// the ACPI button) are stored as due times and applied by whichever call comes next.

import { syncGuestDisk } from './guest-root.js';
import type { HoldRule } from './hold.js';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type FakeVmState = 'poweroff' | 'running' | 'paused' | 'aborted' | 'saved';

export interface FakeController {
  name: string;
  bus: string;
  type: string;
  bootable: boolean;
  portCount: number;
}

export interface FakeAttachment {
  controller: string;
  port: number;
  device: number;
  type: 'hdd' | 'dvddrive' | 'fdd';
  /** File path, or '' for an empty drive. */
  medium: string;
}

export interface FakeVm {
  uuid: string;
  name: string;
  ostype: string;
  settingsFile: string;
  state: FakeVmState;
  stateChangedAt: number;
  /** modifyvm settings by key (memory, cpus, nic1, uartmode1, boot1, ...). */
  settings: Record<string, string>;
  natRules: { nic: number; rule: string }[];
  controllers: FakeController[];
  attachments: FakeAttachment[];
  /** The guest powers off at this time (ms since the epoch). */
  powerOffAt?: number;
  /** The VM process still holds the session until then, after a poweroff. */
  lockedUntil?: number;
  /** Everything typed through keyboardputscancode, decoded; and the raw bytes. */
  typed: string;
  scancodes: string[];
  /** Decoder state carried between calls (held keys). */
  keyboard: { held: { name: string; at: number; used: boolean }[] };
  /** The simulated guest's progress (guest.ts): how much of `typed` it has read, and its phase. */
  guest?: { consumed: number; phase: 'boot-prompt' | 'installing' | 'installed' | 'off' };
}

export interface FakeMedium {
  uuid: string;
  path: string;
  type: 'hdd' | 'dvd' | 'floppy';
  format: string;
  sizeMiB: number;
}

export interface FakeConfig {
  /** obey: the guest powers off acpiDelayMs after the power button; ignore: nothing happens. */
  acpi: 'obey' | 'ignore';
  acpiDelayMs: number;
  /** After a poweroff the VM stays locked this long (the real VM process takes a moment). */
  unlockDelayMs: number;
  /** Simulated guest behind the keyboard: none, or the kiln fixture installer (guest.ts). */
  guest: 'none' | 'kiln-fixture';
  /** Added to the clock, so tests can let time pass without sleeping. */
  clockOffsetMs: number;
  /** Test hooks, not VirtualBox behaviour: make a command fail, take time, or wait for the test (hold.ts). */
  fail?: { command: string; subcommand?: string; message: string; times?: number }[];
  delay?: { command: string; subcommand?: string; ms: number; when: 'before' | 'after' }[];
  hold?: HoldRule[];
}

export interface FakeState {
  config: FakeConfig;
  vms: FakeVm[];
  media: FakeMedium[];
  /** Every call with its exit code, for assertions. */
  calls: { argv: string[]; exit: number; at: number }[];
}

export const DEFAULT_CONFIG: FakeConfig = { acpi: 'obey', acpiDelayMs: 300, unlockDelayMs: 0, guest: 'none', clockOffsetMs: 0 };

/** The fake's clock. */
export const clock = (state: FakeState): number => Date.now() + state.config.clockOffsetMs;

/** A VM as `createvm --register` leaves it: powered off, VirtualBox's defaults for an unconfigured machine. */
export function newFakeVm(vm: { uuid: string; name: string; ostype: string; settingsFile: string; at: number }): FakeVm {
  return {
    uuid: vm.uuid,
    name: vm.name,
    ostype: vm.ostype,
    settingsFile: vm.settingsFile,
    state: 'poweroff',
    stateChangedAt: vm.at,
    settings: { memory: '128', cpus: '1', firmware: 'bios', chipset: 'piix3', graphicscontroller: 'vboxvga', vram: '8', ioapic: 'off', acpi: 'on', boot1: 'floppy', boot2: 'dvd', boot3: 'disk', boot4: 'none', nic1: 'none', uart1: 'off' },
    natRules: [],
    controllers: [],
    attachments: [],
    typed: '',
    scancodes: [],
    keyboard: { held: [] },
  };
}

export function emptyState(config: Partial<FakeConfig> = {}): FakeState {
  return { config: { ...DEFAULT_CONFIG, ...config }, vms: [], media: [], calls: [] };
}

export function readState(path: string): FakeState {
  try {
    const state = JSON.parse(readFileSync(path, 'utf8')) as FakeState;
    state.config = { ...DEFAULT_CONFIG, ...state.config };
    return state;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw error;
  }
}

export function writeState(path: string, state: FakeState): void {
  writeFileSync(`${path}.tmp`, JSON.stringify(state, null, 1));
  renameSync(`${path}.tmp`, path);
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
export const sleepSync = (ms: number): void => void Atomics.wait(sleeper, 0, 0, ms);

/**
 * Runs `fn` holding the state lock: a directory with the holder's pid in it. A holder
 * that died (kiln kills VBoxManage calls on Ctrl-C) frees it at once; a live one, however
 * slow under load, is waited for, since taking its lock would lose its changes.
 */
export function withLock<T>(path: string, fn: () => T): T {
  const lock = `${path}.lock`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (lockAbandoned(lock)) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`fake VBoxManage: ${lock} held by pid ${lockOwner(lock)} for over ${LOCK_WAIT_MS / 1000} s`);
      else sleepSync(5);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Only a deadlock guard: holders are alive and each holds the lock for milliseconds. */
const LOCK_WAIT_MS = 60_000;

const lockOwner = (lock: string): number | undefined => {
  try {
    return Number(readFileSync(join(lock, 'pid'), 'utf8')) || undefined;
  } catch {
    return undefined;
  }
};

/** The holder is gone, or (killed between mkdir and writing its pid) has left no pid for a while. */
function lockAbandoned(lock: string): boolean {
  const pid = lockOwner(lock);
  if (pid === undefined) {
    try {
      return Date.now() - statSync(lock).mtimeMs > 1_000;
    } catch {
      return false; // released meanwhile
    }
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Applies events that are due: guests that finished powering off. */
export function advance(state: FakeState, now: number): void {
  for (const vm of state.vms) {
    if (vm.powerOffAt !== undefined && now >= vm.powerOffAt) {
      setVmState(vm, 'poweroff', vm.powerOffAt);
      guestStopped(vm);
      vm.powerOffAt = undefined;
      vm.lockedUntil = now + state.config.unlockDelayMs;
    }
  }
}

/** A running guest stopped: its files reach its disk (guest-root.ts), and it no longer answers. */
export function guestStopped(vm: FakeVm): void {
  for (const a of vm.attachments) if (a.type === 'hdd' && a.medium) syncGuestDisk(a.medium);
  if (vm.guest) vm.guest.phase = 'off';
}

export function setVmState(vm: FakeVm, state: FakeVmState, at = Date.now()): void {
  vm.state = state;
  vm.stateChangedAt = at;
}

export function findVm(state: FakeState, nameOrUuid: string): FakeVm | undefined {
  const id = nameOrUuid.replace(/^\{|\}$/g, '').toLowerCase();
  return state.vms.find((vm) => vm.uuid === id) ?? state.vms.find((vm) => vm.name === nameOrUuid);
}

/** A VM holds its session lock while running and briefly after stopping. */
export function isLocked(vm: FakeVm, now = Date.now()): boolean {
  return vm.state === 'running' || vm.state === 'paused' || (vm.lockedUntil !== undefined && now < vm.lockedUntil);
}

/** Appends to a file (the serial log, the typed log), creating it. */
export function appendTo(path: string, text: string): void {
  const fd = openSync(path, 'a');
  try {
    writeFileSync(fd, text);
  } finally {
    closeSync(fd);
  }
}
