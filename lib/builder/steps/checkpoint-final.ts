import type { Step } from '../../pipeline/step.js';
import { checkpointExtras } from '../checkpoints.js';
import type { BuildContext } from '../context.js';
import { need } from '../context.js';

/** After the guest powered off: its disk is the last layer, `label` (the install itself with `ssh: none`). */
export function checkpointFinal(options: { label: 'install' | 'shutdown' }): Step<BuildContext> {
  return {
    name: 'checkpoint-final',
    async run(ctx) {
      await need(ctx.cache, 'cache').checkpointStopped(options.label, checkpointExtras(ctx));
    },
  };
}
