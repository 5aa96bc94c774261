// A logged-in SSH connection to the guest: run commands, upload files. Owned by the
// build step that opened it, which calls close() in its cleanup.

import { stat } from 'node:fs/promises';
import type { Client } from 'ssh2';
import { KilnError } from '../errors.js';
import { type ExecOptions, type ExecResult, execOnClient } from './exec.js';
import { RemoteFiles, sftpFailure } from './remote-files.js';
import { downloadPath } from './sftp-download.js';
import { putBuffer, putDirectory, putFile, type UploadStats } from './sftp-upload.js';
import { directoryUploadRoot } from './upload-target.js';

export type { ExecOptions, ExecResult } from './exec.js';
export type { UploadStats } from './sftp-upload.js';

export interface SshTarget {
  host: string;
  port: number;
  username: string;
}

/** How long close() waits for a clean SSH disconnect before dropping the socket. */
const CLOSE_GRACE_MS = 2000;

export class SshSession {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly #client: Client;
  #closed = false;
  #lastError: Error | undefined;
  readonly #closeListeners = new Set<(error?: Error) => void>();
  #files: Promise<RemoteFiles> | undefined;

  constructor(client: Client, target: SshTarget) {
    this.host = target.host;
    this.port = target.port;
    this.username = target.username;
    this.#client = client;
    client.on('error', (error) => {
      this.#lastError = error;
    });
    client.on('close', () => {
      this.#closed = true;
      for (const listener of this.#closeListeners) listener(this.#lastError);
      this.#closeListeners.clear();
    });
  }

  /** "user@host:port", for messages. */
  get target(): string {
    return `${this.username}@${this.host}:${this.port}`;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Calls `listener` once when the connection ends, whoever ended it, with the error
   * that ended it if there was one. Returns a function that removes the listener.
   */
  onClose(listener: (error?: Error) => void): () => void {
    if (this.#closed) {
      queueMicrotask(() => listener(this.#lastError));
      return () => {};
    }
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    if (this.#closed) return Promise.reject(this.#closedError());
    return execOnClient(this.#client, command, options, () => this.#closed);
  }

  /** Uploads one file; `mode` defaults to the local file's permissions. */
  async uploadFile(localPath: string, remotePath: string, mode?: number, options: { signal?: AbortSignal } = {}): Promise<UploadStats> {
    const files = await this.#remoteFiles();
    const bytes = await putFile(files, localPath, remotePath, mode, options.signal);
    return { files: 1, directories: 0, bytes };
  }

  /**
   * Uploads a directory tree, keeping modes, with Packer's trailing-slash rule:
   * "dir" lands in remoteDir/dir, "dir/" puts the contents of dir into remoteDir.
   * Missing remote directories are created; existing ones are left untouched.
   */
  async uploadDirectory(localDir: string, remoteDir: string, options: { signal?: AbortSignal } = {}): Promise<UploadStats> {
    const info = await stat(localDir).catch((error: unknown) => {
      throw new KilnError('E_SOURCE', `cannot read directory ${localDir}: ${(error as Error).message}`, { cause: error });
    });
    if (!info.isDirectory()) {
      throw new KilnError('E_SOURCE', `${localDir} is not a directory`, { hint: 'upload a single file with uploadFile' });
    }
    const files = await this.#remoteFiles();
    return putDirectory(files, localDir, directoryUploadRoot(localDir, remoteDir), options.signal);
  }

  /** Copies a remote file or folder to the host (sftp-download.ts has the path rules). */
  async download(remotePath: string, localPath: string, options: { signal?: AbortSignal } = {}): Promise<UploadStats> {
    return downloadPath(await this.#remoteFiles(), remotePath, localPath, options.signal);
  }

  /** Writes `contents` to `remotePath` with `mode` (default 0644). */
  async writeFile(remotePath: string, contents: string | Buffer, mode = 0o644): Promise<void> {
    const files = await this.#remoteFiles();
    const data = typeof contents === 'string' ? Buffer.from(contents) : contents;
    await putBuffer(files, data, remotePath, mode).catch((error) => {
      throw sftpFailure(error, `writing ${remotePath}`);
    });
  }

  /** Deletes a remote file. */
  async remove(remotePath: string): Promise<void> {
    const files = await this.#remoteFiles();
    await files.unlink(remotePath).catch((error) => {
      throw sftpFailure(error, `removing ${remotePath}`);
    });
  }

  /** Ends the connection; resolves once the socket is closed. Safe to call twice. */
  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#client.destroy();
        resolve();
      }, CLOSE_GRACE_MS);
      this.#client.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.#client.end();
    });
  }

  #closedError(): KilnError {
    const why = this.#lastError ? `: ${this.#lastError.message}` : '';
    return new KilnError('E_SSH', `the SSH connection to ${this.target} is closed${why}`, {
      hint: 'the guest rebooted, shut down or dropped the connection; if a provisioner reboots it, set expect_disconnect: true on it',
    });
  }

  /** One SFTP channel, opened on first use and reopened if the server closed it. */
  #remoteFiles(): Promise<RemoteFiles> {
    if (this.#closed) return Promise.reject(this.#closedError());
    this.#files ??= new Promise<RemoteFiles>((resolve, reject) => {
      const failed = (error: Error) => {
        this.#files = undefined;
        reject(
          new KilnError('E_SSH', `could not start SFTP on ${this.target}: ${error.message}`, {
            cause: error,
            hint: 'the guest needs an SFTP server: "Subsystem sftp" in sshd_config (on Alpine, install openssh-sftp-server)',
          }),
        );
      };
      try {
        this.#client.sftp((error, sftp) => {
          if (error) return failed(error);
          sftp.on('close', () => {
            this.#files = undefined;
          });
          resolve(new RemoteFiles(sftp));
        });
      } catch (error) {
        failed(error as Error); // "Not connected": the socket died just now
      }
    });
    return this.#files;
  }
}
