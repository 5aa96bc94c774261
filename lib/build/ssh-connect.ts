import type { Log } from '../pipeline/log.js';
import { tailLines } from '../util/tail.js';
import { waitForSsh } from '../ssh/wait-for-ssh.js';
import type { SshSession } from '../ssh/session.js';
import type { BuildContext } from './context.js';
import { need } from './context.js';
import type { EmitEvent } from './events.js';
import { FAILURE_PNG, hasExited, takeScreenshot } from './screenshots.js';

const SERIAL_LINES = 15;

/**
 * Logs in to the guest through the SSH port forward, with the template's or the
 * generated credentials. When it times out, the error says what was tried (by
 * waitForSsh) and shows what the guest did: its last serial lines, and its screen,
 * saved as failure.png.
 */
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
    log: attemptEvents(ctx.log, ctx.emit),
    diagnostics: async () => {
      const lines = ctx.serialLog ? await tailLines(ctx.serialLog, SERIAL_LINES) : [];
      const vm = ctx.vm;
      const exited = vm ? await hasExited(vm) : true;
      const serial = lines.length ? `last serial console lines (${ctx.serialLog}):\n  ${lines.join('\n  ')}` : 'the serial console printed nothing';
      const stopped = vm && exited ? `\n${vm.label} has stopped: ${vm.stderrTail() || 'no message'}` : '';
      const png = exited ? undefined : await takeScreenshot(ctx, FAILURE_PNG, 'failure');
      return `${serial}${stopped}${png ? `\nthe guest's screen: ${png}` : ''}`;
    },
  });
}

// waitForSsh reports each attempt in its log lines; --json wants them as events.
const ATTEMPT_FAILED = /^SSH attempt (\d+) to \S+ failed: (.*)$/s;
const LOGIN_OK = /^SSH login as \S+ succeeded after (\d+) attempts?/;

/** A Log that passes everything on and also emits an ssh-attempt event per attempt. */
export function attemptEvents(log: Log, emit: EmitEvent): Log {
  return {
    info: (message) => {
      const ok = LOGIN_OK.exec(message);
      if (ok) emit({ type: 'ssh-attempt', attempt: Number(ok[1]), ok: true });
      log.info(message);
    },
    warn: (message) => log.warn(message),
    debug: (message) => {
      const failed = ATTEMPT_FAILED.exec(message);
      if (failed) emit({ type: 'ssh-attempt', attempt: Number(failed[1]), ok: false, error: failed[2]! });
      log.debug(message);
    },
    output: (source, line, stream) => log.output(source, line, stream),
  };
}
