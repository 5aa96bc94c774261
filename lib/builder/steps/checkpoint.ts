// Checkpoints of the stage cache. The install layer is taken when the installed guest
// first answers SSH, provisioner layers after each provisioner (provision.ts calls
// checkpointLive), and the last layer once the guest has powered off.
import { join } from 'node:path';
import type { CheckpointExtras } from '../../cache/layer-writer.js';
import type { Step } from '../../pipeline/step.js';
import type { BuildContext } from '../context.js';
import { need } from '../context.js';
import { EFI_VARS_FILE_NAME } from './start-vm.js';

/** Snapshots the running guest's disk as the layer of `label` (a no-op when the stage is not cached). */
export async function checkpointLive(ctx: BuildContext, label: string, signal: AbortSignal): Promise<void> {
  if (!ctx.cache) return;
  const ssh = need(ctx.ssh, 'ssh session');
  const vm = need(ctx.vm, 'vm');
  if (vm.kind !== 'qemu') throw new Error('internal: the stage cache snapshots QEMU guests only');
  const guest = { exec: (command: string, s: AbortSignal) => ssh.exec(command, { signal: s }), qmp: vm.driver.qmp };
  // Past a checkpoint the guest writes to a new overlay: that is the disk to export.
  ctx.disk = await ctx.cache.checkpointLive(label, guest, extras(ctx), signal);
}

/** After the first SSH login: the installed system becomes the install layer. */
export const checkpointInstall: Step<BuildContext> = {
  name: 'checkpoint',
  skip: (ctx) => !ctx.cache || ctx.template.ssh === null || ctx.cache.resumed !== undefined,
  async run(ctx, signal) {
    await checkpointLive(ctx, 'install', signal);
  },
};

/** After the guest powered off: its disk is the last layer (the install itself with `ssh: none`). */
export const checkpointFinal: Step<BuildContext> = {
  name: 'checkpoint-final',
  skip: (ctx) => !ctx.cache || ctx.cache.finished,
  async run(ctx) {
    await need(ctx.cache, 'cache').checkpointStopped(ctx.template.ssh === null ? 'install' : 'shutdown', extras(ctx));
  },
};

function extras(ctx: BuildContext): CheckpointExtras {
  const ssh = ctx.template.ssh;
  // Only a generated key needs keeping: a template's own key or password works again as is.
  const generated = ssh !== null && !ssh.private_key && ssh.password === undefined;
  return {
    ...(ctx.template.machine.firmware === 'efi' ? { efiVars: join(need(ctx.workDir, 'workDir'), EFI_VARS_FILE_NAME) } : {}),
    ...(generated && ctx.sshKey ? { sshKey: ctx.sshKey } : {}),
    ...(ctx.seed ? { instanceId: ctx.seed.instanceId } : {}),
  };
}
