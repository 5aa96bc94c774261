import type { Step } from '../../pipeline/step.js';
import { checkpointLive } from '../checkpoints.js';
import type { BuildContext } from '../context.js';

/** After the first SSH login: the installed system becomes the install layer. */
export function checkpoint(): Step<BuildContext> {
  return {
    name: 'checkpoint',
    async run(ctx, signal) {
      await checkpointLive(ctx, 'install', signal);
    },
  };
}
