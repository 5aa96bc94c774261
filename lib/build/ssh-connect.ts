import { tailLines } from '../util/tail.js';
import { waitForSsh } from '../ssh/wait-for-ssh.js';
import type { SshSession } from '../ssh/session.js';
import type { BuildContext } from './context.js';
import { need } from './context.js';

/** Logs in to the guest through the SSH port forward, with the template's or the generated credentials. */
export async function connectSsh(ctx: BuildContext, signal: AbortSignal, timeoutMs?: number): Promise<SshSession> {
  const ssh = need(ctx.template.ssh ?? undefined, 'ssh');
  return waitForSsh({
    host: '127.0.0.1',
    port: need(ctx.sshHostPort, 'sshHostPort'),
    username: ssh.username,
    password: ssh.password,
    privateKey: ctx.sshKey?.privateKey,
    timeoutMs: timeoutMs ?? ssh.timeout_ms,
    signal,
    log: ctx.log,
    diagnostics: async () => {
      const lines = ctx.serialLog ? await tailLines(ctx.serialLog, 15) : [];
      const vm = ctx.vm;
      const qemu = vm && (await isExited(vm.exited)) ? `\nQEMU has exited: ${vm.stderrTail() || 'no message'}` : '';
      return `${lines.length ? `last serial console lines (${ctx.serialLog}):\n  ${lines.join('\n  ')}` : 'the serial console printed nothing'}${qemu}`;
    },
  });
}

async function isExited(exited: Promise<unknown>): Promise<boolean> {
  return Promise.race([exited.then(() => true), new Promise<boolean>((r) => setImmediate(() => r(false)))]);
}
