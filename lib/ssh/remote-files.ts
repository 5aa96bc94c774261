// Promise-returning SFTP operations with errors that name the remote path and what to do.

import { posix } from 'node:path';
import type { SFTPWrapper, Stats } from 'ssh2';
import { KilnError } from '../errors.js';

// SFTP status codes (draft-ietf-secsh-filexfer-02, which OpenSSH's sftp-server speaks).
const NO_SUCH_FILE = 2;
const PERMISSION_DENIED = 3;

const REASONS: Record<number, string> = {
  [NO_SUCH_FILE]: 'no such file or directory',
  [PERMISSION_DENIED]: 'permission denied',
  4: 'the server reported a failure (full disk, or a file where a directory is expected?)',
};

const HINTS: Record<number, string> = {
  [NO_SUCH_FILE]: 'create the remote parent directory first (for example a shell provisioner running mkdir -p), or upload a directory',
  [PERMISSION_DENIED]:
    'the SSH user cannot write there: upload to a writable place such as /tmp, then move it with a shell provisioner that uses sudo',
};

const statusOf = (error: unknown): number | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
};

export const isMissing = (error: unknown): boolean => statusOf(error) === NO_SUCH_FILE;

/** A KilnError for a failed SFTP operation; `action` is e.g. "upload of ./motd to /etc/motd". */
export function sftpFailure(error: unknown, action: string): KilnError {
  if (error instanceof KilnError) return error;
  const status = statusOf(error);
  const reason = (status !== undefined && REASONS[status]) || (error instanceof Error ? error.message : String(error));
  return new KilnError('E_SSH', `${action} failed: ${reason}`, { cause: error, hint: status !== undefined ? HINTS[status] : undefined });
}

const call = <T>(run: (done: (error: Error | undefined | null, value: T) => void) => void) =>
  new Promise<T>((resolve, reject) => run((error, value) => (error ? reject(error) : resolve(value))));

/** The subset of SFTP that uploads need, as promises rejecting with ssh2's raw errors. */
export class RemoteFiles {
  constructor(readonly sftp: SFTPWrapper) {}

  open(path: string, flags: 'w', mode: number): Promise<Buffer> {
    return call((done) => this.sftp.open(path, flags, { mode }, done));
  }

  write(handle: Buffer, data: Buffer, length: number, position: number): Promise<void> {
    return call((done) => this.sftp.write(handle, data, 0, length, position, (error) => done(error, undefined)));
  }

  close(handle: Buffer): Promise<void> {
    return call((done) => this.sftp.close(handle, (error) => done(error, undefined)));
  }

  chmod(path: string, mode: number): Promise<void> {
    return call((done) => this.sftp.chmod(path, mode, (error) => done(error, undefined)));
  }

  /** Stats of `path`, or undefined when it does not exist. */
  async stat(path: string): Promise<Stats | undefined> {
    try {
      return await call<Stats>((done) => this.sftp.stat(path, done));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  /** The entries of a remote directory, without . and .. */
  async readdir(path: string): Promise<{ name: string; stats: Stats }[]> {
    const list = await call<{ filename: string; attrs: Stats }[]>((done) => this.sftp.readdir(path, done));
    return list.filter((e) => e.filename !== '.' && e.filename !== '..').map((e) => ({ name: e.filename, stats: e.attrs }));
  }

  /** Copies a remote file to a local path (ssh2's parallel reads). */
  fastGet(remotePath: string, localPath: string): Promise<void> {
    return call((done) => this.sftp.fastGet(remotePath, localPath, (error) => done(error, undefined)));
  }

  unlink(path: string): Promise<void> {
    return call((done) => this.sftp.unlink(path, (error) => done(error, undefined)));
  }

  /**
   * `mkdir -p`: creates `path` and missing parents with `mode`, and returns the directories
   * it created. Directories that already exist are left exactly as they are (never
   * chmod /etc because a local folder had other permissions).
   */
  async mkdirs(path: string, mode: number): Promise<string[]> {
    const existing = await this.stat(path);
    if (existing?.isDirectory()) return [];
    if (existing) throw new KilnError('E_SSH', `remote path ${path} exists and is not a directory`, { hint: 'choose another destination or remove that file first' });
    const parent = posix.dirname(path);
    const created = parent !== path ? await this.mkdirs(parent, mode) : [];
    try {
      await call((done) => this.sftp.mkdir(path, { mode }, (error) => done(error, undefined)));
    } catch (error) {
      // Lost a race with something else creating it: fine if it is a directory now.
      if (!(await this.stat(path))?.isDirectory()) throw error;
      return created;
    }
    // The server applies its umask to the mode given to mkdir; set it exactly.
    await this.chmod(path, mode);
    return [...created, path];
  }
}
