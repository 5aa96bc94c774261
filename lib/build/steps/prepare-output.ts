import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { KilnError } from '../../errors.js';
import type { Step } from '../../pipeline/step.js';
import type { BuildContext } from '../context.js';

/** Work files (the VM's disk, EFI vars, sockets) live here, on the same filesystem as the outputs. */
export const WORK_DIR_NAME = '.kiln-work';

/**
 * Creates the output directory (refusing to overwrite one unless --force) and its
 * scratch dir, and starts build.log there. Cleanup removes the scratch dir unless the
 * user asked to keep everything (--on-error=abort).
 */
export const prepareOutput: Step<BuildContext> = {
  name: 'prepare-output',
  async run(ctx) {
    const dir = ctx.outputDir;
    const existing = await readdir(dir).catch(() => undefined);
    if (existing && existing.length > 0) {
      if (!ctx.options.force) {
        throw new KilnError('E_OUTPUT_EXISTS', `output directory ${dir} already exists and is not empty`, {
          hint: 'pass --force to replace it, or set output.directory to another path',
        });
      }
      await rm(dir, { recursive: true, force: true });
    }
    await mkdir(dir, { recursive: true });
    ctx.workDir = join(dir, WORK_DIR_NAME);
    await mkdir(ctx.workDir, { recursive: true });
    ctx.log.attachFile(join(dir, 'build.log'));
    ctx.log.debug(`output directory ${dir}`);
  },
  async cleanup(ctx, info) {
    if (info.keepFiles) {
      ctx.log.info(`kept ${ctx.workDir} for inspection (--on-error=abort)`);
      return;
    }
    if (ctx.workDir) await rm(ctx.workDir, { recursive: true, force: true });
  },
};
