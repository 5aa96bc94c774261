// A QMP client over QEMU's UNIX socket. QMP sends one JSON object per line: a greeting,
// then replies to commands and asynchronous events, interleaved. Each command carries
// an `id` that QEMU echoes, so a reply always finds its caller whatever came between.
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { CancelledError, KilnError } from '../../errors.js';
import { connectUnixSocket, type ConnectOptions } from './unix-connect.js';

export interface QmpEvent {
  /** SHUTDOWN, POWERDOWN, RESET, STOP, RESUME, ... */
  event: string;
  data?: Record<string, unknown>;
  timestamp?: { seconds: number; microseconds: number };
}

export interface QmpGreeting {
  version: { qemu: { major: number; minor: number; micro: number }; package: string };
  capabilities: string[];
}

/** A command QEMU answered with an error; `errorClass` is QEMU's (GenericError, CommandNotFound, ...). */
export class QmpCommandError extends KilnError {
  constructor(
    readonly command: string,
    readonly errorClass: string,
    readonly description: string,
  ) {
    super('E_QMP', `QMP ${command} failed: ${description} (${errorClass})`, {
      hint: 'QEMU refused the command; its message above says why',
    });
    this.name = 'QmpCommandError';
  }
}

interface Pending {
  command: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

type Message = Record<string, unknown> & { id?: unknown };

export class QmpClient extends EventEmitter<{ event: [QmpEvent]; close: [] }> {
  private readonly pending = new Map<string, Pending>();
  private nextId = 1;
  private buffer = '';
  private isClosed = false;
  private greeted?: (greeting: QmpGreeting) => void;
  greeting?: QmpGreeting;

  private constructor(private readonly socket: Socket) {
    super();
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.receive(chunk));
    socket.on('error', () => {}); // 'close' follows and says the same thing to every caller
    socket.on('close', () => this.shutdown(`the QMP connection closed`));
  }

  /** Connects (retrying until QEMU has created the socket), reads the greeting and enables commands. */
  static async connect(path: string, options: ConnectOptions = {}): Promise<QmpClient> {
    const socket = await connectUnixSocket(path, options);
    const client = new QmpClient(socket);
    try {
      client.greeting = await client.waitForGreeting(options);
      await client.execute('qmp_capabilities', undefined, { signal: options.signal });
      return client;
    } catch (error) {
      client.close();
      throw error;
    }
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Runs a command and resolves with its `return` value. */
  execute<T = unknown>(command: string, args?: Record<string, unknown>, options: { signal?: AbortSignal } = {}): Promise<T> {
    if (this.isClosed) {
      return Promise.reject(closedError(command, 'the QMP connection is closed'));
    }
    if (options.signal?.aborted) return Promise.reject(new CancelledError());
    const id = `kiln-${this.nextId++}`;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        // The reply may still come; with no entry left under its id it is dropped.
        this.pending.delete(id);
        reject(new CancelledError());
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => options.signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        command,
        resolve: (value) => (done(), resolve(value as T)),
        reject: (error) => (done(), reject(error)),
      });
      // JSON.stringify drops `arguments` when there are none.
      this.socket.write(`${JSON.stringify({ execute: command, arguments: args, id })}\n`);
    });
  }

  /** Resolves with the next event named `names` that arrives after this call. */
  waitForEvent(names: string | string[], options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<QmpEvent> {
    const wanted = new Set(Array.isArray(names) ? names : [names]);
    return new Promise((resolve, reject) => {
      const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => finish(new KilnError('E_QMP', `no ${[...wanted].join('/')} event from QEMU within ${options.timeoutMs} ms`, { hint: 'the guest may be hung; look at its screen or serial log' })), options.timeoutMs);
      const onEvent = (e: QmpEvent) => wanted.has(e.event) && finish(undefined, e);
      const onClose = () => finish(closedError(`a ${[...wanted].join('/')} event`, 'the QMP connection closed'));
      const onAbort = () => finish(new CancelledError());
      const finish = (error?: Error, event?: QmpEvent) => {
        clearTimeout(timer);
        this.off('event', onEvent).off('close', onClose);
        options.signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve(event!);
      };
      if (options.signal?.aborted) return onAbort();
      if (this.isClosed) return onClose();
      this.on('event', onEvent).on('close', onClose);
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  close(): void {
    this.socket.destroy();
    this.shutdown('the QMP client was closed');
  }

  private waitForGreeting(options: ConnectOptions): Promise<QmpGreeting> {
    return new Promise((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? 10_000;
      const timer = setTimeout(() => fail(new KilnError('E_QMP', `QEMU sent no QMP greeting within ${timeoutMs} ms`, { hint: 'is something other than QEMU listening on the QMP socket?' })), timeoutMs);
      const onClose = () => fail(closedError('the greeting', 'the QMP connection closed'));
      const onAbort = () => fail(new CancelledError());
      const done = () => {
        clearTimeout(timer);
        this.off('close', onClose);
        options.signal?.removeEventListener('abort', onAbort);
        this.greeted = undefined;
      };
      const fail = (error: Error) => (done(), reject(error));
      this.greeted = (greeting) => (done(), resolve(greeting));
      this.on('close', onClose);
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, newline).trim();
      this.buffer = this.buffer.slice(newline + 1);
      if (line) this.dispatch(line);
    }
  }

  private dispatch(line: string): void {
    let message: Message;
    try {
      message = JSON.parse(line) as Message;
    } catch {
      this.socket.destroy();
      this.shutdown(`QEMU sent a line that is not JSON: ${line.slice(0, 200)}`);
      return;
    }
    if ('QMP' in message) this.greeted?.(message.QMP as QmpGreeting);
    else if (typeof message.event === 'string') this.emit('event', message as unknown as QmpEvent);
    else if ('return' in message || 'error' in message) this.reply(message);
  }

  private reply(message: Message): void {
    // QEMU echoes our id; a reply without one (to a request it could not parse) answers the oldest.
    const id = typeof message.id === 'string' ? message.id : this.pending.keys().next().value;
    const waiter = id === undefined ? undefined : this.pending.get(id);
    if (!waiter || id === undefined) return;
    this.pending.delete(id);
    if ('return' in message) return waiter.resolve(message.return);
    const error = (message.error ?? {}) as { class?: string; desc?: string };
    waiter.reject(new QmpCommandError(waiter.command, error.class ?? 'GenericError', error.desc ?? 'no description'));
  }

  private shutdown(why: string): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const [id, waiter] of this.pending) {
      this.pending.delete(id);
      waiter.reject(closedError(waiter.command, why));
    }
    this.emit('close');
  }
}

function closedError(what: string, why: string): KilnError {
  return new KilnError('E_QMP', `${why} while waiting for ${what}`, {
    hint: 'QEMU has probably exited; its stderr in build.log says why',
  });
}
