// The reboot provisioner: reboots the guest, waits for SSH with its own timeout, and goes
// on. A login that still reaches the old system (sshd answers for a moment after the
// command) is told apart by the kernel's boot id, which changes on every boot.
import { KilnError, throwIfAborted } from '../errors.js';
import type { Log } from '../log/log.js';
import type { SshSession } from '../ssh/session.js';
import type { RebootProvisioner } from '../template/types.js';
import { formatDuration } from '../util/duration.js';
import { sleep } from '../util/sleep.js';

export const BOOT_ID_COMMAND = 'cat /proc/sys/kernel/random/boot_id';

export interface RebootOptions {
  label: string;
  log: Log;
  signal?: AbortSignal;
  /** Logs in again, giving up after timeoutMs; the step's reconnect (it replaces the build's session). */
  reconnect: (timeoutMs: number) => Promise<SshSession>;
  /** How the boot is identified; tests give their own. */
  bootIdCommand?: string;
}

/** Pause between a login that found the old boot and the next try. */
const SAME_BOOT_PAUSE_MS = 2000;

export async function runReboot(session: SshSession, p: RebootProvisioner, options: RebootOptions): Promise<SshSession> {
  const { label, log, signal } = options;
  const bootIdCommand = options.bootIdCommand ?? BOOT_ID_COMMAND;
  if (p.pause_before_ms > 0) {
    log.info(`${label}: waiting ${formatDuration(p.pause_before_ms)} (pause_before)`);
    await sleep(p.pause_before_ms, signal);
  }
  const before = await bootId(session, bootIdCommand, signal).catch((error: KilnError) => {
    throw new KilnError('E_PROVISION', `${label}: ${error.message}`, { hint: error.hint });
  });
  log.info(`${label}: running ${p.command}`);
  const result = await session.exec(p.command, { signal, onStdout: (l) => log.output(label, l), onStderr: (l) => log.output(label, l, 'stderr') });
  if (!result.disconnected && result.exitCode !== null && result.exitCode !== 0) {
    throw new KilnError('E_PROVISION', `${label}: ${p.command} exited with code ${result.exitCode}: ${result.stderrTail.join(' ')}`, {
      hint: 'the command must reboot the guest: the login user may need sudo without a password, or set command',
    });
  }
  const deadline = Date.now() + p.timeout_ms;
  for (;;) {
    throwIfAborted(signal);
    const left = deadline - Date.now();
    if (left <= 0) throw notBack(label, p);
    const next = await options.reconnect(left);
    const now = await bootId(next, bootIdCommand, signal).catch(() => undefined);
    if (now !== undefined && now !== before) {
      log.info(`${label}: the guest is back (new boot ${now.slice(0, 8)})`);
      return next;
    }
    // The old system still answered (or the new one is not ready): log in again shortly.
    log.debug(`${label}: still the old boot, waiting for the reboot`);
    await sleep(SAME_BOOT_PAUSE_MS, signal);
  }
}

async function bootId(session: SshSession, command: string, signal?: AbortSignal): Promise<string> {
  const result = await session.exec(command, { signal });
  const id = result.stdoutTail.join('').trim();
  if (result.exitCode !== 0 || !id) throw new KilnError('E_PROVISION', `could not read the guest's boot id (${command})`, { hint: 'the reboot provisioner needs a Linux guest with /proc' });
  return id;
}

const notBack = (label: string, p: RebootProvisioner) =>
  new KilnError('E_PROVISION', `${label}: the guest did not come back over SSH within ${formatDuration(p.timeout_ms)} after ${p.command}`, {
    hint: 'raise the reboot provisioner\'s timeout, or look at serial.log for how far the guest got',
  });
