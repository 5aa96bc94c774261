// A layer's saved guest memory (state.zst): used only while it is the file whose sha256
// and size the record names; counted in the layer's size; removed with the layer.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CACHE_FORMAT } from '../../lib/cache/keys.js';
import { STATE_FILE } from '../../lib/cache/layout.js';
import { pruneStore } from '../../lib/cache/prune.js';
import { writeLayerRecord, type LayerRecord } from '../../lib/cache/record.js';
import { verifySavedState } from '../../lib/cache/saved-state.js';
import { LayerStore, type StoredLayer } from '../../lib/cache/store.js';
import { removeScratch, scratch } from './scratch.js';

const STATE = randomBytes(256 * 1024);
const FINGERPRINT = { qemu: '7.2.22', accelerator: 'tcg', memory: '512 MiB' };
const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** A store with one install layer whose record says it kept `STATE` (unless `memory` is false). */
async function storeWithLayer(memory = true): Promise<{ store: LayerStore; layer: StoredLayer }> {
  const store = new LayerStore(await scratch());
  const id = `${'1'.repeat(16)}-0000abcd`;
  const dir = store.dir(id);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'disk.qcow2'), randomBytes(4096));
  if (memory) await writeFile(join(dir, STATE_FILE), STATE);
  const record: LayerRecord = {
    format: CACHE_FORMAT, id, key: '1'.repeat(64), template: 't', stage: 'install', kind: 'install', state: 'running',
    parent: null, parentSha256: null, sha256: 'd'.repeat(64), bytes: 4096, inputs: {}, created: new Date().toISOString(), kiln: 'test',
    ...(memory ? { memory: { sha256: sha(STATE), bytes: STATE.length, pauseMs: 800, fingerprint: FINGERPRINT } } : {}),
  };
  await writeLayerRecord(dir, record);
  const { layers } = await store.list();
  return { store, layer: layers[0]! };
}

test.after(removeScratch);

test('an intact state is used, with the fingerprint it was saved with', async () => {
  const { layer } = await storeWithLayer();
  assert.equal(await verifySavedState(layer), { state: join(layer.dir, STATE_FILE), fingerprint: FINGERPRINT });
});

test('a layer that kept no memory has no state to restore', async () => {
  const { layer } = await storeWithLayer(false);
  assert.is(await verifySavedState(layer), undefined);
});

const DAMAGE: [name: string, damage: (file: string) => Promise<void>, why: RegExp][] = [
  ['missing', (file) => rm(file), /^the saved memory of layer 1{16}-0000abcd \(install\) is missing/],
  ['truncated', (file) => truncate(file, STATE.length / 2), /is 131072 bytes, its record says 262144 \(truncated or replaced\)$/],
  ['altered, same size', (file) => writeFile(file, Buffer.from(STATE).fill(0, 1000, 2000)), /does not match its recorded sha256 \(corrupt\)$/],
];

for (const [name, damage, why] of DAMAGE) {
  test(`a ${name} state is not used, and the reason names it`, async () => {
    const { layer } = await storeWithLayer();
    await damage(join(layer.dir, STATE_FILE));
    const result = await verifySavedState(layer);
    assert.ok(result && 'why' in result, 'the damaged state was accepted');
    assert.match(result.why, why);
  });
}

test('the state counts in the layer\'s size, and pruning removes it with the layer', async () => {
  const { store, layer } = await storeWithLayer();
  assert.ok(layer.bytes >= STATE.length, `the layer's size ${layer.bytes} leaves out its state`);
  const result = await pruneStore(store, 0);
  assert.equal(result.removed.map((l) => l.id), [layer.id]);
  assert.equal(await readdir(store.root).then((names) => names.filter((n) => !n.startsWith('.'))), []);
});

test.run();
