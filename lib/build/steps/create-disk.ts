import { join } from 'node:path';
import { createDisk as createDiskImage } from '../../hypervisor/qemu/qemu-img.js';
import type { Step } from '../../pipeline/step.js';
import type { BuildContext } from '../context.js';
import { need } from '../context.js';

/**
 * The empty disk the installer writes to; it lives in the work dir until export. With
 * the stage cache it lives in the cache instead: on top of the resumed layer, if any.
 */
export const createDisk: Step<BuildContext> = {
  name: 'create-disk',
  async run(ctx, signal) {
    if (ctx.cache) {
      ctx.disk = await ctx.cache.prepareDisk(signal);
      return;
    }
    const path = join(need(ctx.workDir, 'workDir'), `${ctx.template.name}.qcow2`);
    await createDiskImage(path, ctx.template.machine.disk_bytes, 'qcow2');
    ctx.disk = { path, format: 'qcow2' };
  },
};
