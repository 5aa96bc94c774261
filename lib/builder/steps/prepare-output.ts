import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Step } from '../../pipeline/step.js';
import type { BuildContext } from '../context.js';
import { claimOutputDir, recordOutputs, WORK_DIR_NAME } from '../output-ownership.js';

export { WORK_DIR_NAME } from '../output-ownership.js';

/**
 * Claims the output directory (an earlier kiln build's outputs are replaced only with
 * --force, anything else is never touched: output-ownership.ts) and its scratch dir,
 * and starts build.log there. Cleanup removes the scratch dir unless the user asked to
 * keep everything (--on-error=abort), and records what the build left in the directory.
 */
export function prepareOutput(options: { force: boolean; kilnVersion: string }): Step<BuildContext> {
  return {
  name: 'prepare-output',
  async run(ctx) {
    const dir = ctx.outputDir;
    await claimOutputDir(dir, options);
    ctx.workDir = join(dir, WORK_DIR_NAME);
    await mkdir(ctx.workDir, { recursive: true });
    ctx.log.attachFile(join(dir, 'build.log'));
    ctx.log.debug(`output directory ${dir}`);
  },
  async cleanup(ctx, info) {
    // Not claimed (refused, or it failed): the directory and what is in it are not kiln's.
    if (!ctx.workDir) return;
    if (info.keepFiles) ctx.log.info(`kept ${ctx.workDir} for inspection (--on-error=abort)`);
    else await rm(ctx.workDir, { recursive: true, force: true });
    await recordOutputs(ctx.outputDir, options.kilnVersion);
  },
  };
}
