import type { Step } from '../../pipeline/step.js';
import type { BuildContext } from '../context.js';
import { connectSsh } from '../ssh-connect.js';

/** Polls until the installed guest accepts an SSH login. */
export const waitSsh: Step<BuildContext> = {
  name: 'wait-ssh',
  skip: (ctx) => ctx.template.ssh === null,
  async run(ctx, signal) {
    ctx.ssh = await connectSsh(ctx, signal);
    ctx.log.info(`logged in as ${ctx.template.ssh!.username}`);
  },
  async cleanup(ctx) {
    await ctx.ssh?.close();
    ctx.ssh = undefined;
  },
};
