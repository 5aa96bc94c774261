// kiln's HTTP caching forward proxy for the guest, on 127.0.0.1 (the guest reaches it as
// {{ .ProxyURL }}). node's http server parses the requests, undici makes the upstream
// ones; this file only decides the answers: resolve.ts says what, the store holds it.
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Dispatcher } from 'undici';
import { pipeline } from 'node:stream/promises';
import type { KilnError } from '../errors.js';
import type { Log } from '../log/log.js';
import type { ProxyRoutes } from '../source/proxy-routes.js';
import { redactUrl } from '../util/redact-url.js';
import { upstreamUrlFor } from './guest-request.js';
import { Recording } from './recording.js';
import { OfflineMiss, resolveUrl, type Resolved } from './resolve.js';
import { SingleFlight } from './single-flight.js';
import { emptyStats, type PackageCacheStats } from './stats.js';
import { PackageStore } from './store.js';
import { openTunnel } from './tunnel.js';

export interface PackageCacheOptions {
  cacheDir: string;
  /** Answer from the store only; anything else is an OfflineMiss. */
  offline: boolean;
  /** How kiln goes upstream: the host proxy routes' dispatcher (ProxyRoutes), or any undici dispatcher. */
  dispatcher: Dispatcher;
  /** Which host proxy a CONNECT tunnel goes through (ProxyRoutes). */
  routes: Pick<ProxyRoutes, 'routeFor'>;
  log: Log;
  /**
   * The port to listen on when it is free (else any): a guest resumed from the stage
   * cache keeps the proxy URL it was configured with. Absent: any free port.
   */
  preferredPort?: number;
  /** A guest request --offline cannot answer: the build should fail with it at once. */
  onOfflineMiss(error: KilnError): void;
}

export interface PackageCache {
  host: string;
  port: number;
  stats: PackageCacheStats;
  recording: Recording;
  close(): Promise<void>;
}

export async function startPackageCache(options: PackageCacheOptions): Promise<PackageCache> {
  const store = new PackageStore(options.cacheDir);
  const stats = emptyStats();
  const recording = new Recording();
  const flights = new SingleFlight<Resolved>();
  const sockets = new Set<Socket | Duplex>();
  const resolveContext = { store, dispatcher: options.dispatcher, offline: options.offline, log: options.log };

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    stats.requests++;
    const target = upstreamUrlFor(req.url ?? '');
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, `kiln's package cache answers GET and HEAD, not ${req.method}`);
    if (!target.ok) return refuse(res, 400, target.reason);
    let resolved: Resolved;
    let shared: boolean;
    try {
      ({ value: resolved, shared } = await flights.run(target.url, () => resolveUrl(target.url, resolveContext)));
    } catch (error) {
      const offlineMiss = error instanceof OfflineMiss;
      refuse(res, offlineMiss ? 504 : 502, (error as Error).message);
      if (offlineMiss) options.onOfflineMiss(error);
      else options.log.warn((error as Error).message);
      return;
    }
    const { record } = resolved;
    const outcome = shared && resolved.outcome === 'miss' ? 'hit' : resolved.outcome;
    stats[outcome === 'miss' ? 'misses' : outcome === 'hit' ? 'hits' : 'revalidated']++;
    if (!shared) stats.bytes_upstream += resolved.upstreamBytes;
    if (!resolved.passthrough) recording.add(record);
    options.log.debug(`package cache: ${req.method} ${redactUrl(target.url)} ${record.status} ${outcome}${record.size !== undefined ? ` ${record.size} bytes` : ''}`);
    if (record.status !== 200 || record.sha256 === undefined) {
      res.writeHead(record.status, { 'content-length': 0 }).end();
      return;
    }
    res.writeHead(200, { 'content-length': record.size, 'content-type': record.content_type ?? 'application/octet-stream', 'x-kiln-cache': outcome });
    if (req.method === 'HEAD') return void res.end();
    stats.bytes_served += record.size ?? 0;
    await pipeline(createReadStream(store.blobPath(record.sha256)), res);
  }

  function refuse(res: ServerResponse, status: number, message: string): void {
    stats.errors++;
    const body = `${message}\n`;
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
  }

  async function tunnel(req: IncomingMessage, client: Socket, head: Buffer): Promise<void> {
    stats.requests++;
    stats.uncacheable++;
    const authority = req.url ?? '';
    if (options.offline) {
      stats.errors++;
      client.end('HTTP/1.1 504 Gateway Timeout\r\ncontent-length: 0\r\n\r\n');
      options.onOfflineMiss(new OfflineMiss(`https://${authority}/ (CONNECT ${authority})`));
      return;
    }
    options.log.debug(`package cache: CONNECT ${authority} passed through (uncacheable)`);
    let upstream: Awaited<ReturnType<typeof openTunnel>>;
    try {
      upstream = await openTunnel(authority, options.routes);
    } catch (error) {
      stats.errors++;
      options.log.warn(`package cache: CONNECT ${authority} for the guest failed: ${(error as Error).message}`);
      client.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    sockets.add(upstream.socket);
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) upstream.socket.write(head);
    const closeBoth = () => {
      client.destroy();
      sockets.delete(upstream.socket);
      void upstream.close();
    };
    upstream.socket.on('error', closeBoth).on('close', closeBoth);
    client.on('error', closeBoth).on('close', closeBoth);
    upstream.socket.pipe(client);
    client.pipe(upstream.socket);
  }

  const server = createServer((req, res) => {
    answer(req, res).catch((error: unknown) => {
      options.log.warn(`package cache: ${req.method} ${req.url}: ${(error as Error).message}`);
      res.destroy();
    });
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => void tunnel(req, client, head));
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => (server.off('error', reject), resolve()));
    });
  await listen(options.preferredPort ?? 0).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE' || !options.preferredPort) throw error;
    return listen(0);
  });
  const { port } = server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    stats,
    recording,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
