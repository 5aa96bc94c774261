import { join } from 'node:path';
import { tailLines } from '../util/tail.js';
import { waitForSsh, type SshAttempt } from '../ssh/wait-for-ssh.js';
import type { SshSession } from '../ssh/session.js';
import type { BuildContext } from './context.js';
import { need } from './context.js';
import type { BuildEvent } from './events.js';
import { FAILURE_PNG, hasExited } from './screenshots.js';
import { SEED_HTTP_PREFIX } from '../template/placeholders.js';
import { CloudInitLoginGate } from './cloud-init-gate.js';

const SERIAL_LINES = 15;

/**
 * Logs in to the guest through the SSH port forward, with the template's or the
 * generated credentials. When it times out, the error says what was tried (by
 * waitForSsh) and shows what the guest did: its last serial lines, and its screen,
 * saved as failure.png.
 */
export async function connectSsh(ctx: BuildContext, signal: AbortSignal, timeoutMs?: number): Promise<SshSession> {
  const ssh = need(ctx.template.ssh ?? undefined, 'ssh');
  const vm = need(ctx.vm, 'vm');
  // With a seed the guest runs cloud-init: a login waits while it works (after a reboot too).
  const gate = ctx.seed ? new CloudInitLoginGate(vm.serialLog, ctx.log) : undefined;
  return waitForSsh({
    host: '127.0.0.1',
    port: need(vm.sshPort, 'the forwarded SSH port'),
    username: ssh.username,
    password: ssh.password,
    privateKey: ctx.sshKey?.privateKey,
    timeoutMs: timeoutMs ?? ssh.timeout_ms,
    signal,
    log: ctx.log,
    onAttempt: (attempt) => ctx.emit(attemptEvent(attempt)),
    ...(gate ? { holdWhile: () => gate.holding() } : {}),
    diagnostics: async () => {
      const lines = await tailLines(vm.serialLog, SERIAL_LINES);
      const exited = await hasExited(vm);
      const serial = lines.length ? `last serial console lines (${vm.serialLog}):\n  ${lines.join('\n  ')}` : 'the serial console printed nothing';
      const stopped = exited ? `\n${vm.label} has stopped: ${vm.stderrTail() || 'no message'}` : '';
      // Not captured here: the failure hook saves the screen once the step has failed.
      const png = exited ? undefined : join(ctx.outputDir, FAILURE_PNG);
      return `${serial}${stopped}${png ? `\nthe guest's screen: ${png}` : ''}${cpuLevelNote(lines)}${seedNote(ctx)}${gate?.note() ?? ''}`;
    },
  });
}

/**
 * Closes ctx.ssh and logs in again (after a reboot or a dropped link), within timeoutMs
 * (default ssh.timeout). ctx.ssh is unset
 * while there is no session, so cleanup never closes a dead one twice.
 */
export async function reconnectSsh(ctx: BuildContext, signal: AbortSignal, timeoutMs?: number): Promise<SshSession> {
  await ctx.ssh?.close();
  ctx.ssh = undefined;
  ctx.ssh = await connectSsh(ctx, signal, timeoutMs);
  return ctx.ssh;
}

/** What a guest prints when the emulated CPU lacks what it was built for: glibc's x86-64 level check, the kernel's required features. */
const CPU_LEVEL = /CPU does not support (x86-64-v\d)|requires the following features not present on the CPU/;

/** For serial lines that say the CPU model is too old for the guest: which setting to change. */
export function cpuLevelNote(lines: readonly string[]): string {
  const found = lines.map((line) => CPU_LEVEL.exec(line)).find((m) => m !== null);
  if (!found) return '';
  const level = found[1] === 'x86-64-v2' || found[1] === 'x86-64-v3' ? found[1] : undefined;
  const setting = level ? `set machine.qemu.cpu_level: ${level}` : 'set machine.qemu.cpu_level to the level the guest is built for (x86-64-v2 for RHEL 9, x86-64-v3 for RHEL 10)';
  return `\nthe guest needs CPU features the emulated CPU model lacks (under TCG kiln emulates qemu64 unless told): ${setting}, or machine.qemu.cpu_model to a model that has them`;
}

/** For a seed served over HTTP: whether the guest ever asked for it, the usual reason nobody can log in. */
function seedNote(ctx: BuildContext): string {
  const url = ctx.seed?.url;
  if (!url || ctx.http?.requests.some((r) => r.path === `${SEED_HTTP_PREFIX}user-data`)) return '';
  return `\nthe guest never fetched its cloud-init seed (${url}user-data): check that the image has cloud-init with the NoCloud data source, and see serial.log for cloud-init's lines`;
}

/** The --json event for one of waitForSsh's login attempts. */
export function attemptEvent({ attempt, failure }: SshAttempt): BuildEvent {
  return failure ? { type: 'ssh-attempt', attempt, ok: false, error: failure.text } : { type: 'ssh-attempt', attempt, ok: true };
}
