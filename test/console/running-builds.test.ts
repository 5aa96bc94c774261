import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findRunningBuild, listRunningBuilds, registerBuild, registryDir, unregisterBuild } from '../../lib/console/running-builds.js';
import { kilnRejection } from '../helpers/rejection.js';

const entry = (name: string, pid = process.pid) => ({ name, pid, serialSocket: `/tmp/${name}.sock`, outputDir: `/out/${name}`, started: '2024-01-01T00:00:00.000Z' });

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => child.on('exit', r));
  return child.pid!;
}

test('registryDir: XDG_RUNTIME_DIR first, else a per-user temp dir', () => {
  assert.is(registryDir({ XDG_RUNTIME_DIR: '/run/user/1000' }), '/run/user/1000/kiln/builds');
  assert.match(registryDir({}), /kiln-\d+\/builds$/);
});

test('register, find, list and unregister running builds; stale records are ignored and removed', async () => {
  const runtime = await mkdtemp(join(tmpdir(), 'kiln-registry-'));
  const env = { XDG_RUNTIME_DIR: runtime };
  try {
    assert.match((await kilnRejection(findRunningBuild(undefined, env))).message, /no kiln build is running/);
    assert.is(await registerBuild(entry('alpha'), env), undefined);
    assert.equal((await findRunningBuild(undefined, env)).serialSocket, '/tmp/alpha.sock');
    assert.equal((await findRunningBuild('alpha', env)).name, 'alpha');

    // A crashed build's record is stale: not listed, and deleted.
    const dead = await deadPid();
    await writeFile(join(registryDir(env), 'ghost.json'), JSON.stringify(entry('ghost', dead)));
    assert.equal((await listRunningBuilds(env)).map((b) => b.name), ['alpha']);
    assert.equal((await readdir(registryDir(env))).sort(), ['alpha.json']);

    // Another live process (pid 1 here) holding a name is reported, not overwritten.
    await writeFile(join(registryDir(env), 'beta.json'), JSON.stringify(entry('beta', 1)));
    const other = await registerBuild(entry('beta'), env);
    assert.is(other?.pid, 1);
    assert.match((await kilnRejection(findRunningBuild(undefined, env))).message, /2 builds are running \(alpha, beta\)/);
    assert.match((await kilnRejection(findRunningBuild('gamma', env))).hint ?? '', /running now: alpha, beta/);

    // Only the owner removes its record.
    await unregisterBuild('beta', process.pid, env);
    await unregisterBuild('alpha', process.pid, env);
    assert.equal((await readdir(registryDir(env))).sort(), ['beta.json']);
  } finally {
    await rm(runtime, { recursive: true, force: true });
  }
});

test.run();
