// Test hook, not VirtualBox behaviour: a VBoxManage call that stops at a known point
// (before its work, or after it and before exiting) until the test lets it go. A test
// then acts (presses Ctrl-C) while that call is certainly under way, instead of
// guessing from outside how long the call or its step takes. A held call is a file in
// the fake's `held` folder; deleting it releases the call.

import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FakeConfig } from './state.js';

export interface HoldRule {
  command: string;
  subcommand?: string;
  when: 'before' | 'after';
  /** How many matching calls to hold (default 1). */
  times?: number;
}

export const heldDir = (statePath: string): string => join(dirname(statePath), 'held');

/** Counts down the first rule that holds this call, if any; the caller saves the config (under the lock). */
export function claimHold(config: FakeConfig, command: string, args: string[], when: HoldRule['when']): boolean {
  const rule = config.hold?.find((h) => h.when === when && h.command === command && (!h.subcommand || h.subcommand === args[1]) && (h.times ?? 1) > 0);
  if (!rule) return false;
  rule.times = (rule.times ?? 1) - 1;
  return true;
}

/** In the fake: announces the call and waits until the test releases it (or kills the process). */
export async function holdHere(statePath: string, argv: string[]): Promise<void> {
  const dir = heldDir(statePath);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${process.pid}-${Date.now()}.json`);
  // Renamed into place, so the test never reads half of it.
  writeFileSync(`${file}.tmp`, JSON.stringify(argv));
  renameSync(`${file}.tmp`, file);
  await whenDir(dir, () => !existsSync(file));
}

/** In the test: the argv of the first call the fake holds, once it does. */
export async function nextHeld(statePath: string): Promise<string[]> {
  const dir = heldDir(statePath);
  mkdirSync(dir, { recursive: true });
  let argv: string[] | undefined;
  await whenDir(dir, () => {
    const file = readdirSync(dir).find((f) => f.endsWith('.json'));
    if (file) argv = JSON.parse(readFileSync(join(dir, file), 'utf8')) as string[];
    return argv !== undefined;
  });
  return argv!;
}

/** In the test: lets every held call go on. */
export function releaseHeld(statePath: string): void {
  rmSync(heldDir(statePath), { recursive: true, force: true });
}

/** Resolves once `done()` is true, checking whenever the folder changes (and once at the start, so nothing is missed). */
function whenDir(dir: string, done: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    let watcher: FSWatcher | undefined;
    const check = () => {
      let ok: boolean;
      try {
        ok = done();
      } catch (error) {
        watcher?.close();
        return reject(error);
      }
      if (!ok) return;
      watcher?.close();
      resolve();
    };
    try {
      // The folder itself going away (releaseHeld, the fake removed) is a change too.
      watcher = watch(dir, check);
      watcher.on('error', () => check());
    } catch (error) {
      // Released (the folder removed) between announcing the call and watching for it: a
      // loaded machine makes that gap long enough to hit. Then `done` already holds.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return reject(error);
    }
    check();
  });
}
