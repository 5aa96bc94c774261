// Runs VBoxManage through execa: every call logged, aborted calls killed, failures
// turned into VBoxManageError (or E_TOOL with an install hint when it is missing).

import { CancelledError, KilnError } from '../../errors.js';
import type { Log } from '../../log/log.js';
import { OutputTail } from '../../util/output-tail.js';
import { VBoxManageError } from './errors.js';
import { VBOX_INSTALL_HINT } from './version.js';
import { shellWord } from '../../ssh/shell-quote.js';

export interface VBoxResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface VBoxCallOptions {
  signal?: AbortSignal;
  /** Default 60 s; exports and disk creation pass longer ones. */
  timeoutMs?: number;
}

export interface VBoxManage {
  readonly binary: string;
  /** Runs a command; throws VBoxManageError when it exits non-zero. */
  run(args: readonly string[], options?: VBoxCallOptions): Promise<VBoxResult>;
  /** Runs a command and returns its exit code instead of throwing on failure. */
  tryRun(args: readonly string[], options?: VBoxCallOptions): Promise<VBoxResult>;
  /** The last error lines VBoxManage printed, for error messages. */
  stderrTail(): string;
}

/** The binary kiln runs: KILN_VBOXMANAGE, else VBoxManage on PATH. */
export function defaultVBoxManageBinary(env: NodeJS.ProcessEnv = process.env): string {
  return env.KILN_VBOXMANAGE || 'VBoxManage';
}

export function vboxManage(binary: string, log?: Log): VBoxManage {
  const tail = new OutputTail(20);

  async function tryRun(args: readonly string[], options: VBoxCallOptions = {}): Promise<VBoxResult> {
    const { signal, timeoutMs = 60_000 } = options;
    if (signal?.aborted) throw new CancelledError();
    log?.debug(`${binary} ${loggedArgs(args).map(shellWord).join(' ')}`);
    // Imported on first use: `kiln validate` loads this module without running anything.
    const { execa } = await import('execa');
    const result = await execa(binary, [...args], {
      reject: false,
      stdin: 'ignore',
      timeout: timeoutMs,
      cancelSignal: signal,
      forceKillAfterDelay: 2_000,
      cleanup: true,
      encoding: 'utf8',
      stripFinalNewline: false,
    });
    if (signal?.aborted) throw new CancelledError();
    if (result.code === 'ENOENT' || (result.exitCode === undefined && /ENOENT/.test(result.message ?? ''))) {
      throw new KilnError('E_TOOL', `VBoxManage was not found (${binary})`, { hint: VBOX_INSTALL_HINT });
    }
    if (result.timedOut) {
      throw new KilnError('E_TOOL', `VBoxManage ${args[0] ?? ''} did not finish within ${Math.round(timeoutMs / 1000)} s`, {
        hint: 'VirtualBox may be hung (VBoxSVC); check `VBoxManage list runningvms` and the VM log',
      });
    }
    const stdout = String(result.stdout ?? '');
    const stderr = String(result.stderr ?? '');
    for (const line of tail.push(stderr)) log?.output('vboxmanage', line, 'stderr');
    return { stdout, stderr, exitCode: result.exitCode ?? 1 };
  }

  return {
    binary,
    tryRun,
    async run(args, options) {
      const result = await tryRun(args, options);
      if (result.exitCode !== 0) throw new VBoxManageError(args, result.exitCode, result.stderr);
      return result;
    },
    stderrTail: () => tail.text(),
  };
}

/**
 * The arguments as build.log shows them. Scancodes are what the boot command typed, a
 * password among them perhaps, in a form no masking recognises: only their count is logged.
 */
export function loggedArgs(args: readonly string[]): readonly string[] {
  const at = args.indexOf('keyboardputscancode');
  return at < 0 ? args : [...args.slice(0, at + 1), `<${args.length - at - 1} scancodes>`];
}
