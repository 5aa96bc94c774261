// A running guest's memory and device state, saved with QEMU's migration and loaded
// into a new QEMU with -incoming: the stage cache's memory checkpoints.
//
// Saving streams the migration to a UNIX socket kiln listens on; zstd gets the accepted
// connection and the file as its stdin and stdout. QEMU 7.2 has no file: migration, and
// with exec: it reaps the command as soon as it has written the last byte (SIGTERM if it
// has not exited yet), which can cut off what the compressor still holds. Loading goes through a socket too
// (loadMachineState says why).
//
// The guest is paused for the disk snapshot; the disk and the state must be one instant.
// Where the host kernel can write-protect the guest's memory (userfaultfd), QEMU's
// background-snapshot mode saves the devices in that pause, resumes the guest itself and
// copies each page before the guest first changes it, so the guest waits only for the
// snapshot (tens of ms) instead of the whole stream (1.5 to 3 s for a 512 MiB guest
// under TCG, most of it zstd): docs/memory-checkpoints.md.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { open, rm, stat, type FileHandle } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { KilnError } from '../../errors.js';
import { sleep } from '../../util/sleep.js';
import type { QmpClient } from './qmp-client.js';
import { connectUnixSocket } from './unix-connect.js';

/** zstd level: -1 compresses a mostly idle guest's pages about as fast as QEMU sends them. */
const ZSTD_LEVEL = '-1';
const POLL_MS = 25;

export interface SavedMachineState {
  /** How long the guest was paused: stop to resume, the disk snapshot included. */
  pauseMs: number;
  /** True when the guest resumed before the state was written (background-snapshot). */
  background: boolean;
  /** The compressed state file's size once it is whole; rejects (and removes the file) when the save failed. */
  written: Promise<number>;
}

interface MigrationInfo {
  status?: string;
  'error-desc'?: string;
}

/** Whether this QEMU can save in the background; probed once per VM by enableBackgroundSnapshot. */
export type BackgroundMode = 'on' | 'off';

/**
 * Turns on QEMU's background-snapshot migration where the host supports it ('on'), else
 * 'off' (an older QEMU, a kernel without userfaultfd write-protection).
 */
export async function enableBackgroundSnapshot(qmp: QmpClient, signal: AbortSignal): Promise<BackgroundMode> {
  try {
    await qmp.execute('migrate-set-capabilities', { capabilities: [{ capability: 'background-snapshot', state: true }] }, { signal });
    return 'on';
  } catch (error) {
    if (signal.aborted) throw error;
    return 'off';
  }
}

/**
 * Pauses the guest, runs `whilePaused` and saves the machine state to `file` (zstd).
 * With `background` the guest runs again as soon as QEMU has its devices' state and
 * `written` settles later; otherwise the guest stays paused until the file is written.
 * A background save that fails before the guest resumed is done again paused.
 * `runDir` holds the migration socket.
 */
export async function saveMachineState(
  qmp: QmpClient,
  options: { file: string; runDir: string; whilePaused: () => Promise<void>; signal: AbortSignal; background?: boolean },
): Promise<SavedMachineState> {
  const { file, runDir, signal } = options;
  const socketPath = join(runDir, 'migrate.sock');
  const begin = performance.now();
  await qmp.execute('stop', undefined, { signal });
  let resumedByQemu = false;
  try {
    await options.whilePaused();
    // QEMU's default migration bandwidth (32 MiB/s) is meant for a live network migration.
    await qmp.execute('migrate-set-parameters', { 'max-bandwidth': 2 ** 40 }, { signal });
    if (options.background) {
      const { done } = await startMigration(qmp, file, socketPath, signal, ZSTD_LEVEL);
      resumedByQemu = await untilResumed(qmp, signal);
      if (resumedByQemu) {
        const pauseMs = Math.round(performance.now() - begin);
        const written = done.then(async () => (await stat(file)).size);
        written.catch(() => {}); // the caller observes it; a build that ends first must not see it unhandled
        return { pauseMs, background: true, written };
      }
      // Failed while the guest was still paused (a RAM block QEMU cannot write-protect):
      // the snapshot still matches, so save again the usual way.
      await done.catch(() => {});
      await qmp.execute('migrate-set-capabilities', { capabilities: [{ capability: 'background-snapshot', state: false }] }, { signal });
    }
    // Paused, the guest leaves both cores to zstd.
    await (await startMigration(qmp, file, socketPath, signal, ZSTD_LEVEL, '-T0')).done;
    const pauseMs = Math.round(performance.now() - begin);
    return { pauseMs, background: false, written: stat(file).then((info) => info.size) };
  } finally {
    if (!resumedByQemu) await qmp.execute('cont').catch(() => {}); // a QEMU that is gone has nothing to resume; the caller hears why from the save
  }
}

