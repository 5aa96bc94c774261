// The shared stage cache against a real registry (helpers/registry.ts), without a VM:
// machine A's store holds an install layer (with its login key) and a provision layer
// on it, made with qemu-img and qemu-io; A pushes them, machine B (an empty store) pulls
// the chain and the plan resumes from it after verifying it like a local layer. A disk
// blob changed in the registry is refused, and the stage runs instead.
import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CACHE_FORMAT } from '../../lib/cache/keys.js';
import { backingName, DISK_FILE, SSH_KEY_FILE } from '../../lib/cache/layout.js';
import { planResume, type PlannedStage } from '../../lib/cache/plan.js';
import { writeLayerRecord, type LayerRecord } from '../../lib/cache/record.js';
import { LayerStore } from '../../lib/cache/store.js';
import { createDisk } from '../../lib/hypervisor/qemu/qemu-img.js';
import { memoryLog } from '../../lib/log/log.js';
import { parseReference } from '../../lib/oci/reference.js';
import { pullShared, pushShared, type SharedCacheOptions } from '../../lib/shared-cache/share.js';
import { hashFile } from '../../lib/util/hash-file.js';
import { startRegistry, type Registry } from '../helpers/registry.js';
import { removeScratch, scratch } from '../helpers/scratch-dir.js';

const exec = promisify(execFile);
let registry: Registry;
let shared: SharedCacheOptions;

test.before(async () => {
  registry = await startRegistry();
  const auth = await scratch({ 'auth.json': JSON.stringify({ auths: { [registry.host]: { username: registry.user, password: registry.password } } }) });
  const ref = parseReference(`oci://${registry.host}/kiln/cache`);
  shared = { from: ref, to: ref, access: { env: { REGISTRY_AUTH_FILE: join(auth, 'auth.json'), SSL_CERT_FILE: registry.caFile } } };
});
test.after(async () => {
  await registry?.stop();
  await removeScratch();
});

const KEY = (c: string) => c.repeat(64);
const stage = (label: string, kind: PlannedStage['kind'], key: string): PlannedStage => ({ label, kind, key, state: 'running', cacheable: true, inputs: { x: key } });
const STAGES = [stage('install', 'install', KEY('a')), stage('provision[0]', 'provision', KEY('b')), stage('shutdown', 'shutdown', KEY('c'))];

/** A committed layer in `store`: a qcow2 (on `parent`) with `pattern` written at `offset`. */
async function makeLayer(store: LayerStore, id: string, s: PlannedStage, parent: LayerRecord | null, pattern: number, offset: number): Promise<LayerRecord> {
  const dir = store.dir(id);
  await mkdir(dir, { recursive: true });
  const disk = join(dir, DISK_FILE);
  await createDisk(disk, 16 << 20, 'qcow2', parent ? { backing: { path: backingName(parent.id), format: 'qcow2', unsafe: true } } : {});
  await exec('qemu-io', ['-f', 'qcow2', '-c', `write -P ${pattern} ${offset} 64k`, disk]);
  if (!parent) {
    await writeFile(join(dir, SSH_KEY_FILE), 'PRIVATE KEY\n', { mode: 0o600 });
    await writeFile(join(dir, `${SSH_KEY_FILE}.pub`), 'ssh-ed25519 AAAA kiln\n');
  }
  const record: LayerRecord = {
    format: CACHE_FORMAT, id, key: s.key, template: 't', stage: s.label, kind: s.kind, state: 'running',
    parent: parent?.id ?? null, parentSha256: parent?.sha256 ?? null,
    sha256: await hashFile(disk, 'sha256'), bytes: 0, ...(parent ? {} : { sshKey: true }),
    inputs: s.inputs, created: new Date().toISOString(), kiln: 'test',
  };
  await writeLayerRecord(dir, record);
  return record;
}

async function plan(store: LayerStore) {
  const { layers } = await store.list();
  return planResume(STAGES, layers, { template: 't', noCache: false, verify: (layer, parent) => store.verifyLayer(layer, parent) });
}

