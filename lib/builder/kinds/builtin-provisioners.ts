// kiln's own provisioner kinds, each through the kind interface (lib/plugins/kind.ts)
// that plugin kinds implement too: its options schema (schema-provision.ts), whether
// the stage cache may keep its result, and run. What each needs from the build (the
// SSH session, the guest's address for host programs, placeholders) comes from the
// build context; what it leaves behind (a new session after a reboot) goes back there.
import { join } from 'node:path';
import type { Kind } from '../../plugins/kind.js';
import { runAnsibleLocalProvisioner } from '../../provision/ansible/local-run.js';
import { runAnsibleProvisioner } from '../../provision/ansible/run.js';
import { runBreakpoint } from '../../provision/breakpoint.js';
import { runFileProvisioner } from '../../provision/file.js';
import { runReboot } from '../../provision/reboot.js';
import { withRunControls } from '../../provision/run-controls.js';
import { runShellProvisioner } from '../../provision/shell.js';
import { runShellLocal } from '../../post-process/shell-local.js';
import { renderPlaceholders } from '../../template/render.js';
import { provisionItem } from '../../template/schema-provision.js';
import type { PlaceholderValues, Provisioner } from '../../template/types.js';
import type { BuildContext } from '../context.js';
import { need, placeholderValues } from '../context.js';
import { guestConnection } from '../guest-connection.js';
import { reconnectSsh } from '../ssh-connect.js';
import { packerBuildVars, shellLocalEnv } from './build-env.js';

export interface ProvisionerRun {
  index: number;
  label: string;
  /** ssh.password, for sudo in shell provisioners. */
  sudoPassword?: string;
}

export interface BuiltinProvisionContext {
  ctx: BuildContext;
  run: ProvisionerRun;
  /** Fills build-time placeholders ({{ .HTTPIP }}, ...) with what is known now. */
  render: (text: string, extra?: Partial<PlaceholderValues>) => string;
}

type BuiltinType = Exclude<Provisioner['type'], 'plugin'>;
type BuiltinKind<T extends BuiltinType> = Kind<Extract<Provisioner, { type: T }>, BuiltinProvisionContext>;

const kind = <T extends BuiltinType>(name: T, rest: Omit<BuiltinKind<T>, 'name' | 'stage' | 'schema'>): BuiltinKind<T> => ({
  name,
  stage: 'provision',
  schema: provisionItem.properties![name]!,
  ...rest,
});

export const BUILTIN_PROVISIONERS: { [T in BuiltinType]: BuiltinKind<T> } = {
  file: kind('file', {
    async run({ ctx, run, render }, p, signal) {
      const { label } = run;
      const session = need(ctx.ssh, 'ssh session');
      // The guest's side of the copy may hold placeholders; the host's is a resolved path.
      const guestSide = p.direction === 'download' ? { source: render(p.source) } : { destination: render(p.destination) };
      await withRunControls(p, { label, log: ctx.log, signal, what: 'the copy', canRetry: () => !session.closed }, (s) =>
        runFileProvisioner(session, { ...p, ...guestSide }, { label, log: ctx.log, ...(s ? { signal: s } : {}) }),
      );
    },
  }),
  ansible: kind('ansible', {
    async run({ ctx, run }, p, signal) {
      await runAnsibleProvisioner(p, {
        label: run.label,
        log: ctx.log,
        signal,
        connection: await guestConnection(ctx, p.user),
        workDir: join(need(ctx.workDir, 'work dir'), `ansible-${run.index}`),
        buildVars: packerBuildVars(ctx),
      });
    },
  }),
  'ansible-local': kind('ansible-local', {
    async run({ ctx, run }, p, signal) {
      await runAnsibleLocalProvisioner(need(ctx.ssh, 'ssh session'), p, { label: run.label, log: ctx.log, signal, buildVars: packerBuildVars(ctx) });
    },
  }),
  'shell-local': kind('shell-local', {
    cache: false,
    async run({ ctx, run, render }, p, signal) {
      const { label } = run;
      await withRunControls(p, { label, log: ctx.log, signal, what: 'the commands' }, async (s) => runShellLocal({
        label,
        ...(p.inline ? { inline: p.inline.map((line) => render(line)) } : {}),
        ...(p.scripts ? { scripts: p.scripts } : {}),
        cwd: ctx.template.dir,
        env: await shellLocalEnv(ctx, p, render),
        onLine: (line, stream) => ctx.log.output(label, line, stream),
        ...(s ? { signal: s } : {}),
        errorCode: 'E_PROVISION',
      }));
    },
  }),
  breakpoint: kind('breakpoint', {
    cache: false,
    async run({ ctx, run }, p, signal) {
      await runBreakpoint(p, { label: run.label, log: ctx.log, signal, input: process.stdin, buildName: ctx.template.name, connection: await guestConnection(ctx) });
    },
  }),
  reboot: kind('reboot', {
    async run({ ctx, run }, p, signal) {
      await runReboot(need(ctx.ssh, 'ssh session'), p, { label: run.label, log: ctx.log, signal, reconnect: (timeoutMs) => reconnectSsh(ctx, signal, timeoutMs) });
    },
  }),
  shell: kind('shell', {
    async run({ ctx, run, render }, p, signal) {
      const { label } = run;
      const result = await runShellProvisioner(need(ctx.ssh, 'ssh session'), p, { label, log: ctx.log, signal, render, sudoPassword: run.sudoPassword });
      // A script that reboots may exit 0 just before the link drops: with expect_disconnect
      // always start a fresh session rather than trust the old one.
      if (result.disconnected || p.expect_disconnect) {
        ctx.log.info(`${label}: ${result.disconnected ? 'the guest disconnected as expected; ' : ''}reconnecting`);
        await reconnectSsh(ctx, signal);
      }
    },
  }),
};

/** A context for the built-in kinds from the build's. */
export function builtinProvisionContext(ctx: BuildContext, run: ProvisionerRun): BuiltinProvisionContext {
  return { ctx, run, render: (text, extra = {}) => renderPlaceholders(text, { ...placeholderValues(ctx), ...extra }) };
}
