// A script kiln runs in the guest (a shell provisioner, the shrink script): uploaded
// executable under a fresh name in /tmp, run with scriptCommand, removed afterwards.
import { randomBytes } from 'node:crypto';
import type { Log } from '../log/log.js';
import type { SshSession } from '../ssh/session.js';

/** A fresh script name in `folder`: FOLDER/PREFIX-RANDOM.sh. */
export function remoteScriptPath(folder = '/tmp', prefix = 'kiln'): string {
  return `${folder.replace(/\/+$/, '')}/${prefix}-${randomBytes(6).toString('hex')}.sh`;
}

/** Uploads `contents` as an executable script at `path` (default a fresh name in /tmp); returns the path. */
export async function uploadScript(session: SshSession, contents: string | Buffer, path = remoteScriptPath()): Promise<string> {
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
