// Connects the user's terminal to an interactive session (a serial console socket or
// an ssh client in a pseudo-terminal). The terminal goes into raw mode, so every key
// reaches the guest as typed (Ctrl-C included, line editing is the guest's), except
// the detach key, Ctrl-] (as in telnet and virsh console), which ends the session.
import { CancelledError } from '../errors.js';

export const DETACH_KEY = 0x1d;
export const DETACH_KEY_NAME = 'Ctrl-]';

/** The user's side: stdin and stdout, or a pseudo-terminal's in tests. */
export interface TerminalIo {
  input: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(mode: boolean): unknown };
  output: NodeJS.WritableStream & { columns?: number; rows?: number; on(event: 'resize', listener: () => void): unknown };
}

/** The session's side. */
export interface Peer {
  write(data: Buffer): void;
  /** Subscribes to output; returns an unsubscribe function. */
  onData(listener: (data: Buffer | string) => void): () => void;
  /** Called once when the session ends by itself (the guest side hung up, ssh exited). */
  onEnd(listener: () => void): () => void;
  /** Ends the session from our side. */
  close(): void;
  resize?(columns: number, rows: number): void;
}

export type BridgeEnd = 'detached' | 'ended';

/** Relays until the peer ends or the user presses the detach key. Restores the terminal whatever happens. */
export function bridgeTerminal(io: TerminalIo, peer: Peer, signal?: AbortSignal): Promise<BridgeEnd> {
  const { input, output } = io;
  if (signal?.aborted) return Promise.reject(new CancelledError());
  const wasRaw = Boolean((input as { isRaw?: boolean }).isRaw);
  const raw = Boolean(input.isTTY && input.setRawMode);
  return new Promise<BridgeEnd>((resolve, reject) => {
    const finish = (end: BridgeEnd | Error) => {
      input.off('data', onInput);
      input.off('end', onInputEnd);
      (output as NodeJS.EventEmitter).off('resize', onResize);
      signal?.removeEventListener('abort', onAbort);
      offData();
      offEnd();
      if (raw) input.setRawMode!(wasRaw);
      input.pause();
      if (end instanceof Error) reject(end);
      else resolve(end);
    };
    const onInput = (chunk: Buffer | string) => {
      const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      const at = data.indexOf(DETACH_KEY);
      if (at < 0) return peer.write(data);
      if (at > 0) peer.write(data.subarray(0, at));
      peer.close();
      finish('detached');
    };
    // No terminal behind stdin (a pipe): its end is the user's "detach".
    const onInputEnd = () => {
      peer.close();
      finish('detached');
    };
    const onResize = () => {
      if (output.columns && output.rows) peer.resize?.(output.columns, output.rows);
    };
    const onAbort = () => {
      peer.close();
      finish(new CancelledError());
    };
    const offData = peer.onData((data) => output.write(data));
    const offEnd = peer.onEnd(() => finish('ended'));
    if (raw) input.setRawMode!(true);
    input.on('data', onInput);
    input.on('end', onInputEnd);
    output.on('resize', onResize);
    signal?.addEventListener('abort', onAbort, { once: true });
    input.resume();
  });
}
