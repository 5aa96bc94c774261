// Test helper: a registry in memory that speaks just enough of the distribution spec
// for the client's unit tests (blob HEAD, upload sessions with PATCH, status GET and
// closing PUT, manifests), behind a Bearer token service that wants Basic credentials.
// Faults are switched on per test: a status for every request of a method, or a PATCH
// whose connection is cut after half its bytes (which the session keeps, as a real
// registry does with what reached it).
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listenOnFreePort } from '../../lib/util/free-port.js';

export interface FakeRegistry {
  host: string;
  blobs: Map<string, Buffer>;
  manifests: Map<string, Buffer>;
  /** "METHOD /path auth-scheme" per request. */
  log: string[];
  tokensIssued: string[];
  faults: { status?: { method: string; code: number; body?: string }; dropPatch?: number };
  close(): Promise<void>;
}

export async function startFakeRegistry(user = 'u', password = 'p'): Promise<FakeRegistry> {
  const sessions = new Map<string, Buffer>();
  let patches = 0;
  let nextId = 0;
  const state: FakeRegistry = { host: '', blobs: new Map(), manifests: new Map(), log: [], tokensIssued: [], faults: {}, close: async () => undefined };
  const server: Server = createServer((req, res) => void handle(req, res).catch(() => res.destroy()));
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url!, `http://${state.host}`);
    const auth = req.headers.authorization ?? '';
    state.log.push(`${req.method} ${url.pathname} ${auth.split(' ')[0] || '-'}`);
    if (url.pathname === '/token') {
      if (auth !== `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`) return send(res, 401, '{"errors":[{"code":"UNAUTHORIZED","message":"bad credentials"}]}');
      const token = `tok-${state.tokensIssued.length + 1}-${url.searchParams.getAll('scope').join('+')}`;
      state.tokensIssued.push(token);
      return send(res, 200, JSON.stringify({ token }));
    }
    if (!auth.startsWith('Bearer tok-')) {
      res.setHeader('www-authenticate', `Bearer realm="http://${state.host}/token",service="fake"`);
      return send(res, 401, '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
    }
    const fault = state.faults.status;
    if (fault && fault.method === req.method) return send(res, fault.code, fault.body ?? '');
    const blob = /^\/v2\/(.+)\/blobs\/(sha256:[0-9a-f]{64})$/.exec(url.pathname);
    const upload = /^\/v2\/(.+)\/blobs\/uploads\/(\w*)$/.exec(url.pathname);
    const manifest = /^\/v2\/(.+)\/manifests\/(.+)$/.exec(url.pathname);
    if (blob && (req.method === 'HEAD' || req.method === 'GET')) {
      const bytes = state.blobs.get(blob[2]!);
      return bytes ? send(res, 200, req.method === 'GET' ? bytes : '', { 'content-length': String(bytes.length) }) : send(res, 404, '');
    }
    if (upload && req.method === 'POST') {
      const id = `s${++nextId}`;
      sessions.set(id, Buffer.alloc(0));
      return send(res, 202, '', { location: `/v2/${upload[1]}/blobs/uploads/${id}` });
    }
    const session = upload && sessions.get(upload[2]!);
    if (upload && !session) return send(res, 404, '{"errors":[{"code":"BLOB_UPLOAD_UNKNOWN"}]}');
    if (upload && session && req.method === 'GET') return send(res, 204, '', { range: `0-${Math.max(0, session.length - 1)}` });
    if (upload && session && req.method === 'PATCH') {
      const [start] = String(req.headers['content-range']).split('-').map(Number);
      if (start !== session.length) return send(res, 416, '');
      if (++patches === state.faults.dropPatch) {
        const half = Number(req.headers['content-length']) / 2;
        const got = await readBody(req, half);
        sessions.set(upload[2]!, Buffer.concat([session, got]));
        req.socket.destroy();
        return;
      }
      const next = Buffer.concat([session, await readBody(req)]);
      sessions.set(upload[2]!, next);
      return send(res, 202, '', { location: url.pathname, range: `0-${next.length - 1}` });
    }
    if (upload && session && req.method === 'PUT') {
      const all = Buffer.concat([session, await readBody(req)]);
      const digest = `sha256:${createHash('sha256').update(all).digest('hex')}`;
      if (digest !== url.searchParams.get('digest')) return send(res, 400, '{"errors":[{"code":"DIGEST_INVALID","message":"provided digest did not match uploaded content"}]}');
      state.blobs.set(digest, all);
      sessions.delete(upload[2]!);
      return send(res, 201, '', { location: `/v2/${upload[1]}/blobs/${digest}` });
    }
    if (manifest && req.method === 'PUT') {
      state.manifests.set(manifest[2]!, await readBody(req));
      return send(res, 201, '');
    }
    if (manifest && req.method === 'GET') {
      const bytes = state.manifests.get(manifest[2]!);
      return bytes ? send(res, 200, bytes, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }) : send(res, 404, '{"errors":[{"code":"MANIFEST_UNKNOWN"}]}');
    }
    send(res, 405, '');
  }
  const port = await listenOnFreePort(server, '127.0.0.1');
  state.host = `127.0.0.1:${port}`;
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  state.close = () => {
    for (const socket of sockets) socket.destroy();
    return new Promise((resolve) => server.close(() => resolve()));
  };
  return state;
}

function send(res: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, headers);
  res.end(body);
}

/** The request's body, or only its first `limit` bytes. */
async function readBody(req: IncomingMessage, limit = Infinity): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
    length += (chunk as Buffer).length;
    if (length >= limit) break;
  }
  return Buffer.concat(chunks).subarray(0, Math.min(length, limit));
}