/** In background mode: waits until QEMU resumed the guest (true) or the migration ended without doing so (false). */
async function untilResumed(qmp: QmpClient, signal: AbortSignal): Promise<boolean> {
  for (;;) {
    const { status } = await qmp.execute<{ status: string }>('query-status', undefined, { signal });
    if (status === 'running') return true;
    const info = await qmp.execute<MigrationInfo>('query-migrate', undefined, { signal });
    if (info.status === 'failed' || info.status === 'cancelled' || info.status === 'completed') {
      const again = await qmp.execute<{ status: string }>('query-status', undefined, { signal });
      return again.status === 'running';
    }
    await sleep(POLL_MS, signal);
  }
}

/**
 * Starts the migration into zstd and `file`; `done` settles when the file is whole (or
 * rejects, the file removed). zstd reads QEMU's connection and writes the file itself
 * (both descriptors handed to it): kiln's process copies nothing, which on a 2-core host
 * leaves that CPU to the guest while a background save streams.
 */
async function startMigration(qmp: QmpClient, file: string, socketPath: string, signal: AbortSignal, ...zstdOptions: string[]): Promise<{ done: Promise<void> }> {
  await rm(socketPath, { force: true });
  // Paused on connect: not a byte of the stream may be read here before zstd gets the socket.
  const server = createServer({ pauseOnConnect: true });
  const connected = new Promise<Socket>((resolve) => server.once('connection', resolve));
  const close = async () => {
    server.close();
    await rm(socketPath, { force: true });
  };
  try {
    server.listen(socketPath);
    await once(server, 'listening');
    await qmp.execute('migrate', { uri: `unix:${socketPath}` }, { signal });
  } catch (error) {
    await close();
    throw error;
  }
  const done = (async () => {
    // A migration that fails before QEMU connects (its socket refused) must not leave this waiting.
    const ended = new AbortController();
    let socket: Socket | undefined;
    let output: FileHandle | undefined;
    let zstd: Compressor['process'] | undefined;
    try {
      const polling = waitForMigration(qmp, AbortSignal.any([signal, ended.signal]));
      polling.catch(() => {}); // raced below, and abandoned once QEMU connects
      socket = await Promise.race([connected, polling.then(() => undefined)]);
      ended.abort();
      if (!socket) throw new KilnError('E_QEMU', 'QEMU ended the migration without connecting to kiln');
      output = await open(file, 'w');
      ({ process: zstd } = await compress(socket, output.fd, signal, zstdOptions));
      await waitForMigration(qmp, signal);
      const result = await zstd;
      if (result.exitCode !== 0) throw new KilnError('E_QEMU', `zstd could not write the machine state to ${file}: ${String(result.stderr).trim() || `exit code ${result.exitCode}`}`);
    } catch (error) {
      zstd?.kill();
      await zstd?.catch(() => {});
      await rm(file, { force: true });
      throw error;
    } finally {
      ended.abort();
      socket?.destroy();
      await output?.close();
      await close();
    }
  })();
  return { done };
}

interface Compressor {
  process: Promise<{ exitCode?: number; stderr: unknown }> & { kill(): boolean };
}

/** zstd from QEMU's connection into the open file: both descriptors are zstd's own, nothing passes through node. */
async function compress(socket: Socket, outputFd: number, signal: AbortSignal, options: string[]): Promise<Compressor> {
  const { execa } = await import('execa');
  // A stream with a numeric fd is handed to the child as that descriptor (child_process.spawn).
  const stdout = createWriteStream('', { fd: outputFd, autoClose: false });
  return { process: execa('zstd', ['-q', ...options, '-c'], { stdin: socket, stdout, stderr: 'pipe', reject: false, cancelSignal: signal }) };
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
  const whenGone = async (error: unknown): Promise<never> => {
    // QMP's socket closes a moment before the process is reaped: a closed connection is
    // QEMU exiting once the exit arrives (bounded: a QEMU that lives on is not waited for).
    if (!gone && !signal.aborted) await Promise.race([options.exited.catch(() => {}), sleep(2000)]);
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
