// A real HTTP proxy for the proxy tests: Debian's tinyproxy (fixtures/host-packages.txt),
// in the foreground (-d) on a free 127.0.0.1 port with its own config and log in a temp
// dir. The log's "Request" lines show what went through it: "GET http://host:port/path"
// for a forwarded request, "CONNECT host:port" for a tunnel.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findExecutable } from '../../lib/util/find-executable.js';
import { findFreePort } from '../../lib/util/free-port.js';
import { scratch } from './scratch-dir.js';
import { waitForListen } from './wait-for-listen.js';

export interface TinyproxyOptions {
  /** BasicAuth: requests without these credentials get 407. */
  auth?: { user: string; password: string };
  /** ConnectPort lines: CONNECT to any other port gets 403 (none: every port is allowed). */
  connectPorts?: number[];
}

export interface Tinyproxy {
  port: number;
  /** http://127.0.0.1:PORT, without credentials. */
  url: string;
  /** The proxy URL carrying `auth`'s credentials (percent-encoded). */
  urlWithAuth(user?: string, password?: string): string;
  /** "GET http://...", "CONNECT host:port": the requests it received, in order. */
  requests(): Promise<string[]>;
  log(): Promise<string>;
  stop(): Promise<void>;
}

export async function startTinyproxy(options: TinyproxyOptions = {}): Promise<Tinyproxy> {
  if (!findExecutable('tinyproxy')) throw new Error('tinyproxy is not installed: apt-get install tinyproxy (fixtures/host-packages.txt)');
  const dir = await scratch({}, 'kiln-tinyproxy-');
  const port = await findFreePort();
  const logFile = join(dir, 'tinyproxy.log');
  const config = [
    `Port ${port}`,
    'Listen 127.0.0.1',
    'Timeout 30',
    `LogFile "${logFile}"`,
    'LogLevel Info',
    'MaxClients 20',
    'Allow 127.0.0.1',
    'DisableViaHeader Yes',
    ...(options.auth ? [`BasicAuth ${options.auth.user} ${options.auth.password}`] : []),
    ...(options.connectPorts ?? []).map((p) => `ConnectPort ${p}`),
  ];
  await writeFile(join(dir, 'tinyproxy.conf'), `${config.join('\n')}\n`);
  const child = spawn('tinyproxy', ['-d', '-c', join(dir, 'tinyproxy.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitForListen('tinyproxy', port, child, () => stderr, 10_000);
  const log = () => readFile(logFile, 'utf8').catch(() => '');
  const url = `http://127.0.0.1:${port}`;
  return {
    port,
    url,
    urlWithAuth: (user = options.auth?.user ?? '', password = options.auth?.password ?? '') =>
      `http://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    log,
    requests: async () => [...(await log()).matchAll(/Request \(file descriptor \d+\): (\S+ \S+)/g)].map((m) => m[1]!),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
