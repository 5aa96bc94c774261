// planResume: the longest chain of verified layers, and why the next stage runs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { planResume, type PlannedStage } from '../../lib/cache/plan.js';
import type { LayerRecord } from '../../lib/cache/record.js';
import type { StoredLayer } from '../../lib/cache/store.js';

const stage = (label: string, kind: PlannedStage['kind'], key: string, inputs: Record<string, string> = { x: key }, cacheable = true): PlannedStage => ({
  label,
  kind,
  key,
  inputs,
  cacheable,
  state: kind === 'shutdown' ? 'stopped' : 'running',
});

const STAGES = [stage('install', 'install', 'K0'), stage('provision[0]', 'provision', 'K1', { 'script s.sh': 'v1' }), stage('shutdown', 'shutdown', 'K2')];

let clock = 0;
function layer(id: string, key: string, parent: string | null, label: string, inputs: Record<string, string> = { x: key }): StoredLayer {
  clock += 1;
  const kind = label === 'install' ? 'install' : label === 'shutdown' ? 'shutdown' : 'provision';
  const record = { id, key, parent, stage: label, kind, template: 't', inputs, created: new Date(clock * 1000).toISOString() } as LayerRecord;
  return { id, dir: `/c/${id}`, disk: `/c/${id}/disk.qcow2`, record, bytes: 1, lastUsed: clock };
}

function verifier(bad: Record<string, string> = {}) {
  const seen: string[] = [];
  return {
    seen,
    verify: async (l: StoredLayer, parent?: StoredLayer) => {
      seen.push(`${l.id}<${parent?.id ?? '-'}`);
      return bad[l.id];
    },
  };
}

const plan = (layers: StoredLayer[], v = verifier(), extra: { noCache?: boolean; stages?: PlannedStage[] } = {}) =>
  planResume(extra.stages ?? STAGES, layers, { template: 't', noCache: extra.noCache ?? false, verify: v.verify });

test('an empty cache: nothing to resume, the install is new', async () => {
  const p = await plan([]);
  assert.equal(p.chain, []);
  assert.is(p.reason, 'install: not in the cache yet');
});

test('every stage cached: the chain covers them all, each verified on its parent', async () => {
  const v = verifier();
  const p = await plan([layer('i', 'K0', null, 'install'), layer('p', 'K1', 'i', 'provision[0]'), layer('s', 'K2', 'p', 'shutdown')], v);
  assert.equal(p.chain.map((l) => l.id), ['i', 'p', 's']);
  assert.is(p.reason, undefined);
  assert.equal(v.seen, ['i<-', 'p<i', 's<p']);
});

test('a changed provisioner: resume after the install and say what changed', async () => {
  const p = await plan([layer('i', 'K0', null, 'install'), layer('old', 'K1-old', 'i', 'provision[0]', { 'script s.sh': 'v0' })]);
  assert.equal(p.chain.map((l) => l.id), ['i']);
  assert.is(p.reason, 'provision[0]: script s.sh changed');
});

test('a layer on another instance of its parent is not used', async () => {
  const p = await plan([layer('i1', 'K0', null, 'install'), layer('p', 'K1', 'i0', 'provision[0]')]);
  assert.equal(p.chain.map((l) => l.id), ['i1']);
});

test('the newest intact instance of a key wins; broken ones are rejected with why', async () => {
  const older = layer('old', 'K0', null, 'install');
  const newer = layer('new', 'K0', null, 'install');
  const p = await plan([older, newer], verifier({ new: 'disk.qcow2 no longer matches its recorded sha256' }));
  assert.equal(p.chain.map((l) => l.id), ['old']);
  assert.equal(p.rejected.map((r) => [r.layer.id, r.why]), [['new', 'disk.qcow2 no longer matches its recorded sha256']]);
});

test('when every instance is broken the stage runs, and the reason says so', async () => {
  const p = await plan([layer('i', 'K0', null, 'install'), layer('p', 'K1', 'i', 'provision[0]')], verifier({ p: 'qemu-img check found 2 corruption(s)' }));
  assert.equal(p.chain.map((l) => l.id), ['i']);
  assert.is(p.reason, 'provision[0]: its cached layer is unusable (qemu-img check found 2 corruption(s))');
});

test('--no-cache: nothing is looked at', async () => {
  const v = verifier();
  const p = await plan([layer('i', 'K0', null, 'install')], v, { noCache: true });
  assert.equal(p.chain, []);
  assert.match(p.reason!, /--no-cache/);
  assert.equal(v.seen, []);
});

test('cache: false stops the chain before that provisioner', async () => {
  const stages = [STAGES[0]!, { ...STAGES[1]!, cacheable: false }, { ...STAGES[2]!, cacheable: false }];
  const p = await plan([layer('i', 'K0', null, 'install'), layer('p', 'K1', 'i', 'provision[0]')], verifier(), { stages });
  assert.equal(p.chain.map((l) => l.id), ['i']);
  assert.is(p.reason, 'provision[0] has cache: false, so it and every later stage run');
});

test.run();
