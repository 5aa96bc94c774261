// A catalog made by the kiln CLI, read by real Vagrant: served over HTTP on 127.0.0.1,
// `vagrant box add URL/metadata.json` installs the newest version (checking its sha256),
// and after another publish `vagrant box outdated --global` sees the update; a box changed
// on the server fails Vagrant's checksum check. A catalog
// with the default file:// URLs is added straight from disk. Vagrant runs in a private
// VAGRANT_HOME; the boxes are small real libvirt boxes made without QEMU.
import { createReadStream } from 'node:fs';
import { appendFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, sep } from 'node:path';
import { execa } from 'execa';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findExecutable } from '../../lib/util/find-executable.js';
import { runKiln } from '../helpers/run-kiln.js';
import { removeScratch, scratch } from '../helpers/scratch-dir.js';
import { fixtureOutput } from './build-output-fixture.js';

const hasVagrant = findExecutable('vagrant') !== undefined;

/** Serves `root` read-only on 127.0.0.1; records each request's path. */
async function serveDir(root: string): Promise<{ server: Server; base: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(`${req.method} ${path}`);
    const file = normalize(join(root, path));
    const info = file.startsWith(root + sep) ? await stat(file).catch(() => undefined) : undefined;
    if (!info?.isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-length': info.size, 'content-type': file.endsWith('.json') ? 'application/json' : 'application/octet-stream' });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

(hasVagrant ? test : test.skip)('vagrant box add installs the newest version from a served catalog; outdated sees the next [needs vagrant]', async () => {
  const dir = await scratch({}, 'kiln-vagrant-catalog-');
  const catalog = join(dir, 'catalog');
  const { server, base, requests } = await serveDir(catalog);
  const env = { VAGRANT_HOME: join(dir, 'vagrant-home'), VAGRANT_CHECKPOINT_DISABLE: '1', VAGRANT_NO_COLOR: '1', NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' };
  const vagrant = (args: string[]) => execa('vagrant', args, { env, reject: false, cwd: dir });
  try {
    const outputs = await Promise.all(['1.0.0', '1.1.0', '1.2.0'].map((v) => fixtureOutput(join(dir, `out-${v}`), `version ${v}`)));
    const publish = async (i: number, version: string) => {
      const run = await runKiln(['publish', outputs[i]!.dir, '--to', `catalog:${catalog}`, '--name', 'acme/demo', '--version', version, '--url-base', base, '--description', 'kiln test box']);
      assert.is(run.code, 0, run.stderr);
      return run;
    };
    await publish(0, '1.0.0');
    const second = await publish(1, '1.1.0');
    assert.match(second.stdout, `add it with: vagrant box add ${base}/acme/demo/metadata.json --provider libvirt`);

    const added = await vagrant(['box', 'add', `${base}/acme/demo/metadata.json`, '--provider', 'libvirt']);
    assert.is(added.exitCode, 0, `vagrant box add failed:\n${added.stdout}\n${added.stderr}`);
    assert.match(added.stdout, /Loading metadata for box/);
    assert.ok(requests.includes('GET /acme/demo/1.1.0/libvirt-amd64.box'), `requests: ${requests.join(', ')}`);
    assert.not.ok(requests.some((r) => r.includes('/1.0.0/')), 'Vagrant downloaded the older version');
    const listed = await vagrant(['box', 'list']);
    assert.match(listed.stdout, /acme\/demo\s+\(libvirt, 1\.1\.0\)/);

    const current = await vagrant(['box', 'outdated', '--global']);
    assert.match(current.stdout, /acme\/demo.*\(v1\.1\.0\) is up to date/, current.stdout);

    await publish(2, '1.2.0');
    const outdated = await vagrant(['box', 'outdated', '--global']);
    assert.is(outdated.exitCode, 0, outdated.stderr);
    assert.match(outdated.stdout, /acme\/demo.*is outdated! Current: 1\.1\.0\. Latest: 1\.2\.0/, outdated.stdout);

    // Vagrant checks the catalog's sha256: a box changed on the server is refused.
    await appendFile(join(catalog, 'acme/demo/1.0.0/libvirt-amd64.box'), 'tampered');
    const tampered = await vagrant(['box', 'add', `${base}/acme/demo/metadata.json`, '--provider', 'libvirt', '--box-version', '1.0.0', '--force']);
    assert.is.not(tampered.exitCode, 0, tampered.stdout);
    assert.match(tampered.stderr, /checksum/i);

    // The default file:// URLs: the catalog is added straight from disk.
    const local = join(dir, 'local-catalog');
    const run = await runKiln(['publish', outputs[0]!.dir, '--to', `catalog:${local}`, '--name', 'acme/local', '--version', '0.1.0']);
    assert.is(run.code, 0, run.stderr);
    const fromDisk = await vagrant(['box', 'add', join(local, 'acme/local/metadata.json'), '--provider', 'libvirt']);
    assert.is(fromDisk.exitCode, 0, `vagrant box add from disk failed:\n${fromDisk.stdout}\n${fromDisk.stderr}`);
    assert.match((await vagrant(['box', 'list'])).stdout, /acme\/local\s+\(libvirt, 0\.1\.0\)/);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await removeScratch();
  }
});

test.run();
