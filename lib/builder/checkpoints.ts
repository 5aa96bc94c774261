// Checkpoints of the stage cache, shared by the steps that take them: the install layer
// when the installed guest first answers SSH (checkpoint), a layer after each
// provisioner (provision), and the last one once the guest has powered off
// (checkpoint-final).
import { join } from 'node:path';
import type { CheckpointExtras } from '../cache/layer-writer.js';
import { EFI_VARS_FILE_NAME } from '../hypervisor/qemu/driver.js';
import type { BuildContext } from './context.js';
import { need } from './context.js';

/** Snapshots the running guest's disk (and, when the VM can, its memory) as the layer of `label` (a no-op when the stage is not cached). */
export async function checkpointLive(ctx: BuildContext, label: string, signal: AbortSignal): Promise<void> {
  if (!ctx.cache) return;
  const ssh = need(ctx.ssh, 'ssh session');
  const vm = need(ctx.vm, 'vm');
  const snapshotDisk = vm.snapshotDisk?.bind(vm);
  if (!snapshotDisk) throw new Error(`internal: the stage cache was opened for a ${vm.label} VM, which takes no live snapshots`);
  const saveState = vm.saveState?.bind(vm);
  const savingState = vm.savingState?.bind(vm);
  const guest = { exec: (command: string, s: AbortSignal) => ssh.exec(command, { signal: s }), snapshotDisk, ...(saveState ? { saveState } : {}), ...(savingState ? { savingState } : {}) };
  // Past a checkpoint the guest writes to a new overlay: that is the disk to export.
  const { disk, taken } = await ctx.cache.checkpointLive(label, guest, checkpointExtras(ctx), signal);
  ctx.disk = disk;
  if (taken) ctx.guestSynced = true; // checkpointLive ran sync in the guest first
  if (taken) ctx.emit({ type: 'snapshot', stage: label, ms: taken.ms, paused_ms: taken.pausedMs, memory: taken.memory });
}

/**
 * Before the guest is shut down: a memory checkpoint still being written must be whole
 * before the VM exits (QEMU abandons it when the guest powers off). A VM that can hold
 * its exit until then lets the shutdown start at once; otherwise this waits for it.
 * Returns what to call once the VM has stopped: it reports the build's wait for the
 * state, if any, as a `wait` event.
 */
export async function beforePowerOff(ctx: BuildContext, signal: AbortSignal): Promise<() => Promise<void>> {
  const report = (ms: number) => {
    if (ms >= 50) ctx.emit({ type: 'wait', kind: 'checkpoint', target: 'the last memory checkpoint', ms });
  };
  const held = await ctx.vm?.holdPowerOff?.(signal);
  if (held) return async () => report(await held.lingered);
  const written = ctx.vm?.stateWritten?.();
  if (written) {
    const begin = performance.now();
    await written;
    report(Math.round(performance.now() - begin));
  }
  return async () => {};
}

/** What a layer keeps besides its disk, for a build that resumes from it. */
export function checkpointExtras(ctx: BuildContext): CheckpointExtras {
  const ssh = ctx.template.ssh;
  // Only a generated key needs keeping: a template's own key or password works again as is.
  const generated = ssh !== null && !ssh.private_key && ssh.password === undefined;
  return {
    ...(ctx.template.machine.firmware === 'efi' ? { efiVars: join(need(ctx.workDir, 'workDir'), EFI_VARS_FILE_NAME) } : {}),
    ...(generated && ctx.sshKey ? { sshKey: ctx.sshKey } : {}),
    ...(ctx.seed ? { instanceId: ctx.seed.instanceId } : {}),
  };
}
