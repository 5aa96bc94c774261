import { join } from 'node:path';
import type { Step } from '../../pipeline/step.js';
import { runAnsibleProvisioner } from '../../provision/ansible/run.js';
import { runAnsibleLocalProvisioner } from '../../provision/ansible/local-run.js';
import { runFileProvisioner } from '../../provision/file.js';
import { runShellProvisioner } from '../../provision/shell.js';
import { renderPlaceholders } from '../../template/render.js';
import type { AnsibleProvisioner, PlaceholderValues, Provisioner } from '../../template/types.js';
import type { BuildContext } from '../context.js';
import { need, placeholderValues } from '../context.js';
import { guestConnection } from '../guest-connection.js';
import { PACKER_BUILDER_TYPE } from '../packer-names.js';
import { reconnectSsh } from '../ssh-connect.js';
import { checkpointLive } from '../checkpoints.js';

/** Runs the provisioners in order over SSH; reconnects after one that expected a disconnect. */
export function provision(options: { provisioners: readonly Provisioner[]; sudoPassword?: string }): Step<BuildContext> {
  return {
  name: 'provision',
  async run(ctx, signal) {
    const render = (text: string, extra: Partial<PlaceholderValues> = {}) => renderPlaceholders(text, { ...placeholderValues(ctx), ...extra });
    for (const [index, p] of options.provisioners.entries()) {
      if (index < (ctx.cache?.provisionersDone ?? 0)) continue; // its result is on the resumed disk
      const label = `provision[${index}] ${p.type}`;
      ctx.log.info(`${label}: ${describe(p)}`);
      const session = need(ctx.ssh, 'ssh session');
      if (p.type === 'file') {
        // The guest's side of the copy may hold placeholders; the host's is a resolved path.
        const guestSide = p.direction === 'download' ? { source: render(p.source) } : { destination: render(p.destination) };
        await runFileProvisioner(session, { ...p, ...guestSide }, { label, log: ctx.log, signal });
        await checkpointLive(ctx, `provision[${index}]`, signal);
        continue;
      }
      if (p.type === 'ansible' || p.type === 'ansible-local') {
        if (p.type === 'ansible') await runAnsible(ctx, p, index, label, signal);
        else await runAnsibleLocalProvisioner(session, p, { label, log: ctx.log, signal, buildVars: packerBuildVars(ctx) });
        await checkpointLive(ctx, `provision[${index}]`, signal);
        continue;
      }
      const result = await runShellProvisioner(session, p, {
        label,
        log: ctx.log,
        signal,
        render,
        sudoPassword: options.sudoPassword,
      });
      // A script that reboots may exit 0 just before the link drops: with expect_disconnect
      // always start a fresh session rather than trust the old one.
      if (result.disconnected || p.expect_disconnect) {
        ctx.log.info(`${label}: ${result.disconnected ? 'the guest disconnected as expected; ' : ''}reconnecting`);
        await reconnectSsh(ctx, signal);
      }
      await checkpointLive(ctx, `provision[${index}]`, signal);
    }
  },
  };
}

/** What Packer's ansible provisioners give every playbook. */
function packerBuildVars(ctx: BuildContext): Record<string, string> {
  const http: Record<string, string> = ctx.http ? { packer_http_addr: `${placeholderValues(ctx).HTTPIP}:${ctx.http.port}` } : {};
  return { packer_build_name: ctx.template.name, packer_builder_type: PACKER_BUILDER_TYPE[ctx.template.hypervisor], ...http };
}

async function runAnsible(ctx: BuildContext, p: AnsibleProvisioner, index: number, label: string, signal: AbortSignal): Promise<void> {
  await runAnsibleProvisioner(p, {
    label,
    log: ctx.log,
    signal,
    connection: await guestConnection(ctx, p.user),
    workDir: join(need(ctx.workDir, 'work dir'), `ansible-${index}`),
    buildVars: packerBuildVars(ctx),
  });
}

function describe(p: Provisioner): string {
  if (p.type === 'file') return `${p.source} -> ${p.destination}${p.direction === 'download' ? ' (download)' : ''}`;
  if (p.type === 'ansible' || p.type === 'ansible-local') return p.playbook_files.join(', ');
  return p.script ?? `${p.inline?.length ?? 0} inline command(s)`;
}
