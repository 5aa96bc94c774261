// What http.directory may serve: regular files whose real path is inside it, no dotfile
// the template did not name, and nothing a malformed path could make reveal the host.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sendRaw } from './raw-request.js';
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isHidden } from '../../lib/http/disk-files.js';
import { startHttpServer, type HttpServerHandle } from '../../lib/http/server.js';
import { memoryLog } from '../../lib/log/log.js';

let dir: string;
let server: HttpServerHandle | undefined;

test.before.each(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-http-disk-'));
  const http = join(dir, 'http');
  await mkdir(join(http, 'sub'), { recursive: true });
  await mkdir(join(http, '.git'), { recursive: true });
  await mkdir(join(http, '.seed'), { recursive: true });
  await mkdir(join(dir, 'outside'), { recursive: true });
  await writeFile(join(http, 'ks.cfg'), 'ks\n');
  await writeFile(join(http, 'sub', 'user-data'), '#cloud-config\n');
  await writeFile(join(http, '.env'), 'SECRET=1\n');
  await writeFile(join(http, '.git', 'config'), '[core]\n');
  await writeFile(join(http, '.hidden.cfg'), 'named\n');
  await writeFile(join(http, '.seed', 'user-data'), '#seed\n');
  await writeFile(join(http, '.seed', '.private'), 'no\n');
  await writeFile(join(dir, 'outside', 'secret.txt'), 'host secret\n');
  await symlink('/etc/passwd', join(http, 'passwd'));
  await symlink(join(dir, 'outside'), join(http, 'linked-dir'));
  await symlink('ks.cfg', join(http, 'alias.cfg'));
  await symlink('.git', join(http, 'repo'));
  await symlink('.hidden.cfg', join(http, 'to-named.cfg'));
  await symlink('missing', join(http, 'dangling'));
  server = await startHttpServer({
    directory: http,
    named: ['/.hidden.cfg', '/.seed/'],
    content: { '/.well-known/from-content': 'content\n' },
    logFile: join(dir, 'output', 'http.log'),
    log: memoryLog(),
  });
});
test.after.each(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** Status and body of a GET sent as-is. */
async function raw(target: string): Promise<{ status: number; body: string }> {
  const text = await sendRaw(server!.port, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), body: text.slice(text.indexOf('\r\n\r\n') + 4) };
}

test('a symlink that leaves the directory is not followed, nor a symlinked parent directory', async () => {
  for (const target of ['/passwd', '/linked-dir/secret.txt', '/sub/../../outside/secret.txt', '/..%2foutside/secret.txt', '/%2e%2e/outside/secret.txt']) {
    const { status, body } = await raw(target);
    assert.is(status, 404, target);
    assert.not.match(body, /root:|host secret/, target);
  }
  // The same file through a link that stays inside is served.
  assert.equal(await raw('/alias.cfg'), { status: 200, body: 'ks\n' });
  assert.equal(await raw('/sub/user-data'), { status: 200, body: '#cloud-config\n' });
  assert.is((await raw('/dangling')).status, 404);
});

test('dotfiles and .git/ are hidden, directly or through a symlink, unless the template names them', async () => {
  for (const target of ['/.env', '/.git/config', '/repo/config', '/sub/../.env', '/.seed/.private', '/%2egit/config']) {
    assert.is((await raw(target)).status, 404, target);
  }
  assert.equal(await raw('/.hidden.cfg'), { status: 200, body: 'named\n' });
  assert.equal(await raw('/.seed/user-data'), { status: 200, body: '#seed\n' }, 'below a named directory');
  assert.equal(await raw('/.well-known/from-content'), { status: 200, body: 'content\n' }, 'content keys are named by being written');
  assert.equal(await raw('/to-named.cfg'), { status: 200, body: 'named\n' }, 'a link to a named dotfile: that file is named');
});

test('isHidden: the last segment needs the exact path; a directory needs its path with "/"', () => {
  const named = new Set(['/.a.cfg', '/.seed/', '/x/.y/z']);
  assert.is(isHidden('/ks.cfg', named), false);
  assert.is(isHidden('/.a.cfg', named), false);
  assert.is(isHidden('/.b.cfg', named), true);
  assert.is(isHidden('/.seed/user-data', named), false);
  assert.is(isHidden('/.seed', named), true);
  assert.is(isHidden('/.seed/.git/config', named), true);
  assert.is(isHidden('/x/.y/z', named), false);
  assert.is(isHidden('/x/.y/w', named), true);
});

test('only regular, readable files: no directories, FIFOs or unreadable files (which crashed http-server)', async () => {
  assert.is((await raw('/sub')).status, 404);
  assert.is((await raw('/sub/')).status, 404);
  execFileSync('mkfifo', [join(dir, 'http', 'pipe.cfg')]);
  assert.is((await raw('/pipe.cfg')).status, 404, 'answered at once, not waiting for a writer');
  await writeFile(join(dir, 'http', 'locked.cfg'), 'x\n');
  await chmod(join(dir, 'http', 'locked.cfg'), 0o000);
  const locked = await raw('/locked.cfg');
  // root reads it anyway; anyone else gets a 404, and the server lives on.
  assert.ok(locked.status === 404 || (process.getuid?.() === 0 && locked.status === 200), String(locked.status));
  assert.is((await raw('/ks.cfg')).status, 200);
});

test('%00 and other malformed paths never reveal a host path', async () => {
  const targets = ['/%00', '/ks.cfg%00.txt', '/%zz', '/%E0%A4%A', '/sub/%00/x', 'http://x/%00', '/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '//etc/passwd'];
  for (const target of targets) {
    const { status, body } = await raw(target);
    assert.ok(status >= 400 && status < 500, `${target}: ${status}`);
    for (const secret of [dir, tmpdir(), 'node_modules', 'at ', 'root:']) assert.not.ok(body.includes(secret), `${target}: ${body}`);
  }
});

test.run();
