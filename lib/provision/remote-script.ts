// A script kiln runs in the guest (a shell provisioner, the shrink script): uploaded
// executable under a fresh name in /tmp, run with scriptCommand, removed afterwards.
import { randomBytes } from 'node:crypto';
import type { Log } from '../log/log.js';
import type { SshSession } from '../ssh/session.js';

/** Uploads `contents` as an executable script, /tmp/PREFIX-RANDOM.sh; returns its path in the guest. */
export async function uploadScript(session: SshSession, contents: string | Buffer, prefix = 'kiln'): Promise<string> {
  const path = `/tmp/${prefix}-${randomBytes(6).toString('hex')}.sh`;
  await session.writeFile(path, contents, 0o755);
  return path;
}

/** Best effort: a leftover script in the guest's /tmp must not fail the build. */
export async function removeScript(session: SshSession, path: string, log: Log, label: string): Promise<void> {
  if (session.closed) return;
  await session.remove(path).catch((error: unknown) => {
    log.debug(`${label}: could not remove ${path}: ${(error as Error).message}`);
  });
}
