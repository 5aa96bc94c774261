// A real OCI registry for the publish and pull tests: Debian's docker-registry (the CNCF
// distribution, fixtures/host-packages.txt) in the foreground on a free 127.0.0.1 port,
// with htpasswd auth (bcrypt, made by apache2-utils' htpasswd) and a self-signed TLS
// certificate made by openssl for 127.0.0.1. Its access log, on stderr, says which
// requests it served: requests() lists them as "METHOD /path".
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findExecutable } from '../../lib/util/find-executable.js';
import { findFreePort } from '../../lib/util/free-port.js';
import { scratch } from './scratch-dir.js';
import { waitForListen } from './wait-for-listen.js';

const run = promisify(execFile);

export interface Registry {
  /** 127.0.0.1:PORT */
  host: string;
  user: string;
  password: string;
  /** The self-signed certificate, PEM (give it as --ca-file). */
  caFile: string;
  /** A directory holding the certificate as skopeo's --cert-dir wants it (ca.crt). */
  certDir: string;
  /** Where it keeps blobs: docker/registry/v2/blobs/sha256/ab/abcd.../data. */
  storage: string;
  /** "PUT /v2/a/b/blobs/uploads/...": every request it answered, in order. */
  requests(): string[];
  stop(): Promise<void>;
}

export async function startRegistry(): Promise<Registry> {
  for (const tool of ['docker-registry', 'htpasswd', 'openssl']) {
    if (!findExecutable(tool)) throw new Error(`${tool} is not installed: apt-get install docker-registry apache2-utils openssl (fixtures/host-packages.txt)`);
  }
  const dir = await scratch({ 'certs/': '', 'storage/': '' }, 'kiln-registry-');
  const port = await findFreePort();
  const user = 'kiln';
  const password = 'reg-pass-7f3a9c';
  await run('htpasswd', ['-Bbc', join(dir, 'htpasswd'), user, password]);
  const key = join(dir, 'key.pem');
  const caFile = join(dir, 'certs', 'ca.crt');
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', caFile]);
  const storage = join(dir, 'storage');
  const config = [
    'version: 0.1',
    'log: { level: info, accesslog: { disabled: false }, formatter: text }',
    `storage: { filesystem: { rootdirectory: ${storage} }, delete: { enabled: true } }`,
    `http: { addr: 127.0.0.1:${port}, tls: { certificate: ${caFile}, key: ${key} } }`,
    `auth: { htpasswd: { realm: kiln-test, path: ${join(dir, 'htpasswd')} } }`,
  ];
  await writeFile(join(dir, 'config.yml'), `${config.join('\n')}\n`);
  const child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitForListen('docker-registry', port, child, () => output);
  return {
    host: `127.0.0.1:${port}`,
    user,
    password,
    caFile,
    certDir: join(dir, 'certs'),
    storage,
    // The access log's combined-format lines: 127.0.0.1 - - [date] "PUT /v2/... HTTP/1.1" 201 ...
    requests: () => [...output.matchAll(/"([A-Z]+) (\/v2\/\S*) HTTP\/[\d.]+" (\d+)/g)].map((m) => `${m[1]} ${m[2]} ${m[3]}`),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
