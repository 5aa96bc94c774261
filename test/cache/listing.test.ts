import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CACHE_LIMIT_ENV, cacheLimitFromEnv, DEFAULT_CACHE_LIMIT, parseCacheLimit } from '../../lib/cache/limit.js';
import { ago, formatLayerTable } from '../../lib/cache/listing.js';
import type { LayerRecord } from '../../lib/cache/record.js';
import type { StoredLayer } from '../../lib/cache/store.js';
import { kilnThrown } from '../helpers/rejection.js';

const NOW = Date.parse('2026-01-02T12:00:00Z');

function layer(id: string, stage: string, parent: string | null, bytes: number, minutesAgo: number, template = 'demo', memoryBytes?: number): StoredLayer {
  const memory = memoryBytes !== undefined ? { memory: { sha256: 'a'.repeat(64), bytes: memoryBytes, pauseMs: 900, fingerprint: {} } } : {};
  const record = { id, stage, parent, template, created: `2026-01-02T11:${String(59 - minutesAgo).padStart(2, '0')}:00Z`, ...memory } as LayerRecord;
  return { id, dir: `/c/${id}`, disk: `/c/${id}/disk.qcow2`, record, bytes, lastUsed: NOW - minutesAgo * 60_000 };
}

test('layers are listed as trees, children indented under their parent, with the size of their saved memory', () => {
  const text = formatLayerTable(
    [layer('p1', 'provision[0]', 'i1', 30 * 1048576, 3, 'demo', 28 * 1048576), layer('i1', 'install', null, 40 * 1048576, 5), layer('s1', 'shutdown', 'p1', 1048576, 0)],
    [{ id: 'work-1', dir: '/c/work-1', bytes: 1024, ownerAlive: false }],
    NOW,
  );
  assert.is(
    text,
    [
      'LAYER  TEMPLATE  STAGE           SIZE  MEMORY  LAST USED',
      'i1     demo      install          40M       -  5 minutes ago',
      'p1     demo        provision[0]   30M     28M  3 minutes ago',
      's1     demo          shutdown      1M       -  just now',
      '1 unfinished layer(s) left by an interrupted build: 1K (kiln cache prune removes them)',
      '',
    ].join('\n'),
  );
});

test('a layer that skipped its memory (another state was still being written) says so in MEMORY', () => {
  const skipped = layer('p2', 'provision[1]', 'i1', 2 * 1048576, 1);
  skipped.record.memorySkipped = true;
  const text = formatLayerTable([layer('i1', 'install', null, 40 * 1048576, 5, 'demo', 28 * 1048576), skipped], [], NOW);
  assert.match(text, /\ni1 .* 28M  5 minutes ago\np2 .*provision\[1\] +2M  skipped  1 minute ago\n/);
});

test('an empty cache says so', () => {
  assert.is(formatLayerTable([], [], NOW), 'no cached layers\n');
});

test('ago() reads like a person', () => {
  const cases: [number, string][] = [[0, 'just now'], [59_000, 'just now'], [60_000, '1 minute ago'], [7_200_000, '2 hours ago'], [86_400_000 * 3, '3 days ago']];
  for (const [ms, text] of cases) assert.is(ago(NOW - ms, NOW), text);
});

test('the size limit: KILN_CACHE_MAX_SIZE with units, a bare number is GiB, nonsense is a usage error', () => {
  assert.is(cacheLimitFromEnv({}), DEFAULT_CACHE_LIMIT);
  assert.is(cacheLimitFromEnv({ [CACHE_LIMIT_ENV]: '512M' }), 512 * 1048576);
  assert.is(parseCacheLimit('2', '--max-size'), 2 * 1024 ** 3);
  assert.is(parseCacheLimit('0', '--max-size'), 0);
  const error = kilnThrown(() => cacheLimitFromEnv({ [CACHE_LIMIT_ENV]: 'lots' }));
  assert.is(error.code, 'E_USAGE');
  assert.match(error.message, /KILN_CACHE_MAX_SIZE is "lots"/);
});

test.run();
