// A running QEMU process and its QMP connection. Startup counts as done once QMP
// answers; if QEMU exits before that (bad -machine, unreadable disk, busy port) its
// own stderr becomes the error message. Every path out leaves no QEMU behind.
import { rm } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import type { ResultPromise } from 'execa';
import { CancelledError, KilnError } from '../../errors.js';
import type { Log } from '../../log/log.js';
import { settledWithin } from '../../util/settled-within.js';
import { QEMU_INSTALL_HINT } from './host-probe.js';
import { QmpClient } from './qmp-client.js';
import { OutputTail } from '../../util/output-tail.js';
import { shellWord } from '../../ssh/shell-quote.js';

export interface StartQemuOptions {
  binary: string;
  /** From buildQemuArgv(). */
  argv: string[];
  /** The same path as in argv's -qmp. */
  qmpSocket: string;
  /** Aborting kills QEMU, during startup and after. */
  signal?: AbortSignal;
  /** QEMU's stdout/stderr lines go to log.output('qemu', ...). */
  log?: Log;
  /** How long QEMU may take to open its QMP socket; default 30 s. */
  startTimeoutMs?: number;
}

export interface QemuExit {
  exitCode?: number;
  signal?: string;
}

export interface QemuVm {
  readonly pid: number;
  readonly qmp: QmpClient;
  /** Settles once the process is gone, however it ended; never rejects. */
  readonly exited: Promise<QemuExit>;
  /** Presses and releases keys: one input-send-event command carrying all events, in order. */
  sendKeyEvents(events: readonly { qcode: string; down: boolean }[]): Promise<void>;
  /** Writes the screen to `path`; PPM always works, PNG needs QEMU 7.1 or later. */
  screendump(path: string, format?: 'ppm' | 'png'): Promise<void>;
  /** Presses the ACPI power button; the guest decides what to do. */
  powerdown(): Promise<void>;
  /** Stops QEMU at once (no guest shutdown) and resolves when it has exited. */
  quit(): Promise<void>;
  /** True when QEMU exited within timeoutMs; throws CancelledError when the signal fires. */
  waitForExit(timeoutMs: number, signal?: AbortSignal): Promise<boolean>;
  /** SIGTERM, then SIGKILL after graceMs (default 5 s); resolves when the process is gone. */
  kill(graceMs?: number): Promise<QemuExit>;
  /** The last lines QEMU printed, for error messages. */
  stderrTail(): string;
}

export async function startQemu(options: StartQemuOptions): Promise<QemuVm> {
  const { binary, argv, qmpSocket, signal, log } = options;
  if (signal?.aborted) throw new CancelledError();
  // A socket file left by a crashed run would accept nothing and only delay startup.
  await rm(qmpSocket, { force: true });

  log?.debug(`starting ${[binary, ...argv].map(shellWord).join(' ')}`);
  const tail = new OutputTail();
  // Imported on first use: `kiln validate` loads this module without running anything.
  const { execa } = await import('execa');
  const child = execa(binary, argv, {
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: false,
    reject: false,
    forceKillAfterDelay: false,
    cleanup: true, // kill QEMU if node itself exits
  });
  for (const [stream, name] of [[child.stdout, 'stdout'], [child.stderr, 'stderr']] as const) {
    stream?.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of tail.push(chunk)) log?.output('qemu', line, name);
    });
  }
  const exited: Promise<QemuExit & { spawnError?: string }> = child.then((r) => ({
    exitCode: r.exitCode,
    signal: r.signal,
    spawnError: r.exitCode === undefined && r.signal === undefined ? r.code ?? r.shortMessage : undefined,
  }));

  const gone = new AbortController();
  void exited.then(() => gone.abort());
  const startSignal = signal ? AbortSignal.any([signal, gone.signal]) : gone.signal;
  let qmp: QmpClient;
  try {
    qmp = await QmpClient.connect(qmpSocket, { signal: startSignal, timeoutMs: options.startTimeoutMs ?? 30_000 });
  } catch (error) {
    const exitedEarly = gone.signal.aborted;
    await stop(child, exited, 5_000);
    const exit = await exited;
    if (exit.spawnError === 'ENOENT') throw new KilnError('E_TOOL', `QEMU binary ${binary} was not found`, { hint: QEMU_INSTALL_HINT });
    if (signal?.aborted) throw new CancelledError();
    if (exitedEarly) {
      throw new KilnError('E_QEMU', `QEMU exited during startup (${describeExit(exit)}): ${tail.text() || exit.spawnError || 'it printed nothing'}`, {
        hint: 'QEMU rejected its command line or could not open a file; check machine.qemu.machine and machine.qemu.args (the full command is in build.log)',
      });
    }
    throw new KilnError('E_QEMU', `QEMU did not start: ${(error as Error).message}${tail.text() ? `; it said: ${tail.text()}` : ''}`, {
      cause: error,
      hint: 'the full QEMU command line is in build.log',
    });
  }
  log?.debug(`qemu started (pid ${child.pid}), QMP on ${qmpSocket}`);
  return new RunningQemu(child, exited, qmp, tail, signal);
}

class RunningQemu implements QemuVm {
  readonly pid: number;
  readonly exited: Promise<QemuExit>;

  constructor(
    private readonly child: ResultPromise,
    exited: Promise<QemuExit>,
    readonly qmp: QmpClient,
    private readonly tail: OutputTail,
    signal?: AbortSignal,
  ) {
    this.pid = child.pid!;
    this.exited = exited.then(({ exitCode, signal }) => ({ exitCode, signal }));
    void this.exited.then(() => qmp.close());
    if (signal) {
      const onAbort = () => void this.kill();
      signal.addEventListener('abort', onAbort, { once: true });
      void this.exited.then(() => signal.removeEventListener('abort', onAbort));
    }
  }

  async sendKeyEvents(events: readonly { qcode: string; down: boolean }[]): Promise<void> {
    if (events.length === 0) return;
    await this.qmp.execute('input-send-event', {
      events: events.map((e) => ({ type: 'key', data: { down: e.down, key: { type: 'qcode', data: e.qcode } } })),
    });
  }

  async screendump(path: string, format: 'ppm' | 'png' = 'ppm'): Promise<void> {
    // QEMU resolves relative names against its own working directory, not ours.
    await this.qmp.execute('screendump', { filename: resolvePath(path), ...(format === 'png' ? { format } : {}) });
  }

  async powerdown(): Promise<void> {
    await this.qmp.execute('system_powerdown');
  }

  async quit(): Promise<void> {
    // QEMU may drop the connection before its reply arrives; exiting is the answer that counts.
    await this.qmp.execute('quit').catch(() => {}); // QEMU may close QMP before it answers quit; the exit below is what counts
    if (!(await this.waitForExit(10_000))) await this.kill();
  }

  async waitForExit(timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    return settledWithin(this.exited, timeoutMs, signal);
  }

  async kill(graceMs = 5_000): Promise<QemuExit> {
    this.qmp.close();
    await stop(this.child, this.exited, graceMs);
    return this.exited;
  }

  stderrTail(): string {
    return this.tail.text();
  }
}

/** SIGTERM, then SIGKILL if the process is still there after graceMs. */
async function stop(child: ResultPromise, exited: Promise<unknown>, graceMs: number): Promise<void> {
  // kill() on a process that has already exited is a no-op, never a stray signal.
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

function describeExit(exit: QemuExit): string {
  if (exit.signal) return `killed by ${exit.signal}`;
  return `exit code ${exit.exitCode ?? 'unknown'}`;
}
