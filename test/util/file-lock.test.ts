import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancelledError } from '../../lib/errors.js';
import { acquireFileLock, withFileLock, type LockHolder } from '../../lib/util/file-lock.js';
import { kilnRejection, rejection } from '../helpers/rejection.js';

let dir: string;
let lock: string;
test.before.each(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-lock-'));
  lock = join(dir, 'entry', 'lock');
});
test.after.each(() => rm(dir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
// Hangs become failures.
const soon = () => AbortSignal.timeout(10_000);

test('one holder at a time; waiters are told who holds it', async () => {
  let inside = 0;
  let most = 0;
  const waits: LockHolder[] = [];
  const work = () =>
    withFileLock(
      lock,
      async () => {
        most = Math.max(most, ++inside);
        await sleep(30);
        inside--;
      },
      { signal: soon(), onWait: (holder) => waits.push(holder) },
    );
  await Promise.all([work(), work(), work()]);
  assert.is(most, 1);
  assert.ok(waits.length >= 1 && waits.every((h) => h.pid === process.pid && h.host === hostname()));
  await rejection(readFile(lock), 'the lock file is removed on release');
});

test('a lock whose holder died on this host is broken at once', async () => {
  await writeFile(join(dir, 'entry-lock'), JSON.stringify({ pid: 2147483646, host: hostname(), token: 'x', since: '' }));
  const held = await acquireFileLock(join(dir, 'entry-lock'), { signal: soon(), staleMs: 60_000 });
  assert.is(JSON.parse(await readFile(join(dir, 'entry-lock'), 'utf8')).pid, process.pid);
  await held.release();
});

test('a lock from another host is trusted while fresh, broken once its heartbeat stops', async () => {
  const path = join(dir, 'lock');
  await writeFile(path, JSON.stringify({ pid: 1, host: 'elsewhere', token: 'x', since: '' }));
  const controller = new AbortController();
  const waits: LockHolder[] = [];
  const waiting = acquireFileLock(path, { signal: controller.signal, onWait: (h) => waits.push(h) });
  await sleep(200);
  assert.equal(waits.map((h) => h.host), ['elsewhere']);
  controller.abort();
  assert.instance(await kilnRejection(waiting), CancelledError);
  const old = new Date(Date.now() - 10 * 60_000);
  await utimes(path, old, old);
  const held = await acquireFileLock(path, { signal: soon() });
  await held.release();
});

test('a live holder keeps its lock fresh: a waiter does not break it early', async () => {
  const staleMs = 600;
  const holder = await acquireFileLock(lock, { staleMs });
  const order: string[] = [];
  const waiter = withFileLock(lock, async () => void order.push('waiter'), { staleMs, signal: soon() });
  await sleep(1500);
  order.push('holder done');
  await holder.release();
  await waiter;
  assert.equal(order, ['holder done', 'waiter']);
});

test('release leaves a lock that is no longer its own', async () => {
  const held = await acquireFileLock(lock);
  const theirs = JSON.stringify({ pid: process.pid, host: hostname(), token: 'theirs', since: '' });
  await writeFile(lock, theirs);
  await held.release();
  assert.is(await readFile(lock, 'utf8'), theirs);
});

test.run();
