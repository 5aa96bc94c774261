// The file provisioner: upload a local file or directory tree to the guest, with
// Packer's rules for trailing slashes (see lib/ssh/upload-target.ts).

import { stat } from 'node:fs/promises';
import { CancelledError, KilnError, throwIfAborted } from '../errors.js';
import type { Log } from '../log/log.js';
import type { SshSession, UploadStats } from '../ssh/session.js';
import { directoryUploadRoot, fileUploadTarget } from '../ssh/upload-target.js';
import type { FileProvisioner } from '../template/types.js';
import { formatSize } from '../util/size.js';

export interface FileProvisionerOptions {
  /** Names the step in messages, e.g. "provision[2] file". */
  label: string;
  log: Log;
  signal?: AbortSignal;
}

export async function runFileProvisioner(session: SshSession, p: FileProvisioner, options: FileProvisionerOptions): Promise<UploadStats> {
  const { label, log, signal } = options;
  throwIfAborted(signal);
  if (p.direction === 'download') return download(session, p, options);
  const info = await stat(p.source).catch((error: unknown) => {
    throw new KilnError('E_SOURCE', `${label}: cannot read ${p.source}: ${(error as Error).message}`, {
      cause: error,
      hint: 'file provisioner sources are relative to the template file',
    });
  });

  const isDirectory = info.isDirectory();
  const target = isDirectory ? directoryUploadRoot(p.source, p.destination) : fileUploadTarget(p.source, p.destination);
  let stats: UploadStats;
  try {
    stats = isDirectory
      ? await session.uploadDirectory(p.source, p.destination, { signal })
      : await session.uploadFile(p.source, target, undefined, { signal });
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    const e = error as KilnError;
    throw new KilnError('E_PROVISION', `${label}: ${e.message}`, { cause: error, hint: e.hint });
  }
  const what = isDirectory ? `${stats.files} file${stats.files === 1 ? '' : 's'}` : p.source;
  log.info(`${label}: uploaded ${what} (${formatSize(stats.bytes)}) to ${target}`);
  return stats;
}

async function download(session: SshSession, p: FileProvisioner, { label, log, signal }: FileProvisionerOptions): Promise<UploadStats> {
  let stats: UploadStats;
  try {
    stats = await session.download(p.source, p.destination, { signal });
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    const e = error as KilnError;
    throw new KilnError('E_PROVISION', `${label}: ${e.message}`, { cause: error, hint: e.hint ?? 'check the path in the guest (source) and that the user may read it' });
  }
  const what = stats.files === 1 && stats.directories === 0 ? p.source : `${stats.files} file${stats.files === 1 ? '' : 's'}`;
  log.info(`${label}: downloaded ${what} (${formatSize(stats.bytes)}) to ${p.destination}`);
  return stats;
}
