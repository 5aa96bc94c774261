// Screenshots a build saves in its output directory: failure.png (the last screen of a
// failed build) and, with --screenshots, boot-NN.png while typing the boot command.
import { join } from 'node:path';
import { saveScreenshot } from '../screen/capture.js';
import type { BuildVm } from '../hypervisor/build-vm.js';
import type { BuildContext } from './context.js';

export const FAILURE_PNG = 'failure.png';

/** Saves the screen as `file` in the output directory; the path, or undefined with a warning when it cannot. */
export async function takeScreenshot(ctx: BuildContext, file: string, reason: 'boot-line' | 'before-typing' | 'failure'): Promise<string | undefined> {
  const vm = ctx.vm;
  if (!vm || (await hasExited(vm))) return undefined;
  const path = join(ctx.outputDir, file);
  try {
    await saveScreenshot(vm, path, join(ctx.workDir ?? ctx.outputDir, `screen-${reason}.ppm`));
  } catch (error) {
    ctx.log.warn(`could not save ${file}: ${(error as Error).message}`);
    return undefined;
  }
  ctx.emit({ type: 'screenshot', file: path, reason });
  return path;
}

/** Whether the VM has stopped, without waiting for it. */
export function hasExited(vm: Pick<BuildVm, 'exited'>): Promise<boolean> {
  return Promise.race([vm.exited.then(() => true), new Promise<boolean>((r) => setImmediate(() => r(false)))]);
}
