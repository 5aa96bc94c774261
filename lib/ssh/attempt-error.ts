// Why one SSH login attempt failed, in words a user can act on. While a guest boots,
// its forwarded port goes through refused -> reset/closed (the hypervisor accepts TCP
// before sshd listens) -> no banner (the guest's network or sshd is not up) -> handshake
// timeouts (a slow key exchange) -> authentication failures (sshd is up, the
// user is not yet) -> success, so each of these gets its own name.

import { NO_BANNER } from './connect.js';

export type AttemptFailureKind = 'refused' | 'reset' | 'closed' | 'no-banner' | 'timeout' | 'auth' | 'network' | 'other';

export interface AttemptFailure {
  kind: AttemptFailureKind;
  text: string;
}

interface SshLikeError {
  message?: unknown;
  code?: unknown;
  level?: unknown;
}

export function describeAttemptError(error: unknown): AttemptFailure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as SshLikeError;
  const message = typeof e.message === 'string' ? e.message : String(error);
  const code = typeof e.code === 'string' ? e.code : undefined;

  if (e.level === 'client-authentication' || /authentication methods failed/i.test(message)) {
    return { kind: 'auth', text: 'authentication failed (the server rejected every offered credential)' };
  }
  if (code === 'ECONNREFUSED') return { kind: 'refused', text: 'connection refused (nothing listening on the port yet)' };
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    return { kind: 'reset', text: 'connection reset (the port is forwarded but sshd is not answering yet)' };
  }
  if (/connection lost before handshake/i.test(message)) {
    return { kind: 'closed', text: 'connection closed before the SSH banner (sshd is not running yet)' };
  }
  if (code === NO_BANNER) return { kind: 'no-banner', text: 'no SSH banner yet (the port is forwarded but the guest does not answer)' };
  if (e.level === 'client-timeout' || /timed out while waiting for handshake/i.test(message)) {
    return { kind: 'timeout', text: 'timed out waiting for the SSH banner and handshake' };
  }
  if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL') {
    return { kind: 'network', text: `${code}: ${message}` };
  }
  return { kind: 'other', text: message };
}
