// The embedded HTTP server that hands answer files (preseed, kickstart, cloud-init)
// to the guest. It listens on 127.0.0.1 only; QEMU's user networking lets the guest
// reach it as 10.0.2.2. In-memory `content` is rendered once the server listens, because
// it may contain {{ .HTTPPort }}; a text that cannot be rendered fails the start.
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import httpServer, { type Middleware } from 'http-server';
import { CancelledError, KilnError } from '../errors.js';
import type { Log } from '../log/log.js';
import { contentTypeFor, mimeTypesForDisk } from './content-type.js';
import { listenInRange } from './listen.js';
import { formatLogLine, formatLogMessage, normalizePath, requestPath, type RequestRecord } from './request-log.js';
import { RequestWaiters, type WaitOptions } from './request-waiters.js';

export type { RequestRecord } from './request-log.js';

export interface HttpServerOptions {
  /** Served as-is (no directory listings); omit to serve only `content`. */
  directory?: string;
  /** URL path -> text; takes precedence over a file of the same path in `directory`. */
  content: Record<string, string>;
  /** Applied to each content text once the port is known (placeholders). */
  render?: (text: string, port: number) => string;
  host?: string;
  portRange?: [number, number];
  /** Every request is appended here as one line (see request-log.ts). */
  logFile?: string;
  log: Log;
  /** Called with each request's record once its response is done (after it is logged). */
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
  const { log, signal, host = '127.0.0.1', portRange = [8000, 9000] } = options;
  if (signal?.aborted) throw new CancelledError();
  // What is served from memory: the rendered content, then whatever serve() adds.
  const files = new Map<string, Buffer>();
  const requests: RequestRecord[] = [];
  let waiters: RequestWaiters | undefined;
  const logFile = options.logFile ? openLogFile(options.logFile, log) : undefined;

  const record: Middleware = (req, res) => {
    const raw = res.response;
    const bytes = countBodyBytes(raw);
    // Read now: once the connection is gone the socket no longer knows its peer.
    const remote = req.request.socket.remoteAddress ?? '-';
    raw.once('close', () => {
      const entry: RequestRecord = {
        time: new Date().toISOString(),
        method: req.method,
        path: requestPath(req.url),
        status: raw.statusCode,
        bytes: bytes(),
        remote,
        userAgent: req.headers['user-agent'],
      };
      requests.push(entry);
      // Connections cut by close() report after the log file has been ended.
      if (logFile?.writable) logFile.write(`${formatLogLine(entry)}\n`);
      if (entry.status >= 400) log.warn(formatLogMessage(entry));
      else log.info(formatLogMessage(entry));
      waiters?.served(entry, raw.writableFinished);
      // Last, and guarded: a listener's mistake must not cost a <waitHttp> its request.
      try {
        options.onRequest?.(entry);
      } catch (error) {
        log.warn(`http: a request listener failed: ${(error as Error).message}`);
      }
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

  // Without a directory nothing may reach http-server's file handler (it would serve the cwd).
  const notFound: Middleware = (_req, res) => {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('not found\n');
  };

  const { server } = httpServer.createServer({
    root: options.directory,
    cache: -1, // no-store: a guest retrying after an edit must get the new file
    showDir: 'false',
    autoIndex: 'false',
    gzip: false,
    mimetypes: mimeTypesForDisk(),
    headers: { 'cache-control': 'no-store' },
    before: options.directory ? [record, serveContent] : [record, serveContent, notFound],
  });

  // union (http-server's router) reads and writes res._headers and res._headerNames, which
  // Node deprecates with a warning on the user's terminal. Node itself no longer uses them,
  // so plain fields on each response keep union happy and the terminal quiet.
  server.prependListener('request', (_req, res: ServerResponse) => {
    for (const name of ['_headers', '_headerNames']) Object.defineProperty(res, name, { value: {}, writable: true });
  });

  let port: number;
  try {
    port = await listenInRange(server, host, portRange, signal);
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
  log.debug(`http: serving ${options.directory ?? 'no directory'} and ${files.size} content file(s) on ${url}`);

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

/** Counts body bytes as they are written (HEAD and 304 send none, aborted downloads send part). */
function countBodyBytes(res: ServerResponse): () => number {
  let bytes = 0;
  const add = (chunk: unknown, encoding: unknown) => {
    if (typeof chunk === 'string') bytes += Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    else if (chunk instanceof Uint8Array) bytes += chunk.byteLength;
  };
  const write = res.write;
  const end = res.end;
  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    add(chunk, rest[0]);
    return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
  } as ServerResponse['write'];
  res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    add(chunk, rest[0]);
    return (end as (...a: unknown[]) => ServerResponse).call(this, chunk, ...rest);
  } as ServerResponse['end'];
  return () => bytes;
}
