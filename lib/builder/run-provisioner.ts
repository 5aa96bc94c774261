// One provisioner of the build's provision step, through its kind (lib/plugins/kind.ts):
// kiln's own (kinds/builtin-provisioners.ts) or one a template's plugin gave.
import type { Provisioner } from '../template/types.js';
import type { BuildContext } from './context.js';
import { need } from './context.js';
import { BUILTIN_PROVISIONERS, builtinProvisionContext, type BuiltinProvisionContext, type ProvisionerRun } from './kinds/builtin-provisioners.js';
import { pluginContext, pluginKind } from './kinds/plugin-kinds.js';
import type { Kind } from '../plugins/kind.js';

export type { ProvisionerRun } from './kinds/builtin-provisioners.js';

export async function runProvisioner(ctx: BuildContext, p: Provisioner, run: ProvisionerRun & { signal: AbortSignal }): Promise<void> {
  const { signal, ...rest } = run;
  if (p.type === 'plugin') {
    const kind = await pluginKind(p, 'provision');
    await kind.run(pluginContext(ctx, { label: run.label, session: need(ctx.ssh, 'ssh session'), signal }), p.options, signal);
    return;
  }
  // Each built-in kind takes its own provisioner type; the table is keyed by that type.
  const kind = BUILTIN_PROVISIONERS[p.type] as Kind<Provisioner, BuiltinProvisionContext>;
  await kind.run(builtinProvisionContext(ctx, rest), p, signal);
}
