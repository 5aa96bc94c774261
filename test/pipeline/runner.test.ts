import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CancelledError, KilnError } from '../../lib/errors.js';
import { runSteps } from '../../lib/pipeline/runner.js';
import type { CleanupInfo, Step, StepTiming } from '../../lib/pipeline/step.js';
import { rejection } from '../helpers/rejection.js';

type Ctx = { trail: string[] };

function step(name: string, behaviour: Partial<Step<Ctx>> = {}): Step<Ctx> {
  return {
    name,
    run: async (ctx) => void ctx.trail.push(`run ${name}`),
    cleanup: async (ctx, info) => void ctx.trail.push(`cleanup ${name}${info.failed ? ' (failed)' : ''}`),
    ...behaviour,
  };
}

test('runs in order and cleans up in reverse on success', async () => {
  const ctx: Ctx = { trail: [] };
  const timings: StepTiming[] = [];
  await runSteps([step('a'), step('b'), step('c')], ctx, { signal: new AbortController().signal, stepFinished: (t) => timings.push(t) });
  assert.equal(ctx.trail, ['run a', 'run b', 'run c', 'cleanup c', 'cleanup b', 'cleanup a']);
  assert.equal(timings.map((t) => `${t.name}:${t.status}`), ['a:ok', 'b:ok', 'c:ok']);
});

test('a failure stops the list, cleans up every started step (including the failed one) and rethrows', async () => {
  const ctx: Ctx = { trail: [] };
  const boom = new KilnError('E_QEMU', 'boom');
  const failing = step('b', {
    run: async (c) => {
      c.trail.push('run b');
      throw boom;
    },
  });
  assert.is(await rejection(runSteps([step('a'), failing, step('c')], ctx, { signal: new AbortController().signal })), boom);
  assert.equal(ctx.trail, ['run a', 'run b', 'cleanup b (failed)', 'cleanup a (failed)']);
});

test('skipped steps are neither run nor cleaned up, and are reported as skipped', async () => {
  const ctx: Ctx = { trail: [] };
  const finished: string[] = [];
  const started: string[] = [];
  await runSteps([step('a', { skip: () => true }), step('b')], ctx, {
    signal: new AbortController().signal,
    stepStarted: (name) => started.push(name),
    stepFinished: (t) => finished.push(`${t.name}:${t.status}`),
  });
  assert.equal(ctx.trail, ['run b', 'cleanup b']);
  assert.equal(started, ['b']);
  assert.equal(finished, ['a:skipped', 'b:ok']);
});

test('a cleanup that throws does not stop the others and is reported', async () => {
  const ctx: Ctx = { trail: [] };
  const reported: string[] = [];
  await runSteps(
    [
      step('a'),
      step('b', {
        cleanup: async () => {
          throw new Error('nope');
        },
      }),
    ],
    ctx,
    { signal: new AbortController().signal, cleanupFailed: (name) => reported.push(name) },
  );
  assert.equal(ctx.trail, ['run a', 'run b', 'cleanup a']);
  assert.equal(reported, ['b']);
});

test('abort during a step: CancelledError, cleanups run with cancelled=true', async () => {
  const ctx: Ctx = { trail: [] };
  const controller = new AbortController();
  const infos: CleanupInfo[] = [];
  const waiting = step('wait', {
    run: (_c, signal) =>
      new Promise((_resolve, reject) => {
        signal.addEventListener('abort', () => reject(new Error('saw abort')));
        setTimeout(() => controller.abort(), 10);
      }),
    cleanup: async (_c, info) => void infos.push(info),
  });
  assert.instance(await rejection(runSteps([step('a'), waiting, step('never')], ctx, { signal: controller.signal })), CancelledError);
  assert.equal(infos, [{ failed: true, cancelled: true, keepFiles: false }]);
  assert.equal(ctx.trail, ['run a', 'cleanup a (failed)']);
});

test('a step that ignores the signal is abandoned after the grace period', async () => {
  const ctx: Ctx = { trail: [] };
  const controller = new AbortController();
  const stubborn = step('stubborn', { run: () => new Promise(() => setTimeout(() => controller.abort(), 5)) });
  const begin = Date.now();
  assert.instance(await rejection(runSteps([stubborn], ctx, { signal: controller.signal, abortGraceMs: 50, abandonedWaitMs: 50 })), CancelledError);
  assert.ok(Date.now() - begin < 1000);
  assert.equal(ctx.trail, ['cleanup stubborn (failed)']);
});

test('cleanup waits (a while) for an abandoned step, so it sees what the step made late', async () => {
  const controller = new AbortController();
  const made: string[] = [];
  const slow = step('slow', {
    // Ignores the signal and finishes making something well after the grace period.
    run: () => new Promise<void>((resolve) => setTimeout(() => (made.push('vm'), resolve()), 300)),
    cleanup: async (ctx) => void ctx.trail.push(`cleanup sees ${made.join(',') || 'nothing'}`),
  });
  const ctx: Ctx = { trail: [] };
  setTimeout(() => controller.abort(), 10);
  assert.instance(await rejection(runSteps([slow], ctx, { signal: controller.signal, abortGraceMs: 50 })), CancelledError);
  assert.equal(ctx.trail, ['cleanup sees vm']);
  // ...but not for ever.
  const never = step('never', { run: () => new Promise<void>(() => {}) });
  const controller2 = new AbortController();
  setTimeout(() => controller2.abort(), 10);
  const begin = Date.now();
  await runSteps([never], { trail: [] }, { signal: controller2.signal, abortGraceMs: 20, abandonedWaitMs: 100 }).catch(() => {});
  assert.ok(Date.now() - begin < 1000);
});

test('keepFilesOnError is passed to cleanups only when the build failed', async () => {
  const seen: boolean[] = [];
  const s = step('a', { cleanup: async (_c, info) => void seen.push(info.keepFiles) });
  await runSteps([s], { trail: [] }, { signal: new AbortController().signal, keepFilesOnError: true });
  await rejection(runSteps([s, step('x', { run: async () => Promise.reject(new Error('x')) })], { trail: [] }, { signal: new AbortController().signal, keepFilesOnError: true }));
  assert.equal(seen, [false, true]);
});

test('an already-aborted signal runs nothing', async () => {
  const ctx: Ctx = { trail: [] };
  const controller = new AbortController();
  controller.abort();
  assert.instance(await rejection(runSteps([step('a')], ctx, { signal: controller.signal })), CancelledError);
  assert.equal(ctx.trail, []);
});

test.run();
