// sleep() and setLongTimeout past Node's 2^31 ms timer limit: they must wait, not fire at once.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CancelledError } from '../../lib/errors.js';
import { MAX_TIMER_MS, setLongTimeout, sleep } from '../../lib/util/sleep.js';
import { settledWithin } from '../../lib/util/settled-within.js';
import { rejection } from '../helpers/rejection.js';

const WEEKS = 600 * 3_600_000; // <wait600h>: past the limit

test('a sleep past the timer limit keeps waiting (and prints no TimeoutOverflowWarning) until aborted', async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.name);
  process.on('warning', onWarning);
  const controller = new AbortController();
  let settled = false;
  const sleeping = sleep(WEEKS, controller.signal).finally(() => (settled = true));
  await sleep(50);
  assert.not.ok(settled, 'returned at once');
  controller.abort();
  assert.instance(await rejection(sleeping), CancelledError);
  await sleep(10);
  process.off('warning', onWarning);
  assert.equal(warnings, []);
  assert.ok(WEEKS > MAX_TIMER_MS);
});

test('negative, NaN and zero sleeps return at once', async () => {
  const begin = performance.now();
  await sleep(-5);
  await sleep(Number.NaN);
  await sleep(0);
  assert.ok(performance.now() - begin < 200);
});

test('setLongTimeout fires short delays, waits through long ones, and cancels', async () => {
  let fired = 0;
  setLongTimeout(() => fired++, 5);
  const cancel = setLongTimeout(() => fired++, WEEKS);
  await sleep(50);
  assert.is(fired, 1);
  cancel();
  assert.is(await settledWithin(new Promise(() => {}), WEEKS, AbortSignal.timeout(30)).catch((e) => e instanceof CancelledError), true);
});

test.run();
