// Downloads from the guest for the file provisioner's direction: download, with the
// upload rules mirrored (a trailing slash on the destination names a folder; a remote
// folder lands as a folder of that name, or its contents with a trailing slash).
// Each file is written under a temporary name and renamed, so an interrupted download
// never leaves a half-written file under the name the user asked for.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, posix } from 'node:path';
import { throwIfAborted } from '../errors.js';
import { sftpFailure, type RemoteFiles } from './remote-files.js';
import type { UploadStats } from './sftp-upload.js';

export async function downloadPath(files: RemoteFiles, remote: string, local: string, signal?: AbortSignal): Promise<UploadStats> {
  const stats = await files.stat(remote).catch((error: unknown) => {
    throw sftpFailure(error, `download of ${remote}`);
  });
  if (!stats) throw sftpFailure({ code: 2 }, `download of ${remote}`);
  const into = local.endsWith('/') || local.endsWith('\\');
  const totals: UploadStats = { files: 0, directories: 0, bytes: 0 };
  if (stats.isDirectory()) {
    const root = remote.endsWith('/') ? local : join(local, posix.basename(remote));
    await downloadTree(files, remote, root, totals, signal);
  } else {
    await downloadFile(files, remote, into ? join(local, posix.basename(remote)) : local, signal);
    totals.files = 1;
    totals.bytes = stats.size;
  }
  return totals;
}

async function downloadTree(files: RemoteFiles, remote: string, local: string, totals: UploadStats, signal?: AbortSignal): Promise<void> {
  await mkdir(local, { recursive: true });
  totals.directories++;
  const entries = await files.readdir(remote).catch((error: unknown) => {
    throw sftpFailure(error, `listing ${remote}`);
  });
  for (const entry of entries) {
    throwIfAborted(signal);
    const from = posix.join(remote, entry.name);
    if (entry.stats.isDirectory()) await downloadTree(files, from, join(local, entry.name), totals, signal);
    else if (entry.stats.isFile()) {
      await downloadFile(files, from, join(local, entry.name), signal);
      totals.files++;
      totals.bytes += entry.stats.size;
    }
  }
}

async function downloadFile(files: RemoteFiles, remote: string, local: string, signal?: AbortSignal): Promise<void> {
  throwIfAborted(signal);
  await mkdir(dirname(local), { recursive: true });
  const partial = join(dirname(local), `.${basename(local)}.${randomBytes(4).toString('hex')}.partial`);
  try {
    await files.fastGet(remote, partial);
    await rename(partial, local);
  } catch (error) {
    await rm(partial, { force: true });
    throw sftpFailure(error, `download of ${remote} to ${local}`);
  }
}
