// Polls the guest until an SSH login succeeds. While the guest boots and installs,
// the forwarded port refuses, resets, stalls or rejects logins; all of that is
// retried quickly so kiln notices the moment sshd and the user exist.

import ssh2 from 'ssh2';
import { CancelledError, KilnError, throwIfAborted } from '../errors.js';
import type { Log } from '../log/log.js';
import { formatDuration } from '../util/duration.js';
import { type AttemptFailure, describeAttemptError } from './attempt-error.js';
import { authMethods, connectOnce, type LoginOptions } from './connect.js';
import { SshSession } from './session.js';
import { sleep } from '../util/sleep.js';

export interface WaitForSshOptions extends LoginOptions {
  timeoutMs: number;
  /** Pause between failed attempts; short, so a guest that just came up is noticed quickly. */
  retryIntervalMs?: number;
  /** The longest pause after logins sshd rejected (retryPauseMs); default 5 s. */
  maxAuthRetryMs?: number;
  /** Limit for one attempt's banner, key exchange and login. */
  attemptTimeoutMs?: number;
  /** An attempt that has no SSH banner by then ends (see below). */
  bannerTimeoutMs?: number;
  signal?: AbortSignal;
  log: Log;
  /** Told about each attempt as it ends, for progress events; must not throw. */
  onAttempt?(attempt: SshAttempt): void;
  /** Extra text for the timeout error, such as the last serial console lines. */
  diagnostics?: () => Promise<string> | string;
  /**
   * Asked before each attempt: while it answers true no attempt is made (the guest is busy
   * with something a login would slow down or race), the timeout still running.
   */
  holdWhile?: () => Promise<boolean> | boolean;
}

/** One login attempt: its number (from 1), how long it was allowed, and why it failed. */
export interface SshAttempt {
  attempt: number;
  limitMs: number;
  /** Absent when the login succeeded. */
  failure?: AttemptFailure;
}

const DEFAULT_RETRY_INTERVAL_MS = 1000;
/** How often a hold (holdWhile) is asked again. */
const HOLD_POLL_MS = 250;
// Once sshd answers but rejects the login (a cloud image before cloud-init has made the
// user, an installer's system before its last step), every attempt costs the guest a
// fork, a re-exec and a key exchange, which under TCG steals seconds from the very boot
// kiln waits for. Those retries back off: twice the interval, doubling, at most this.
const MAX_AUTH_RETRY_MS = 5_000;
// Generous for a TCG-emulated guest doing key exchange, short next to a build's timeout.
const DEFAULT_ATTEMPT_TIMEOUT_MS = 15_000;
// While the guest boots, QEMU's port forward accepts the connection and then says
// nothing: its SYN to the guest goes unanswered, and the connection does not come
// through when sshd starts later (measured: an attempt begun 7 s before sshd listened
// was still silent 8 s after). So an attempt without the server's banner by this
// limit is dropped and a fresh one made: a guest that just came up is noticed within
// a few seconds, for the price of a SYN. Once the banner came, the key exchange and
// login have the whole attempt limit, however slow TCG makes them.
const BANNER_TIMEOUT_MS = 4_000;

const METHOD_NAMES: Record<string, string> = {
  publickey: 'public key',
  password: 'password',
  'keyboard-interactive': 'keyboard-interactive',
};

