import { createHash } from 'node:crypto';
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sourceIdentity } from '../../lib/cache/source-identity.js';
import { digestMemoPath } from '../../lib/source/cache-layout.js';
import { removeScratch, scratch } from './scratch.js';

test.after(removeScratch);

test('a verified checksum is the identity; without one, the bytes are, remembered by path, size and mtime', async () => {
  const dir = await scratch({ 'x.iso': 'installer v1' });
  const cacheDir = join(dir, 'cache');
  const iso = join(dir, 'x.iso');
  assert.is(await sourceIdentity(cacheDir, { path: iso, checksum: 'sha256:abc' }), 'sha256:abc');

  const real = `sha256:${createHash('sha256').update('installer v1').digest('hex')}`;
  assert.is(await sourceIdentity(cacheDir, { path: iso }), real);

  // The memo is trusted while size and mtime are unchanged (proved by planting another digest)...
  const memo = digestMemoPath(cacheDir, iso);
  const planted = JSON.parse(await readFile(memo, 'utf8'));
  await writeFile(memo, JSON.stringify({ ...planted, digests: { sha256: 'f'.repeat(64) } }));
  assert.is(await sourceIdentity(cacheDir, { path: iso }), `sha256:${'f'.repeat(64)}`);

  // ...and a changed file is hashed again.
  await writeFile(iso, 'installer v2');
  await utimes(iso, new Date(), new Date(Date.now() + 5000));
  assert.is(await sourceIdentity(cacheDir, { path: iso }), `sha256:${createHash('sha256').update('installer v2').digest('hex')}`);
});

test.run();
