// A checkpoint taken while an earlier memory checkpoint is still being written keeps its
// disk only (it does not wait), and a build that would resume from such a layer resumes
// from the memory below it, running the quick stages again instead of booting.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resumeFromMemoryBelow } from '../../lib/cache/memory-resume.js';
import type { LayerWriter } from '../../lib/cache/layer-writer.js';
import type { PlannedStage, ResumePlan } from '../../lib/cache/plan.js';
import type { LayerRecord } from '../../lib/cache/record.js';
import type { StoredLayer } from '../../lib/cache/store.js';
import { oneProvisionerTemplate, openBuildCache, removeScratch, scratch } from './scratch.js';

test.after(removeScratch);

const stage = (label: string): PlannedStage => ({ label, kind: label === 'install' ? 'install' : 'provision', key: label, inputs: {}, cacheable: true, state: 'running' });
const STAGES = ['install', 'provision[0]', 'provision[1]', 'provision[2]', 'shutdown'].map(stage);

/** A chain of layers for the first stages; each letter says what the layer kept: m memory, s skipped, - neither. */
function chainOf(kept: string): StoredLayer[] {
  return [...kept].map((k, i) => {
    const record = { id: `L${i}`, stage: STAGES[i]!.label, ...(k === 'm' ? { memory: { sha256: 'x', bytes: 1, pauseMs: 1, fingerprint: {} } } : {}), ...(k === 's' ? { memorySkipped: true } : {}) } as LayerRecord;
    return { id: `L${i}`, dir: `/c/L${i}`, disk: `/c/L${i}/disk.qcow2`, record, bytes: 1, lastUsed: i };
  });
}

const CASES: { kept: string; restorable?: string[]; resumes: number; again?: RegExp }[] = [
  { kept: 'mm', resumes: 2 }, // the last layer has memory: nothing to step over
  { kept: 'ms', resumes: 1, again: /^provision\[0\] runs again on the guest restored after install: its layer kept no memory/ },
  { kept: 'mss', resumes: 1, again: /^provision\[0\] and provision\[1\] run again on the guest restored after install: their layers kept no memory/ },
  { kept: 'msms', resumes: 3, again: /^provision\[2\] runs again on the guest restored after provision\[1\]/ },
  { kept: 'ms', restorable: [], resumes: 2 }, // the memory below does not verify: the skipped layer's disk boots
  { kept: '-s', resumes: 2 }, // nothing below kept memory
  { kept: 'm-', resumes: 2 }, // kept none for another reason (a failed save, cache.memory off): its disk is resumed
  { kept: 'm-s', resumes: 3 },
  { kept: 's', resumes: 1 },
];

for (const c of CASES) {
  test(`resumeFromMemoryBelow: ${c.kept}${c.restorable ? ` (restorable: ${c.restorable.join(',') || 'none'})` : ''} resumes after ${c.resumes} layer(s)`, async () => {
    const plan: ResumePlan = { stages: STAGES, chain: chainOf(c.kept), rejected: [], reason: 'provision[9]: inline commands changed' };
    const asked: string[] = [];
    const result = await resumeFromMemoryBelow(plan, async (layer) => {
      asked.push(layer.id);
      return c.restorable ? c.restorable.includes(layer.id) : true;
    });
    assert.is(result.chain.length, c.resumes);
    if (c.again) {
      assert.match(result.reason ?? '', c.again);
      assert.match(result.reason ?? '', /; then provision\[9\]: inline commands changed$/);
    } else {
      assert.is(result, plan, 'the plan is left as it was');
    }
    if (!c.kept.endsWith('s')) assert.equal(asked, [], 'no state is verified when the last layer was not skipped');
  });
}

const TEMPLATE = oneProvisionerTemplate('mr', 'echo one');

/** A guest whose memory save writes a small file and then counts as still being written. */
function fakeGuest() {
  const saved: string[] = [];
  let writing = false;
  const guest: Parameters<LayerWriter['checkpointLive']>[1] = {
    exec: async () => ({ exitCode: 0 }),
    snapshotDisk: async () => {},
    async saveState(file, whilePaused) {
      await whilePaused();
      await writeFile(file, 'STATE');
      saved.push(file);
      writing = true;
      return { pauseMs: 1, background: true, written: Promise.resolve(5), fingerprint: { accelerator: 'tcg' } };
    },
    savingState: () => writing,
  };
  return { guest, saved };
}

test('a checkpoint taken while a memory checkpoint is being written keeps its disk only; the next build resumes from the memory below it', async () => {
  const dir = await scratch({ 'kiln.yaml': TEMPLATE, 'x.iso': '' });
  const cacheDir = join(dir, 'cache');
  const signal = new AbortController().signal;
  const { cache, log } = await openBuildCache(dir, cacheDir, 'x.iso');
  await cache.prepareDisk(signal);
  const { guest, saved } = fakeGuest();
  const install = await cache.checkpointLive('install', guest, {}, signal);
  const p0 = await cache.checkpointLive('provision[0]', guest, {}, signal);
  assert.equal([install.taken?.memory, p0.taken?.memory], ['background', 'skipped']);
  assert.is(saved.length, 1, 'the skipped checkpoint saved no memory');
  assert.ok(log.lines.some((l) => /^info: checkpoint provision\[0\]: layer \S+ \(\d+ ms; disk only: the last memory checkpoint is still being written\)$/.test(l)), log.lines.join('\n'));
  // The build fails before its shutdown: install and provision[0] stay cached.
  await cache.close({ failed: true, cancelled: false, keepFiles: false });

  const again = await openBuildCache(dir, cacheDir, 'x.iso');
  assert.is(again.cache.resumed?.record.stage, 'install');
  assert.is(again.cache.provisionersDone, 0, 'provision[0] runs again');
  assert.ok(again.log.lines.includes('info: cache: provision[0] runs again on the guest restored after install: its layer kept no memory (taken while an earlier memory checkpoint was still being written); then shutdown: not in the cache yet'), again.log.lines.join('\n'));
  const state = await again.cache.savedState(signal);
  assert.equal(state && 'state' in state && state.fingerprint, { accelerator: 'tcg' });
  await again.cache.close({ failed: true, cancelled: false, keepFiles: false });

  // Its state corrupt, the install cannot be restored: the skipped layer's disk is resumed instead.
  await writeFile(saved[0]!, 'CORRUPT');
  const corrupt = await openBuildCache(dir, cacheDir, 'x.iso');
  assert.is(corrupt.cache.resumed?.record.stage, 'provision[0]');
  assert.is(await corrupt.cache.savedState(signal), undefined, 'provision[0] has no memory to restore');
  await corrupt.cache.close({ failed: true, cancelled: false, keepFiles: false });
});

test.run();
