import { randomUUID } from 'node:crypto';
import type { Kind } from '../../plugins/kind.js';
import type { Step } from '../../pipeline/step.js';
import { stepKind } from '../../template/step-kind.js';
import type { Hypervisor, PostProcessor } from '../../template/types.js';
import type { BuildContext } from '../context.js';
import { artifactsOf, BUILTIN_POST_PROCESSORS, type BuiltinPostProcessContext } from '../kinds/builtin-post-processors.js';
import { pluginContext, pluginKind } from '../kinds/plugin-kinds.js';

export interface PostProcessOptions {
  name: string;
  hypervisor: Hypervisor;
  /** The template's directory: shell-local's working directory, the base of manifest file names. */
  templateDir: string;
  postProcessors: PostProcessor[];
}

/**
 * The template's post_process list, in order, each through its kind: kiln's own
 * (kinds/builtin-post-processors.ts) or one a template's plugin gave.
 */
export function postProcess(options: PostProcessOptions): Step<BuildContext> {
  const { postProcessors, ...build } = options;
  return {
    name: 'post-process',
    async run(ctx, signal) {
      const runUuid = randomUUID();
      for (const [i, p] of postProcessors.entries()) {
        const label = `post_process[${i}] ${stepKind(p)}`;
        if (p.type === 'plugin') {
          const kind = await pluginKind(p, 'post-process');
          await kind.run(pluginContext(ctx, { label, artifacts: artifactsOf(ctx), signal }), p.options, signal);
          continue;
        }
        // Each built-in kind takes its own post-processor type; the table is keyed by that type.
        const kind = BUILTIN_POST_PROCESSORS[p.type] as Kind<PostProcessor, BuiltinPostProcessContext>;
        await kind.run({ ctx, label, runUuid, ...build }, p, signal);
      }
    },
  };
}