const uploads = (from: number) => registry.requests().slice(from).filter((r) => /^(POST|PATCH|PUT) \/v2\/[^ ]*\/blobs\/uploads\//.test(r));

test('machine A pushes its chain; machine B pulls it and resumes from it; a second push sends nothing', async () => {
  const a = new LayerStore(await scratch());
  const install = await makeLayer(a, `${KEY('a').slice(0, 16)}-00000001`, STAGES[0]!, null, 0x11, 0);
  const provision = await makeLayer(a, `${KEY('b').slice(0, 16)}-00000002`, STAGES[1]!, install, 0x22, 65536);
  const { layers } = await a.list();
  const log = memoryLog();
  await pushShared(layers.find((l) => l.id === provision.id), a, shared, log);
  assert.match(log.lines.join('\n'), `cache: --cache-to ${registry.host}/kiln/cache: 2 layer(s) pushed`, log.lines.join('\n'));

  const b = new LayerStore(await scratch());
  const pulled = memoryLog();
  await pullShared(STAGES, b, shared, pulled);
  assert.match(pulled.lines.join('\n'), 'pulled install (layer');
  assert.match(pulled.lines.join('\n'), '2 layer(s) pulled');
  const resumed = await plan(b);
  assert.equal(resumed.chain.map((l) => l.id), [install.id, provision.id]);
  assert.equal(resumed.rejected, []);
  assert.is(await readFile(join(b.dir(install.id), SSH_KEY_FILE), 'utf8'), 'PRIVATE KEY\n');
  await exec('qemu-io', ['-r', '-f', 'qcow2', '-c', 'read -P 0x11 0 64k', '-c', 'read -P 0x22 64k 64k', join(b.dir(provision.id), DISK_FILE)]);

  const mark = registry.requests().length;
  const again = memoryLog();
  await pushShared(layers.find((l) => l.id === provision.id), a, shared, again);
  assert.match(again.lines.join('\n'), '0 layer(s) pushed (0B), 2 already there');
  assert.equal(uploads(mark), []);
});

test('a disk blob changed in the registry is refused: the chain stops before it, nothing half-pulled is kept', async () => {
  const source = new LayerStore(await scratch());
  const stages = [stage('install', 'install', KEY('d')), stage('provision[0]', 'provision', KEY('e'))];
  const install = await makeLayer(source, `${KEY('d').slice(0, 16)}-00000003`, stages[0]!, null, 0x33, 0);
  const provision = await makeLayer(source, `${KEY('e').slice(0, 16)}-00000004`, stages[1]!, install, 0x44, 65536);
  await pushShared((await source.list()).layers.find((l) => l.id === provision.id), source, shared, memoryLog());
  const data = join(registry.storage, 'docker/registry/v2/blobs/sha256', provision.sha256.slice(0, 2), provision.sha256, 'data');
  const bytes = await readFile(data);
  bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
  await writeFile(data, bytes);

  const fresh = new LayerStore(await scratch());
  const log = memoryLog();
  await pullShared(stages, fresh, shared, log);
  assert.match(log.lines.join('\n'), 'pulled install');
  assert.match(log.lines.join('\n'), /not used further: .*served other bytes for disk\.qcow2/);
  assert.equal((await readdir(fresh.root)).sort(), [install.id]);
});

test('--cache-from alone pulls and never pushes', async () => {
  const store = new LayerStore(await scratch());
  const mark = registry.requests().length;
  const readOnly = { from: shared.from!, access: shared.access };
  await pullShared(STAGES, store, readOnly, memoryLog());
  const layer = (await store.list()).layers.at(-1);
  await pushShared(layer, store, readOnly, memoryLog());
  assert.ok(registry.requests().slice(mark).every((r) => /^(GET|HEAD) /.test(r)), registry.requests().slice(mark).join('\n'));
});

test.run();
