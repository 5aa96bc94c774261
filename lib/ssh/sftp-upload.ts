// Uploads over SFTP. The file is written through an explicit open/write/close so that
// the remote handle is closed before the caller goes on: executing a script whose
// handle is still open for writing fails with "Text file busy".

import { open, readdir, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { CancelledError, KilnError, throwIfAborted } from '../errors.js';
import { type RemoteFiles, sftpFailure } from './remote-files.js';

export interface UploadStats {
  files: number;
  /** Remote directories that did not exist and were created. */
  directories: number;
  bytes: number;
}

const CHUNK_BYTES = 256 * 1024;

/** Writes `contents` to `remotePath` with exactly `mode` (the server's umask is undone). */
export async function putBuffer(files: RemoteFiles, contents: Buffer, remotePath: string, mode: number): Promise<void> {
  const handle = await files.open(remotePath, 'w', mode);
  try {
    for (let offset = 0; offset < contents.length; offset += CHUNK_BYTES) {
      const chunk = contents.subarray(offset, offset + CHUNK_BYTES);
      await files.write(handle, chunk, chunk.length, offset);
    }
  } finally {
    await files.close(handle);
  }
  await files.chmod(remotePath, mode);
}

/** Streams a local file to `remotePath`; `mode` defaults to the local file's permissions. */
export async function putFile(
  files: RemoteFiles,
  localPath: string,
  remotePath: string,
  mode: number | undefined,
  signal?: AbortSignal,
): Promise<number> {
  const action = `upload of ${localPath} to ${remotePath}`;
  const local = await open(localPath, 'r').catch((error: unknown) => {
    throw new KilnError('E_SOURCE', `cannot read ${localPath}: ${(error as Error).message}`, { cause: error });
  });
  try {
    const finalMode = mode ?? (await local.stat()).mode & 0o7777;
    const handle = await files.open(remotePath, 'w', finalMode).catch((error) => {
      throw sftpFailure(error, action);
    });
    let position = 0;
    try {
      const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
      for (;;) {
        throwIfAborted(signal);
        const { bytesRead } = await local.read(buffer, 0, CHUNK_BYTES, position);
        if (bytesRead === 0) break;
        await files.write(handle, buffer, bytesRead, position);
        position += bytesRead;
      }
    } catch (error) {
      throw error instanceof CancelledError ? error : sftpFailure(error, action);
    } finally {
      await files.close(handle).catch(() => {}); // the write's own error is the one to report
    }
    await files.chmod(remotePath, finalMode).catch((error) => {
      throw sftpFailure(error, `setting the mode of ${remotePath}`);
    });
    return position;
  } finally {
    await local.close();
  }
}

/**
 * Uploads the tree under `localDir` into `remoteRoot` (created, with parents, when
 * missing), keeping file and directory modes. Symlinks are followed; a link that
 * loops back to a directory being uploaded is an error, as is a socket or device.
 */
export async function putDirectory(
  files: RemoteFiles,
  localDir: string,
  remoteRoot: string,
  signal?: AbortSignal,
): Promise<UploadStats> {
  const totals: UploadStats = { files: 0, directories: 0, bytes: 0 };
  const rootStat = await stat(localDir);
  totals.directories += (
    await files.mkdirs(remoteRoot, rootStat.mode & 0o7777).catch((error) => {
      throw sftpFailure(error, `creating remote directory ${remoteRoot}`);
    })
  ).length;

  const walk = async (dir: string, remoteDir: string, ancestors: Set<string>) => {
    for (const name of (await readdir(dir)).sort()) {
      throwIfAborted(signal);
      const localPath = join(dir, name);
      const remotePath = posix.join(remoteDir, name);
      const info = await stat(localPath);
      if (info.isDirectory()) {
        const id = `${info.dev}:${info.ino}`;
        if (ancestors.has(id)) {
          throw new KilnError('E_SOURCE', `${localPath} is a symlink loop back into the directory being uploaded`, {
            hint: 'remove the link or upload a folder without it',
          });
        }
        totals.directories += (
          await files.mkdirs(remotePath, info.mode & 0o7777).catch((error) => {
            throw sftpFailure(error, `creating remote directory ${remotePath}`);
          })
        ).length;
        await walk(localPath, remotePath, new Set([...ancestors, id]));
      } else if (info.isFile()) {
        totals.bytes += await putFile(files, localPath, remotePath, undefined, signal);
        totals.files += 1;
      } else {
        throw new KilnError('E_SOURCE', `${localPath} is not a regular file or directory`, {
          hint: 'sockets, FIFOs and devices cannot be uploaded; leave them out of the folder',
        });
      }
    }
  };
  await walk(localDir, remoteRoot, new Set([`${rootStat.dev}:${rootStat.ino}`]));
  return totals;
}
