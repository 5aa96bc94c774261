// The embedded HTTP server that hands answer files (preseed, kickstart, cloud-init)
// to the guest. It listens on 127.0.0.1 only; QEMU's user networking lets the guest
// reach it as 10.0.2.2. In-memory `content` is rendered once the server listens, because
// it may contain {{ .HTTPPort }}; a text that cannot be rendered fails the start.
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { dirname } from 'node:path';
import httpServer, { type Middleware } from 'http-server';
import { CancelledError, KilnError } from '../errors.js';
import type { Log } from '../log/log.js';
import { listenOnFreePort } from '../util/free-port.js';
import { contentTypeFor, mimeTypesForDisk } from './content-type.js';
import { resolveDiskFile } from './disk-files.js';
import { recordRejected } from './rejected-requests.js';
import { filePath, formatLogLine, formatLogMessage, normalizePath, requestPath, type RequestRecord } from './request-log.js';
import { RequestWaiters, type WaitOptions } from './request-waiters.js';
import { countBodyBytes, redactServerErrors } from './response-guards.js';

export type { RequestRecord } from './request-log.js';

export interface HttpServerOptions {
  /**
   * Its regular files are served as they are (no directory listings): only those whose
   * real path is inside it, and no dotfile unless `named`. Omit to serve only `content`.
   */
  directory?: string;
  /** URL paths the template names (its boot command's URLs, <waitHttp> paths): the dotfiles `directory` may serve (see disk-files.ts). */
  named?: Iterable<string>;
  /** URL path -> text; takes precedence over a file of the same path in `directory`. */
  content: Record<string, string>;
  /** Applied to each content text once the port is known (placeholders). */
  render?: (text: string, port: number) => string;
  host?: string;
  portRange?: [number, number];
  /** Every request is appended here as one line (see request-log.ts). */
  logFile?: string;
  log: Log;
  /** Called with each request's record once its response is done (after it is logged), rejected requests included. */
  onRequest?(record: RequestRecord): void;
  /** Cancels startup and every waitForRequest; close() is still the caller's job. */
  signal?: AbortSignal;
}

export interface HttpServerHandle {
  host: string;
  port: number;
  url: string;
  waitForRequest(path: string, options?: WaitOptions): Promise<RequestRecord>;
  /** Serves more files, as they are (not rendered), ahead of the content and the directory: e.g. a cloud-init seed made after the server started. */
  serve(files: Record<string, string>): void;
  requests: RequestRecord[];
  close(): Promise<void>;
}

