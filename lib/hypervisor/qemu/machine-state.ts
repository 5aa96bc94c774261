// A running guest's memory and device state, saved with QEMU's migration and loaded
// into a new QEMU with -incoming: the stage cache's memory checkpoints.
//
// Saving streams the migration to a UNIX socket kiln listens on and pipes it through
// zstd into the file. QEMU 7.2 has no file: migration, and with exec: it reaps the
// command as soon as it has written the last byte (SIGTERM if it has not exited yet),
// which can cut off what the compressor still holds. Loading goes through a socket too
// (loadMachineState says why). The guest is paused for the whole save,
// so the disk snapshot taken in that pause and the state are one instant.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { CancelledError, KilnError } from '../../errors.js';
import { sleep } from '../../util/sleep.js';
import type { QmpClient } from './qmp-client.js';
import { connectUnixSocket } from './unix-connect.js';

/** zstd level: -1 compresses a mostly idle guest's pages about as fast as QEMU sends them. */
const ZSTD_LEVEL = '-1';
const POLL_MS = 25;

export interface SavedMachineState {
  /** Bytes of the compressed state file. */
  bytes: number;
  /** How long the guest was paused: stop to cont, the disk snapshot included. */
  pauseMs: number;
}

interface MigrationInfo {
  status?: string;
  'error-desc'?: string;
}

/**
 * Pauses the guest, runs `whilePaused`, writes the machine state to `file` (zstd) and
 * resumes the guest, whatever happened. `runDir` holds the migration socket.
 */
export async function saveMachineState(
  qmp: QmpClient,
  options: { file: string; runDir: string; whilePaused: () => Promise<void>; signal: AbortSignal },
): Promise<SavedMachineState> {
  const { file, runDir, signal } = options;
  const begin = performance.now();
  await qmp.execute('stop', undefined, { signal });
  try {
    await options.whilePaused();
    // QEMU's default migration bandwidth (32 MiB/s) is meant for a live network migration.
    await qmp.execute('migrate-set-parameters', { 'max-bandwidth': 2 ** 40 }, { signal });
    await streamMigration(qmp, file, join(runDir, 'migrate.sock'), signal);
  } finally {
    await qmp.execute('cont').catch(() => {}); // a QEMU that is gone has nothing to resume; the caller hears why from the save
  }
  const pauseMs = Math.round(performance.now() - begin);
  return { bytes: (await stat(file)).size, pauseMs };
}

async function streamMigration(qmp: QmpClient, file: string, socketPath: string, signal: AbortSignal): Promise<void> {
  await rm(socketPath, { force: true });
  const { execa } = await import('execa');
  const zstd = execa('zstd', ['-q', ZSTD_LEVEL, '-c'], { stdin: 'pipe', stdout: 'pipe', stderr: 'pipe', buffer: { stdout: false, stderr: true }, reject: false, cancelSignal: signal });
  const written = pipeline(zstd.stdout!, createWriteStream(file));
  const server = createServer();
  const connected = new Promise<Socket>((resolve) => server.once('connection', resolve));
  server.listen(socketPath);
  await once(server, 'listening');
  try {
    await qmp.execute('migrate', { uri: `unix:${socketPath}` }, { signal });
    const socket = await connected;
    const received = pipeline(socket, zstd.stdin!);
    await waitForMigration(qmp, signal);
    await received;
    const [result] = await Promise.all([zstd, written]);
    if (result.exitCode !== 0) throw new KilnError('E_QEMU', `zstd could not write the machine state to ${file}: ${String(result.stderr).trim() || `exit code ${result.exitCode}`}`);
  } catch (error) {
    zstd.kill();
    await Promise.allSettled([zstd, written]);
    await rm(file, { force: true });
    throw error;
  } finally {
    server.close();
    await rm(socketPath, { force: true });
  }
}

async function waitForMigration(qmp: QmpClient, signal: AbortSignal): Promise<void> {
  for (;;) {
    const info = await qmp.execute<MigrationInfo>('query-migrate', undefined, { signal });
    if (info.status === 'completed') return;
    if (info.status === 'failed' || info.status === 'cancelled') {
      throw new KilnError('E_QEMU', `QEMU could not save the machine state: ${info['error-desc'] ?? info.status}`, {
        hint: 'a device in machine.qemu.args may not support migration; set cache: { memory: false } to keep disk-only checkpoints',
      });
    }
    await sleep(POLL_MS, signal);
  }
}

/**
 * Loads the state in `file` into a QEMU started with -S -incoming defer, waits until it
 * is loaded (the run state leaves inmigrate) and resumes the guest; the time it took.
 * kiln feeds the decompressed state to a UNIX socket QEMU listens on: with exec:, QEMU
 * 7.2 spins forever on a stream that ends early instead of failing. A state that does
 * not load makes QEMU exit or zstd fail, and this throws.
 */
export async function loadMachineState(qmp: QmpClient, options: { file: string; runDir: string; exited: Promise<unknown>; signal: AbortSignal }): Promise<number> {
  const { file, signal } = options;
  const begin = performance.now();
  const socketPath = join(options.runDir, 'incoming.sock');
  await rm(socketPath, { force: true });
  let gone = false;
  void options.exited.then(() => (gone = true));
  const whenGone = (error: unknown): never => {
    if (gone && !signal.aborted) throw new KilnError('E_QEMU', 'QEMU exited while loading the saved machine state');
    throw error;
  };
  await qmp.execute('migrate-incoming', { uri: `unix:${socketPath}` }, { signal }).catch(whenGone);
  const socket = await connectUnixSocket(socketPath, { signal, timeoutMs: 10_000 });
  const { execa } = await import('execa');
  const zstd = execa('zstd', ['-dcq', file], { stdout: 'pipe', stderr: 'pipe', buffer: { stdout: false, stderr: true }, reject: false, cancelSignal: signal });
  const fed = pipeline(zstd.stdout!, socket).catch(() => {}); // a QEMU that gave up closes the socket; its reason is what counts
  try {
    for (;;) {
      const { status } = await qmp.execute<{ status: string }>('query-status', undefined, { signal }).catch(whenGone);
      if (status !== 'inmigrate') break;
      const decompressed = zstd.exitCode !== null ? await zstd : undefined;
      if (decompressed && decompressed.exitCode !== 0) throw new KilnError('E_QEMU', `zstd could not read the saved machine state: ${String(decompressed.stderr).trim() || `exit code ${decompressed.exitCode}`}`);
      await sleep(POLL_MS, signal);
    }
  } finally {
    zstd.kill();
    socket.destroy();
    await Promise.allSettled([zstd, fed]);
    await rm(socketPath, { force: true });
  }
  await qmp.execute('cont', undefined, { signal }).catch(whenGone);
  return Math.round(performance.now() - begin);
}

/** QEMU's version as query-version says it, with the distribution's package version. */
export async function qemuVersion(qmp: QmpClient, signal?: AbortSignal): Promise<string> {
  const v = await qmp.execute<{ qemu: { major: number; minor: number; micro: number }; package?: string }>('query-version', undefined, { signal });
  const pkg = v.package?.trim();
  return `${v.qemu.major}.${v.qemu.minor}.${v.qemu.micro}${pkg ? ` (${pkg})` : ''}`;
}
