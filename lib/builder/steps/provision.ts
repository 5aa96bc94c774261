import type { Step } from '../../pipeline/step.js';
import { stepKind } from '../../template/step-kind.js';
import type { Provisioner } from '../../template/types.js';
import type { BuildContext } from '../context.js';
import { runProvisioner } from '../run-provisioner.js';
import { checkpointLive } from '../checkpoints.js';

/** Runs the provisioners in order (run-provisioner.ts), a checkpoint after each. */
export function provision(options: { provisioners: readonly Provisioner[]; sudoPassword?: string }): Step<BuildContext> {
  return {
  name: 'provision',
  async run(ctx, signal) {
    for (const [index, p] of options.provisioners.entries()) {
      if (index < (ctx.cache?.provisionersDone ?? 0)) continue; // its result is on the resumed disk
      const label = `provision[${index}] ${stepKind(p)}`;
      ctx.log.info(`${label}: ${describe(p)}`);
      ctx.guestSynced = false;
      await runProvisioner(ctx, p, { index, label, signal, ...(options.sudoPassword !== undefined ? { sudoPassword: options.sudoPassword } : {}) });
      await checkpointLive(ctx, `provision[${index}]`, signal);
    }
  },
  };
}

function describe(p: Provisioner): string {
  switch (p.type) {
    case 'file':
      return `${p.source} -> ${p.destination}${p.direction === 'download' ? ' (download)' : ''}`;
    case 'ansible':
    case 'ansible-local':
      return p.playbook_files.join(', ');
    case 'shell-local':
      return p.scripts?.join(', ') ?? `${p.inline?.length ?? 0} inline command(s) on this host`;
    case 'reboot':
      return p.command;
    case 'breakpoint':
      return p.note ?? 'pause';
    case 'shell':
      return p.script ?? `${p.inline?.length ?? 0} inline command(s)`;
    case 'plugin':
      return `from ${p.module}`;
  }
}
