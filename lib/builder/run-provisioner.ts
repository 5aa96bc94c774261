// One provisioner of the build's provision step, by kind: what each needs from the
// build (the SSH session, the guest's address for host programs, placeholders) and what
// it leaves behind (a new session after a reboot or an expected disconnect).
import { join } from 'node:path';
import { runAnsibleLocalProvisioner } from '../provision/ansible/local-run.js';
import { runAnsibleProvisioner } from '../provision/ansible/run.js';
import { runBreakpoint } from '../provision/breakpoint.js';
import { runFileProvisioner } from '../provision/file.js';
import { runReboot } from '../provision/reboot.js';
import { withRunControls } from '../provision/run-controls.js';
import { runShellProvisioner } from '../provision/shell.js';
import { runShellLocal } from '../post-process/shell-local.js';
import { renderPlaceholders } from '../template/render.js';
import type { PlaceholderValues, Provisioner, ShellLocalProvisioner } from '../template/types.js';
import type { BuildContext } from './context.js';
import { need, placeholderValues } from './context.js';
import { guestConnection } from './guest-connection.js';
import { PACKER_BUILDER_TYPE } from './packer-names.js';
import { reconnectSsh } from './ssh-connect.js';

export interface ProvisionerRun {
  index: number;
  label: string;
  signal: AbortSignal;
  /** ssh.password, for sudo in shell provisioners. */
  sudoPassword?: string;
}

export async function runProvisioner(ctx: BuildContext, p: Provisioner, run: ProvisionerRun): Promise<void> {
  const { index, label, signal } = run;
  const { log } = ctx;
  const render = (text: string, extra: Partial<PlaceholderValues> = {}) => renderPlaceholders(text, { ...placeholderValues(ctx), ...extra });
  const session = need(ctx.ssh, 'ssh session');
  switch (p.type) {
    case 'file': {
      // The guest's side of the copy may hold placeholders; the host's is a resolved path.
      const guestSide = p.direction === 'download' ? { source: render(p.source) } : { destination: render(p.destination) };
      await withRunControls(p, { label, log, signal, what: 'the copy', canRetry: () => !session.closed }, (s) =>
        runFileProvisioner(session, { ...p, ...guestSide }, { label, log, ...(s ? { signal: s } : {}) }),
      );
      return;
    }
    case 'ansible':
      await runAnsibleProvisioner(p, {
        label,
        log,
        signal,
        connection: await guestConnection(ctx, p.user),
        workDir: join(need(ctx.workDir, 'work dir'), `ansible-${index}`),
        buildVars: packerBuildVars(ctx),
      });
      return;
    case 'ansible-local':
      await runAnsibleLocalProvisioner(session, p, { label, log, signal, buildVars: packerBuildVars(ctx) });
      return;
    case 'shell-local':
      await withRunControls(p, { label, log, signal, what: 'the commands' }, async (s) => runShellLocal({
        label,
        ...(p.inline ? { inline: p.inline.map((line) => render(line)) } : {}),
        ...(p.scripts ? { scripts: p.scripts } : {}),
        cwd: ctx.template.dir,
        env: await shellLocalEnv(ctx, p, render),
        onLine: (line, stream) => log.output(label, line, stream),
        ...(s ? { signal: s } : {}),
        errorCode: 'E_PROVISION',
      }));
      return;
    case 'breakpoint':
      await runBreakpoint(p, { label, log, signal, input: process.stdin, buildName: ctx.template.name, connection: await guestConnection(ctx) });
      return;
    case 'reboot':
      await runReboot(session, p, { label, log, signal, reconnect: (timeoutMs) => reconnectSsh(ctx, signal, timeoutMs) });
      return;
    case 'shell': {
      const result = await runShellProvisioner(session, p, { label, log, signal, render, sudoPassword: run.sudoPassword });
      // A script that reboots may exit 0 just before the link drops: with expect_disconnect
      // always start a fresh session rather than trust the old one.
      if (result.disconnected || p.expect_disconnect) {
        log.info(`${label}: ${result.disconnected ? 'the guest disconnected as expected; ' : ''}reconnecting`);
        await reconnectSsh(ctx, signal);
      }
    }
  }
}

/** What Packer's ansible provisioners give every playbook. */
function packerBuildVars(ctx: BuildContext): Record<string, string> {
  const http: Record<string, string> = ctx.http ? { packer_http_addr: `${placeholderValues(ctx).HTTPIP}:${ctx.http.port}` } : {};
  return { packer_build_name: ctx.template.name, packer_builder_type: PACKER_BUILDER_TYPE[ctx.template.hypervisor], ...http };
}

/** kiln's and Packer's names for the build and the guest's SSH address, then the template's env (rendered). */
async function shellLocalEnv(ctx: BuildContext, p: ShellLocalProvisioner, render: (text: string) => string): Promise<Record<string, string>> {
  const guest = await guestConnection(ctx);
  const http: Record<string, string> = ctx.http ? { PACKER_HTTP_ADDR: `${placeholderValues(ctx).HTTPIP}:${ctx.http.port}` } : {};
  return {
    KILN_BUILD_NAME: ctx.template.name,
    KILN_OUTPUT_DIR: ctx.outputDir,
    KILN_BUILDER: ctx.template.hypervisor,
    KILN_SSH_HOST: guest.host,
    KILN_SSH_PORT: String(guest.port),
    KILN_SSH_USER: guest.user,
    ...(guest.privateKeyFile !== undefined ? { KILN_SSH_PRIVATE_KEY: guest.privateKeyFile } : {}),
    PACKER_BUILD_NAME: ctx.template.name,
    PACKER_BUILDER_TYPE: PACKER_BUILDER_TYPE[ctx.template.hypervisor],
    ...http,
    ...Object.fromEntries(Object.entries(p.env).map(([k, v]) => [k, render(v)])),
  };
}
