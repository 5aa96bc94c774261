// Requests as a guest sends them to a forward proxy: absolute-form GET/HEAD, and CONNECT.
import { request } from 'node:http';
import type { Socket } from 'node:net';

export interface ProxiedAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** `GET url` sent to the proxy at 127.0.0.1:port, as apt does with Acquire::http::Proxy. */
export function viaProxy(port: number, url: string, method = 'GET'): Promise<ProxiedAnswer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url, 'http://placeholder');
    const req = request({ host: '127.0.0.1', port, method, path: url, headers: { host: target.host }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** CONNECT authority through the proxy: the status, and the socket when it is 200. */
export function connectViaProxy(port: number, authority: string): Promise<{ status: number; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'CONNECT', path: authority, agent: false });
    req.on('connect', (res, socket) => resolve({ status: res.statusCode ?? 0, socket }));
    req.on('response', (res) => resolve({ status: res.statusCode ?? 0, socket: res.socket }));
    req.on('error', reject);
    req.end();
  });
}
