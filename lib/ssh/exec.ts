// Runs one command on an SSH connection and reports how it ended. "Disconnected" is
// kept apart from "failed": a provisioner that reboots the guest loses the connection
// before any exit status arrives, and the build must be able to tell that case apart.

import type { Client, ClientChannel } from 'ssh2';
import { CancelledError, KilnError } from '../errors.js';
import { LineSplitter, LineTail } from './line-splitter.js';
import { exportPrefix } from './shell-quote.js';

export interface ExecOptions {
  /** Exported in front of the command (sshd usually refuses `env` requests). */
  env?: Record<string, string>;
  /** Written to the command's stdin, which is then closed. Without it stdin is closed at once. */
  stdin?: string;
  /** Called for each complete line of output, without its line ending. */
  onStdout?: (line: string) => void;
  onStderr?: (line: string) => void;
  signal?: AbortSignal;
}

export interface ExecResult {
  /** null when the command was killed by a signal or no exit status arrived. */
  exitCode: number | null;
  /** "SIGTERM" etc. when the remote process was killed by a signal. */
  signal?: string;
  /** The connection dropped before an exit status arrived (a reboot, a crash, a lost network). */
  disconnected: boolean;
  stdoutTail: string[];
  stderrTail: string[];
}

/** How many lines of each stream an ExecResult keeps. */
export const TAIL_LINES = 50;

export function execOnClient(
  client: Client,
  command: string,
  options: ExecOptions,
  connectionClosed: () => boolean,
): Promise<ExecResult> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(new CancelledError());
  let fullCommand: string;
  try {
    fullCommand = exportPrefix(options.env ?? {}) + command;
  } catch (error) {
    return Promise.reject(error);
  }

  return new Promise((resolve, reject) => {
    let channel: ClientChannel | undefined;
    let settled = false;
    const settle = () => {
      settled = true;
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      if (settled) return;
      settle();
      stopChannel(channel);
      reject(new CancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    const startFailed = (error: Error) => {
      if (settled) return;
      settle();
      reject(
        new KilnError('E_SSH', `could not start a command over SSH: ${error.message}`, {
          cause: error,
          hint: connectionClosed() ? 'the connection to the guest was lost' : 'the guest may limit sessions (MaxSessions in sshd_config)',
        }),
      );
    };
    const onOpened = (error: Error | undefined, opened: ClientChannel) => {
      if (settled) return stopChannel(opened);
      if (error) return startFailed(error);
      channel = opened;
      const stdoutTail = new LineTail(TAIL_LINES);
      const stderrTail = new LineTail(TAIL_LINES);
      const stdout = new LineSplitter((line) => {
        stdoutTail.push(line);
        options.onStdout?.(line);
      });
      const stderr = new LineSplitter((line) => {
        stderrTail.push(line);
        options.onStderr?.(line);
      });
      let exit: { code: number | null; signal?: string } | undefined;

      opened.on('data', (chunk: Buffer) => stdout.push(chunk));
      opened.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      opened.on('exit', (code: number | null, exitSignal?: string) => {
        exit = { code: typeof code === 'number' ? code : null, signal: exitSignal || undefined };
      });
      // A write to stdin after the remote side closed is not a failure of the command.
      opened.on('error', () => {});
      const finish = () => {
        if (settled) return;
        settle();
        stdout.flush();
        stderr.flush();
        resolve({
          exitCode: exit?.code ?? null,
          signal: exit?.signal,
          disconnected: exit === undefined && connectionClosed(),
          stdoutTail: stdoutTail.lines,
          stderrTail: stderrTail.lines,
        });
      };
      // 'close' follows the end of stdout; stderr may still hold its last buffered chunk.
      opened.on('close', () => (opened.stderr.readableEnded ? finish() : opened.stderr.once('end', finish)));
      opened.end(options.stdin ?? '');
    };
    try {
      client.exec(fullCommand, onOpened);
    } catch (error) {
      // ssh2 throws "Not connected" when the socket died but 'close' has not been emitted yet.
      startFailed(error as Error);
    }
  });
}

/** Asks the remote process to stop (servers may ignore it) and closes the channel. */
function stopChannel(channel: ClientChannel | undefined): void {
  if (!channel) return;
  try {
    channel.signal('TERM');
  } catch {
    // The channel may already be closing.
  }
  channel.close();
}
