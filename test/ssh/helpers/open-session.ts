// Logs in to a fake server with test-friendly timings.
import { silentLog, type Log } from '../../../lib/log/log.js';
import type { SshSession } from '../../../lib/ssh/session.js';
import { waitForSsh } from '../../../lib/ssh/wait-for-ssh.js';
import type { FakeSshServer } from './fake-ssh-server.js';

export function openSession(
  server: FakeSshServer,
  login: { password?: string; privateKey?: string } = { password: 'secret' },
  log: Log = silentLog,
): Promise<SshSession> {
  return waitForSsh({
    host: server.host,
    port: server.port,
    username: server.username,
    ...login,
    timeoutMs: 5000,
    retryIntervalMs: 50,
    log,
  });
}