export async function waitForSsh(options: WaitForSshOptions): Promise<SshSession> {
  const { host, port, username, log, signal } = options;
  const retryIntervalMs = options.retryIntervalMs ?? DEFAULT_RETRY_INTERVAL_MS;
  const attemptTimeoutMs = options.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
  const bannerTimeoutMs = options.bannerTimeoutMs ?? BANNER_TIMEOUT_MS;
  const methods = authMethods(options).map((m) => METHOD_NAMES[m] ?? m);
  checkCredentials(options);
  const target = `${username}@${host}:${port}`;
  log.info(`waiting up to ${formatDuration(options.timeoutMs)} for SSH on ${host}:${port} as ${username} (${methods.join(', ')})`);

  const started = Date.now();
  const deadline = started + options.timeoutMs;
  let attempts = 0;
  let last: AttemptFailure | undefined;
  let rejected = 0;
  do {
    throwIfAborted(signal);
    if (await options.holdWhile?.()) {
      // Asked often (a file read): the login follows the release closely.
      const pause = Math.min(retryIntervalMs, HOLD_POLL_MS, deadline - Date.now());
      if (pause > 0) await sleep(pause, signal);
      continue;
    }
    attempts += 1;
    const readyTimeoutMs = Math.min(attemptTimeoutMs, Math.max(deadline - Date.now(), 1));
    try {
      const client = await connectOnce({ ...options, readyTimeoutMs, bannerTimeoutMs, signal });
      const session = new SshSession(client, { host, port, username });
      // Once connected, nothing may lose the session: a listener that throws is only reported.
      try {
        options.onAttempt?.({ attempt: attempts, limitMs: readyTimeoutMs });
      } catch (error) {
        log.warn(`SSH attempt listener failed: ${(error as Error).message}`);
      }
      const plural = attempts === 1 ? '' : 's';
      log.info(`SSH login as ${target} succeeded after ${attempts} attempt${plural} (${formatDuration(Date.now() - started)})`);
      return session;
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      const failure = describeAttemptError(error);
      options.onAttempt?.({ attempt: attempts, limitMs: readyTimeoutMs, failure });
      log.debug(`SSH attempt ${attempts} to ${target} failed: ${failure.text}`);
      // An attempt cut short by the overall deadline says less than the one before it.
      const cutShort = (failure.kind === 'timeout' || failure.kind === 'no-banner') && readyTimeoutMs < attemptTimeoutMs;
      if (!(cutShort && last)) last = failure;
      rejected = failure.kind === 'auth' ? rejected + 1 : 0;
    }
    const pause = Math.min(retryPauseMs(retryIntervalMs, rejected, options.maxAuthRetryMs), deadline - Date.now());
    if (pause > 0) await sleep(pause, signal);
  } while (Date.now() < deadline);

  throw await timeoutError(options, methods, attempts, last);
}

/**
 * The pause before the next attempt: the retry interval while nothing answers (cheap for
 * the guest), backing off after logins sshd rejected (each one costs the guest a key
 * exchange): twice the interval, doubling, up to `maxMs`.
 */
export function retryPauseMs(intervalMs: number, rejectedInARow: number, maxMs = MAX_AUTH_RETRY_MS): number {
  if (rejectedInARow === 0) return intervalMs;
  return Math.max(intervalMs, Math.min(intervalMs * 2 ** Math.min(rejectedInARow, 20), maxMs));
}

function checkCredentials(options: WaitForSshOptions): void {
  if (options.password === undefined && options.privateKey === undefined) {
    throw new KilnError('E_SSH', `no password or private key to log in to ${options.host}:${options.port} as ${options.username}`, {
      hint: 'set ssh.password or ssh.private_key, or leave both out so kiln generates a key',
    });
  }
  if (options.privateKey !== undefined) {
    const parsed = ssh2.utils.parseKey(options.privateKey);
    if (parsed instanceof Error) {
      throw new KilnError('E_SSH', `the SSH private key cannot be used: ${parsed.message}`, {
        cause: parsed,
        hint: 'use an unencrypted OpenSSH or PEM private key (ssh-keygen -t ed25519 -N "")',
      });
    }
  }
}

async function timeoutError(options: WaitForSshOptions, methods: string[], attempts: number, last?: AttemptFailure): Promise<KilnError> {
  const { host, port, username } = options;
  let message =
    `no SSH login to ${host}:${port} as ${username} (${methods.join(', ')}) within ${formatDuration(options.timeoutMs)}: ` +
    `${attempts} attempt${attempts === 1 ? '' : 's'}, last error: ${last?.text ?? 'none'}`;
  const diagnostics = await collectDiagnostics(options.diagnostics);
  if (diagnostics) message += `\n\n${diagnostics}`;
  const hint =
    last?.kind === 'auth'
      ? 'sshd is running but rejected the login: check that ssh.username and ssh.password / private key match the user the answer file creates, and that the install has finished creating it'
      : 'check the boot command and the answer file (did the installer finish and reboot?), and that the guest installs and starts an SSH server on port 22; the serial log shows how far it got';
  return new KilnError('E_SSH_TIMEOUT', message, { hint });
}

async function collectDiagnostics(source?: () => Promise<string> | string): Promise<string> {
  if (!source) return '';
  try {
    return (await source()).trim();
  } catch (error) {
    return `(diagnostics unavailable: ${(error as Error).message})`;
  }
}
