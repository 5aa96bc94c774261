// A package mirror for tests: files from a map (or a directory), served over http (or
// https with a given key and certificate) on 127.0.0.1, with ETags (a conditional GET
// gets 304) and a log of every request, to count what reached "upstream".
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';

export interface MirrorServer {
  url: string;
  port: number;
  /** "GET /path 200" for each request, in order. */
  requests: string[];
  /** Replaces or adds a file. */
  files: Map<string, Buffer>;
  close(): Promise<void>;
}

export interface MirrorOptions {
  files?: Record<string, string | Buffer>;
  /** Serve this directory too (after `files`). */
  directory?: string;
  tls?: { key: string; cert: string };
  /** Wait this long before answering (to overlap concurrent requests). */
  delayMs?: number;
}

export async function startMirror(options: MirrorOptions = {}): Promise<MirrorServer> {
  const files = new Map(Object.entries(options.files ?? {}).map(([path, body]) => [path, Buffer.from(body)]));
  const requests: string[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const body = files.get(path) ?? (options.directory ? await readFile(join(options.directory, normalize(path))).catch(() => undefined) : undefined);
      if (!body) {
        requests.push(`${req.method} ${path} 404`);
        return void res.writeHead(404).end();
      }
      const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
      if (req.headers['if-none-match'] === etag) {
        requests.push(`${req.method} ${path} 304`);
        return void res.writeHead(304, { etag }).end();
      }
      requests.push(`${req.method} ${path} 200`);
      res.writeHead(200, { etag, 'content-length': body.length, 'content-type': 'application/octet-stream' }).end(req.method === 'HEAD' ? undefined : body);
    })();
  };
  const server = options.tls ? createHttpsServer(options.tls, handler) : createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    files,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