export async function startHttpServer(options: HttpServerOptions): Promise<HttpServerHandle> {
  const { log, signal, host = '127.0.0.1', portRange = [8000, 9000], directory } = options;
  if (signal?.aborted) throw new CancelledError();
  // What is served from memory: the rendered content, then whatever serve() adds.
  const files = new Map<string, Buffer>();
  const named = new Set([...(options.named ?? [])].map(normalizePath));
  const requests: RequestRecord[] = [];
  let waiters: RequestWaiters | undefined;
  const logFile = options.logFile ? openLogFile(options.logFile, log) : undefined;
  // When each socket's current request began to arrive: its connection, then the end of its last response.
  const idleSince = new WeakMap<Socket, number>();
  const since = (socket: Socket) => idleSince.get(socket) ?? performance.now();

  const finish = (entry: RequestRecord, complete: boolean) => {
    requests.push(entry);
    // Connections cut by close() report after the log file has been ended.
    if (logFile?.writable) logFile.write(`${formatLogLine(entry)}\n`);
    if (entry.status >= 400) log.warn(formatLogMessage(entry));
    else log.info(formatLogMessage(entry));
    waiters?.served(entry, complete);
    // Last, and guarded: a listener's mistake must not cost a <waitHttp> its request.
    try {
      options.onRequest?.(entry);
    } catch (error) {
      log.warn(`http: a request listener failed: ${(error as Error).message}`);
    }
  };

  const record: Middleware = (req, res) => {
    const raw = res.response;
    const started = performance.now();
    // Read now: later middlewares rewrite req.url, and a gone connection no longer knows its peer.
    const socket = req.request.socket;
    const remote = socket.remoteAddress ?? '-';
    const path = requestPath(req.url);
    const bytes = countBodyBytes(raw);
    redactServerErrors(raw);
    raw.once('close', () => {
      idleSince.set(socket, performance.now());
      finish(
        {
          time: new Date().toISOString(),
          method: req.method,
          path,
          status: raw.statusCode,
          bytes: bytes(),
          remote,
          userAgent: req.headers['user-agent'],
          ms: Math.round(performance.now() - started),
        },
        raw.writableFinished,
      );
    });
    res.emit('next');
  };

  const serveContent: Middleware = (req, res) => {
    const path = requestPath(req.url);
    const body = files.get(path);
    if (body === undefined) return void res.emit('next');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' });
      return res.end();
    }
    res.writeHead(200, { 'content-type': contentTypeFor(path), 'content-length': body.length });
    res.end(body);
  };

  const plain = (res: Parameters<Middleware>[1], status: number, text: string) => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(text);
  };

  // http-server gets only a target naming a checked file; anything else is answered here.
  const checkDisk: Middleware = (req, res) => {
    const path = filePath(req.url);
    if (path === undefined) return plain(res, 400, 'bad request\n');
    if (!directory) return plain(res, 404, 'not found\n'); // http-server would serve the cwd
    resolveDiskFile(directory, path, named).then(
      (target) => {
        if (target === undefined) return plain(res, 404, 'not found\n');
        req.url = target;
        res.emit('next');
      },
      (error: Error) => {
        log.warn(`http: ${(error as Error).message}`);
        plain(res, 500, '');
      },
    );
  };

  const { server } = httpServer.createServer({
    // Never read without a directory (checkDisk answers first); a root it cannot serve from.
    root: directory ?? '/nonexistent',
    cache: -1, // no-store: a guest retrying after an edit must get the new file
    showDir: 'false',
    autoIndex: 'false',
    gzip: false,
    mimetypes: mimeTypesForDisk(),
    headers: { 'cache-control': 'no-store' },
    before: [record, serveContent, checkDisk],
  });
  server.on('connection', (socket: Socket) => idleSince.set(socket, performance.now()));
  recordRejected(server, since, (entry) => finish(entry, false));

  // union (http-server's router) reads and writes res._headers and res._headerNames, which
  // Node deprecates with a warning on the user's terminal. Node itself no longer uses them,
  // so plain fields on each response keep union happy and the terminal quiet.
  server.prependListener('request', (_req, res: ServerResponse) => {
    for (const name of ['_headers', '_headerNames']) Object.defineProperty(res, name, { value: {}, writable: true });
  });

  let port: number;
  try {
    port = await listenOnFreePort(server, host, { range: portRange, signal, code: 'E_HTTP' });
  } catch (error) {
    logFile?.end();
    throw error;
  }
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      waiters?.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive and half-finished downloads would otherwise hold close() open.
        server.closeAllConnections();
      });
      if (logFile) await new Promise<void>((resolve) => logFile.end(resolve));
    })());

  for (const [path, text] of Object.entries(options.content)) {
    try {
      files.set(normalizePath(path), Buffer.from(options.render ? options.render(text, port) : text));
    } catch (error) {
      await close();
      throw new KilnError('E_TEMPLATE', `http.content ${path}: ${(error as Error).message}`, { cause: error });
    }
  }
  waiters = new RequestWaiters(requests, port);
  log.debug(`http: serving ${directory ?? 'no directory'} and ${files.size} content file(s) on ${url}`);

  return {
    host,
    port,
    url,
    requests,
    close,
    serve: (more) => {
      for (const [path, text] of Object.entries(more)) files.set(normalizePath(path), Buffer.from(text));
    },
    waitForRequest: (path, wait = {}) => {
      const signals = [wait.signal, signal].filter((s): s is AbortSignal => s !== undefined);
      return waiters!.wait(path, { ...wait, signal: signals.length > 1 ? AbortSignal.any(signals) : signals[0] });
    },
  };
}

/** The request log is best effort: a write failure is reported once and never fails the build. */
function openLogFile(path: string, log: Log): WriteStream {
  mkdirSync(dirname(path), { recursive: true });
  const stream = createWriteStream(path, { flags: 'a' });
  stream.once('error', (error) => log.warn(`http: cannot write ${path}: ${error.message}`));
  return stream;
}
