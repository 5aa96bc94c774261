import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CancelledError } from '../../lib/errors.js';
import { settledWithin } from '../../lib/util/settled-within.js';
import { writeJsonAtomic } from '../../lib/util/write-atomic.js';
import { rejection } from '../helpers/rejection.js';

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('settledWithin: true when the promise settles in time (also by rejecting)', async () => {
  assert.is(await settledWithin(later(5), 1000), true);
  assert.is(await settledWithin(Promise.reject(new Error('x')), 1000), true);
});

test('settledWithin: false when the time runs out first', async () => {
  assert.is(await settledWithin(later(1000), 20), false);
});

test('settledWithin: CancelledError when the signal fires, or has fired', async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 10);
  assert.instance(await rejection(settledWithin(later(1000), 5000, controller.signal)), CancelledError);
  assert.instance(await rejection(settledWithin(Promise.resolve(), 5000, controller.signal)), CancelledError);
});

test('writeJsonAtomic: creates parents, writes the JSON, leaves no temp file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-json-'));
  try {
    const path = join(dir, 'a', 'b.json');
    await writeJsonAtomic(path, { x: 1 });
    await writeJsonAtomic(path, { x: 2 });
    assert.equal(JSON.parse(await readFile(path, 'utf8')), { x: 2 });
    assert.equal(await readdir(join(dir, 'a')), ['b.json']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
