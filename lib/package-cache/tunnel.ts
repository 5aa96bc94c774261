// CONNECT passthrough for the guest (https to a mirror kiln cannot cache): straight to
// the destination, or through the host proxy with undici's CONNECT (no hand-written
// proxy client). The bytes are the guest's TLS: kiln only counts the tunnel.
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { Client } from 'undici';
import type { ProxyRoutes } from '../source/proxy-routes.js';

/** An open connection to `authority` ("host:port"), direct or through the host proxy. */
export async function openTunnel(authority: string, routes: Pick<ProxyRoutes, 'routeFor'>): Promise<{ socket: Duplex; close(): Promise<void> }> {
  const target = new URL(`https://${authority}/`);
  const route = routes.routeFor(target.href);
  if (!route) {
    const socket = await connectDirect(target.hostname.replace(/^\[|\]$/g, ''), Number(target.port) || 443);
    return { socket, close: async () => void socket.destroy() };
  }
  const proxy = new URL(route.proxy);
  const client = new Client(proxy.origin);
  const headers: Record<string, string> = {};
  if (proxy.username) {
    const login = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
    headers['proxy-authorization'] = `Basic ${Buffer.from(login).toString('base64')}`;
  }
  try {
    const { statusCode, socket } = await client.connect({ path: `${target.hostname}:${target.port || 443}`, headers });
    if (statusCode !== 200) throw new Error(`proxy ${route.shown} answered ${statusCode} to CONNECT ${authority}`);
    return { socket, close: () => client.destroy() };
  } catch (error) {
    await client.destroy();
    throw error;
  }
}

function connectDirect(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}
