// manifest.json's `resumed` entry: where a build resumed from the stage cache, whether
// it restored the layer's running guest or booted its disk (and why), and how long the
// restore took.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { BuildContext } from '../../lib/builder/context.js';
import { resumedEntry, type Manifest } from '../../lib/builder/steps/manifest.js';

const cache = (resumedStage: string | undefined) => ({ resumedStage }) as unknown as BuildContext['cache'];

const CASES: [name: string, ctx: Pick<BuildContext, 'cache' | 'restore'>, expected: Manifest['resumed']][] = [
  ['no stage cache: no entry', { cache: undefined }, undefined],
  ['nothing cached: no entry', { cache: cache(undefined) }, undefined],
  ['restored the running guest', { cache: cache('provision[0]'), restore: { restored: true, ms: 1840 } }, { from: 'provision[0]', restored_memory: true, restore_ms: 1840 }],
  [
    'booted: the state did not fit',
    { cache: cache('provision[0]'), restore: { restored: false, why: 'CPU count: saved with 2, this build has 1' } },
    { from: 'provision[0]', restored_memory: false, booted_because: 'CPU count: saved with 2, this build has 1' },
  ],
  ['booted: the layer kept no memory', { cache: cache('install') }, { from: 'install', restored_memory: false }],
];

for (const [name, ctx, expected] of CASES) {
  test(name, () => assert.equal(resumedEntry(ctx), expected));
}

test.run();
