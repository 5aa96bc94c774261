// A tiny HTTP server for the source tests: serves in-memory files on 127.0.0.1,
// honours Range requests, and records every request so tests can assert on traffic.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Route {
  body: Buffer | string;
  status?: number;
  /** Ignore Range headers and always answer 200 with the whole body. */
  noRanges?: boolean;
  /** Send this many bytes of a full-length response, then cut the connection. */
  breakAfter?: number;
  /** Send this many bytes, then keep the connection open without sending more. */
  stallAfter?: number;
  /** Send a first chunk, and the rest once this settles. */
  holdUntil?: Promise<unknown>;
  /** No Content-Length: chunked encoding, or with `closeDelimited` a body that ends when the connection closes. */
  noLength?: boolean;
  closeDelimited?: boolean;
  /** "user:password" the request must carry as Basic authorization, else 401. */
  auth?: string;
}

export interface FileServer {
  url: (path: string) => string;
  routes: Map<string, Route>;
  requests: { method: string; path: string; range?: string; authorization?: string; query: string }[];
  close(): Promise<void>;
}

export async function startFileServer(routes: Record<string, Route> = {}): Promise<FileServer> {
  const table = new Map(Object.entries(routes));
  const requests: FileServer['requests'] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const { pathname: path, search: query } = new URL(req.url ?? '/', 'http://x');
    requests.push({ method: req.method ?? '', path, range: req.headers.range, authorization: req.headers.authorization, query });
    const route = table.get(path);
    if (!route) {
      res.writeHead(404, 'Not Found').end('nope');
      return;
    }
    if (route.auth && req.headers.authorization !== `Basic ${Buffer.from(route.auth).toString('base64')}`) {
      res.writeHead(401, 'Unauthorized').end();
      return;
    }
    const body = Buffer.from(route.body);
    if (route.status && route.status !== 200) {
      res.writeHead(route.status).end(body);
      return;
    }
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = range && !route.noRanges ? Number(range[1]) : 0;
    if (start >= body.length && range && !route.noRanges) {
      res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
      return;
    }
    const headers: Record<string, string | number> = { 'content-length': body.length - start, 'accept-ranges': 'bytes' };
    if (range && !route.noRanges) headers['content-range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
    if (route.noLength || route.closeDelimited) delete headers['content-length'];
    if (route.closeDelimited) {
      // HTTP/1.0 style: neither a length nor chunks, the end is the connection closing.
      res.useChunkedEncodingByDefault = false;
      res.shouldKeepAlive = false;
    }
    res.writeHead(range && !route.noRanges ? 206 : 200, headers);
    const rest = body.subarray(start);
    if (route.holdUntil) {
      res.write(rest.subarray(0, 4096));
      void route.holdUntil.then(() => res.end(rest.subarray(4096)));
    } else if (route.breakAfter !== undefined) {
      res.write(rest.subarray(0, route.breakAfter), () => res.destroy());
    } else if (route.stallAfter !== undefined) {
      res.write(rest.subarray(0, route.stallAfter));
    } else {
      res.end(rest);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    routes: table,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
