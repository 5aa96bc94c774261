import type { Step } from '../../pipeline/step.js';
import type { BuildContext } from '../context.js';
import { connectSsh } from '../ssh-connect.js';

/** Polls until the installed guest accepts an SSH login as `username`. */
export function waitSsh(options: { username: string }): Step<BuildContext> {
  return {
    name: 'wait-ssh',
    async run(ctx, signal) {
      ctx.ssh = await connectSsh(ctx, signal);
      ctx.log.info(`logged in as ${options.username}`);
    },
    async cleanup(ctx) {
      await ctx.ssh?.close();
      ctx.ssh = undefined;
    },
  };
}
