// `kiln cache ls|prune|rm` as a user runs them, on a cache with hand-made layer records.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CACHE_FORMAT } from '../../lib/cache/keys.js';
import type { LayerRecord } from '../../lib/cache/record.js';
import { runKiln } from '../helpers/run-kiln.js';
import { removeScratch, scratch } from './scratch.js';

test.after(removeScratch);

const MIB = 1048576;

async function cache(): Promise<{ env: NodeJS.ProcessEnv; layers: string }> {
  const xdg = await scratch();
  const layers = join(xdg, 'kiln', 'layers');
  const add = async (id: string, template: string, stage: string, parent: string | null, bytes: number) => {
    await mkdir(join(layers, id), { recursive: true });
    await writeFile(join(layers, id, 'disk.qcow2'), Buffer.alloc(bytes, 1));
    const record: Partial<LayerRecord> = { format: CACHE_FORMAT, id, key: id.slice(0, 16).padEnd(64, '0'), template, stage, kind: stage === 'install' ? 'install' : 'provision', state: 'running', parent, parentSha256: null, sha256: '0'.repeat(64), bytes, inputs: {}, created: new Date().toISOString(), kiln: 'test' };
    await writeFile(join(layers, id, 'layer.json'), JSON.stringify(record));
  };
  await add('aaaaaaaaaaaaaaaa-00000001', 'demo', 'install', null, 2 * MIB);
  await add('bbbbbbbbbbbbbbbb-00000002', 'demo', 'provision[0]', 'aaaaaaaaaaaaaaaa-00000001', MIB);
  await add('cccccccccccccccc-00000003', 'other', 'install', null, MIB);
  return { env: { XDG_CACHE_HOME: xdg, KILN_CACHE_MAX_SIZE: '' }, layers };
}

test('ls lists every layer with its stage and size, as a tree; --template narrows it', async () => {
  const { env } = await cache();
  const run = await runKiln(['cache', 'ls'], { env });
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stdout, /aaaaaaaaaaaaaaaa-00000001\s+demo\s+install\s+2(\.0)?M/);
  assert.match(run.stdout, /bbbbbbbbbbbbbbbb-00000002\s+demo\s+ {2}provision\[0\]\s+1(\.0)?M/);
  assert.match(run.stdout, /3 layer\(s\), 4(\.0)?M in .*kiln\/layers \(limit 20G\)/);
  const only = await runKiln(['cache', 'ls', '--template', 'other'], { env });
  assert.not.match(only.stdout, /demo/);
  assert.match(only.stdout, /1 layer\(s\)/);
});

test('rm by id prefix removes the layer and those built on it; --template and --all', async () => {
  const { env, layers } = await cache();
  const run = await runKiln(['cache', 'rm', 'aaaa'], { env });
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stdout, /removed 2 layer\(s\), 3(\.0)?M/);
  assert.equal(await readdir(layers), ['cccccccccccccccc-00000003']);
  const all = await runKiln(['cache', 'rm', '--all'], { env });
  assert.match(all.stdout, /removed 1 layer/);
  assert.equal(await readdir(layers), []);
});

test('prune --max-size keeps the most recently used within the limit', async () => {
  const { env, layers } = await cache();
  const run = await runKiln(['cache', 'prune', '--max-size', '3M'], { env });
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stdout, /removed \d layer\(s\), .*; .* left \(limit 3M\)/);
  const left = await readdir(layers);
  assert.ok(left.length < 3 && left.length > 0, left.join(', '));
});

test('usage mistakes exit 2 and say how to use it', async () => {
  const { env } = await cache();
  for (const args of [['cache'], ['cache', 'nuke'], ['cache', 'rm'], ['cache', 'rm', 'zzz'], ['cache', 'prune', '--max-size', 'big'], ['cache', 'ls', '--bogus']]) {
    const run = await runKiln(args, { env });
    assert.is(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, /kiln: error: .*\[E_USAGE\]/);
  }
  const bad = await runKiln(['cache', 'ls'], { env: { ...env, KILN_CACHE_MAX_SIZE: 'lots' } });
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /KILN_CACHE_MAX_SIZE is "lots"/);
});

test('--no-cache belongs to kiln build; cache: false is accepted on provisioners, a typo is not', async () => {
  const dir = await scratch({
    'kiln.yaml': `name: c\nsource: { iso: { url: x.iso, checksum: none } }\nboot: { command: ["<enter>"] }\nssh: { username: u, password: p }\nprovision:\n  - shell: { inline: [date], cache: false }\n  - file: { source: kiln.yaml, destination: /tmp/x, cache: false }\n`,
    'bad.yaml': `name: c\nsource: { iso: { url: x.iso, checksum: none } }\nboot: { command: ["<enter>"] }\nssh: { username: u, password: p }\nprovision:\n  - shell: { inline: [date], cache: no-thanks }\n`,
    'x.iso': '',
  });
  const ok = await runKiln(['validate', 'kiln.yaml'], { cwd: dir });
  assert.is(ok.code, 0, ok.stderr);
  const flag = await runKiln(['validate', 'kiln.yaml', '--no-cache'], { cwd: dir });
  assert.is(flag.code, 2);
  assert.match(flag.stderr, /--no-cache applies to kiln build only/);
  const bad = await runKiln(['validate', 'bad.yaml'], { cwd: dir });
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /provision\[0\]\.shell\.cache: expected true or false/);
});

test.run();
