// Leaves nothing behind: a registered VM is powered off and unregistered with its
// files (`unregistervm --delete` also deletes the disks attached to it); a disk that
// was created but never attached is closed and deleted on its own. Each step checks
// what VirtualBox reports instead of trusting what kiln believes it did, because a
// step may have been interrupted half-way (Ctrl-C while createvm ran).

import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { KilnError } from '../../errors.js';
import type { Log } from '../../log/log.js';
import { sleep } from '../../util/sleep.js';
import { closeMediumArgs, showVmInfoArgs, unregisterVmArgs } from './argv.js';
import { powerOffArgs } from './control-argv.js';
import { VBoxManageError } from './errors.js';
import type { VBoxManage, VBoxResult } from './run.js';
import { isStopped, parseMachineReadable } from './vm-info.js';

export interface VmFiles {
  /** The VM's own folder (inside createvm's --basefolder, named after the VM). */
  vmFolder: string;
  /** The folder did not exist before createvm: kiln may delete what is left in it. */
  ownsFolder: boolean;
  diskPath: string;
  /** createvm was run (it may have registered the VM even if it then failed). */
  vmCreated: boolean;
  /** createmedium was run on a path where no file was (it registers the disk). */
  diskCreated: boolean;
}

/** Attempts and pause while VirtualBox still holds the session of a VM just powered off. */
const UNLOCK_TRIES = 40;
const UNLOCK_PAUSE_MS = 250;

export async function destroyVm(vbox: VBoxManage, name: string, files: VmFiles, log?: Log): Promise<void> {
  if (files.vmCreated) await unregister(vbox, name, log);
  if (files.diskCreated && existsSync(files.diskPath)) {
    const closed = await vbox.tryRun(closeMediumArgs(files.diskPath));
    if (closed.exitCode !== 0) log?.debug(`closemedium ${files.diskPath}: ${new VBoxManageError([], closed.exitCode, closed.stderr).info.message}`);
    await rm(files.diskPath, { force: true });
  }
  // VirtualBox leaves its Logs folder; a folder kiln did not create is not kiln's to remove.
  if (files.ownsFolder) await rm(files.vmFolder, { recursive: true, force: true });
}

async function unregister(vbox: VBoxManage, name: string, log?: Log): Promise<void> {
  let state = await lookUp(vbox, name);
  if (state === undefined) return;
  if (!isStopped(state)) {
    log?.debug(`powering off VirtualBox VM ${name} (${state}) before unregistering it`);
    await vbox.tryRun(powerOffArgs(name));
    for (let i = 0; i < UNLOCK_TRIES && state !== undefined && !isStopped(state); i++) {
      await sleep(UNLOCK_PAUSE_MS);
      state = await lookUp(vbox, name);
    }
    if (state === undefined) return;
  }
  let last: VBoxManageError | undefined;
  for (let i = 0; i < UNLOCK_TRIES; i++) {
    const result = await vbox.tryRun(unregisterVmArgs(name), { timeoutMs: 300_000 });
    if (result.exitCode === 0) {
      log?.debug(`unregistered VirtualBox VM ${name} and deleted its files`);
      return;
    }
    last = new VBoxManageError(unregisterVmArgs(name), result.exitCode, result.stderr);
    if (last.machineNotFound) return;
    // Right after a poweroff the VM process may still hold its session for a moment.
    if (!last.locked) break;
    await sleep(UNLOCK_PAUSE_MS);
  }
  throw new KilnError('E_TOOL', `could not unregister VirtualBox VM ${name}: ${last?.info.message || 'VBoxManage failed'}`, {
    cause: last,
    hint: `remove it by hand: VBoxManage controlvm ${name} poweroff; VBoxManage unregistervm ${name} --delete`,
  });
}

/** The VM's state, or undefined when VirtualBox does not know it (any more). */
async function lookUp(vbox: VBoxManage, name: string): Promise<string | undefined> {
  const result: VBoxResult = await vbox.tryRun(showVmInfoArgs(name));
  if (result.exitCode === 0) return parseMachineReadable(result.stdout).get('VMState') ?? 'poweroff';
  const error = new VBoxManageError(showVmInfoArgs(name), result.exitCode, result.stderr);
  if (error.machineNotFound) return undefined;
  throw new KilnError('E_TOOL', `cannot look up VirtualBox VM ${name}: ${error.info.message || result.stderr.trim()}`, {
    cause: error,
    hint: `check it with: VBoxManage showvminfo ${name}`,
  });
}
