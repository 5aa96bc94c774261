// The runner's failure hook: runs before any cleanup (so a screenshot sees the VM
// still running), and its decision retries the step, cleans up, or keeps files.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CancelledError, KilnError } from '../../lib/errors.js';
import { runSteps } from '../../lib/pipeline/runner.js';
import type { CleanupInfo, FailureDecision, Step } from '../../lib/pipeline/step.js';
import { rejection } from '../helpers/rejection.js';

type Ctx = { trail: string[]; failuresLeft: number };

const step = (name: string): Step<Ctx> => ({
  name,
  run: async (ctx) => void ctx.trail.push(`run ${name}`),
  cleanup: async (ctx, info) => void ctx.trail.push(`cleanup ${name}${info.keepFiles ? ' (keep files)' : ''}`),
});

/** Fails while ctx.failuresLeft > 0. */
const flaky: Step<Ctx> = {
  name: 'flaky',
  run: async (ctx) => {
    ctx.trail.push('run flaky');
    if (ctx.failuresLeft-- > 0) throw new KilnError('E_PROVISION', 'flaky failed');
  },
  cleanup: async (ctx) => void ctx.trail.push('cleanup flaky'),
};

async function run(failures: number, decide: (attempt: number) => FailureDecision | undefined, signal = new AbortController().signal) {
  const ctx: Ctx = { trail: [], failuresLeft: failures };
  const asked: string[] = [];
  let attempt = 0;
  const started: string[] = [];
  let error: unknown;
  try {
    await runSteps([step('a'), flaky, step('c')], ctx, {
      signal,
      stepStarted: (name) => started.push(name),
      stepFailed: async (name, e) => {
        asked.push(`${name}: ${(e as Error).message}`);
        ctx.trail.push('asked');
        return decide(++attempt);
      },
    });
  } catch (e) {
    error = e;
  }
  return { trail: ctx.trail, asked, error, started };
}

test('the hook runs after the failure and before every cleanup', async () => {
  const { trail, asked, error } = await run(1, () => undefined);
  assert.equal(trail, ['run a', 'run flaky', 'asked', 'cleanup flaky', 'cleanup a']);
  assert.equal(asked, ['flaky: flaky failed']);
  assert.match((error as Error).message, /flaky failed/);
});

test("'retry' runs the failed step again; the build goes on when it then succeeds", async () => {
  const { trail, error, started } = await run(2, () => 'retry');
  assert.is(error, undefined);
  assert.equal(trail, ['run a', 'run flaky', 'asked', 'run flaky', 'asked', 'run flaky', 'run c', 'cleanup c', 'cleanup flaky', 'cleanup a']);
  assert.equal(started, ['a', 'flaky', 'flaky', 'flaky', 'c']);
});

test("'keep-files' cleans up with keepFiles; 'cleanup' without", async () => {
  const keep = await run(5, (n) => (n < 2 ? 'retry' : 'keep-files'));
  assert.equal(keep.trail, ['run a', 'run flaky', 'asked', 'run flaky', 'asked', 'cleanup flaky', 'cleanup a (keep files)']);
  const clean = await run(5, () => 'cleanup');
  assert.equal(clean.trail.slice(-2), ['cleanup flaky', 'cleanup a']);
});

test('a cancel while the hook waits wins over its answer; cancelled steps never reach the hook', async () => {
  const controller = new AbortController();
  const ctx: Ctx = { trail: [], failuresLeft: 1 };
  const infos: CleanupInfo[] = [];
  const error = await rejection(
    runSteps([flaky, { name: 'x', run: async () => {}, cleanup: async (_c, info) => void infos.push(info) }], ctx, {
      signal: controller.signal,
      stepFailed: async () => {
        controller.abort();
        return 'retry';
      },
    }),
  );
  assert.instance(error, CancelledError);
  assert.equal(ctx.trail, ['run flaky', 'cleanup flaky']);

  let asked = false;
  const cancelled = new AbortController();
  const waiting: Step<Ctx> = {
    name: 'waiting',
    run: (_c, signal) => new Promise((_r, reject) => signal.addEventListener('abort', () => reject(new Error('saw abort')))),
  };
  setTimeout(() => cancelled.abort(), 10);
  await runSteps([waiting], ctx, { signal: cancelled.signal, stepFailed: async () => ((asked = true), undefined) }).catch(() => {});
  assert.is(asked, false);
});

test('a hook that throws counts as clean up', async () => {
  const ctx: Ctx = { trail: [], failuresLeft: 1 };
  const error = await rejection(
    runSteps([step('a'), flaky], ctx, {
      signal: new AbortController().signal,
      stepFailed: async () => {
        throw new Error('hook broke');
      },
    }),
  );
  assert.match(error.message, /flaky failed/);
  assert.equal(ctx.trail, ['run a', 'run flaky', 'cleanup flaky', 'cleanup a']);
});

test.run();
