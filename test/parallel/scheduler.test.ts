// The scheduler with fake builds: the queue, failures, --fail-fast, Ctrl-C and cleanup.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CancelledError } from '../../lib/errors.js';
import { runQueued, type QueuedBuild } from '../../lib/parallel/scheduler.js';

/** A fake build: finishes when its gate opens (ok or failing); on abort it "cleans up" and ends cancelled. */
function fakeBuild(name: string, log: string[]) {
  let finish!: (ok: boolean) => void;
  const gate = new Promise<boolean>((resolve) => (finish = resolve));
  const build: QueuedBuild<string> = {
    name,
    run: (signal) =>
      new Promise<string>((resolve, reject) => {
        log.push(`start ${name}`);
        const onAbort = () => {
          log.push(`cleanup ${name}`);
          reject(new CancelledError());
        };
        signal.addEventListener('abort', onAbort, { once: true });
        void gate.then((ok) => {
          signal.removeEventListener('abort', onAbort);
          log.push(`end ${name}`);
          if (ok) resolve(`${name}.qcow2`);
          else reject(new Error(`${name} broke`));
        });
      }),
  };
  return { build, finish };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('at most N run at once; the rest start, in order, as others end', async () => {
  const log: string[] = [];
  const builds = ['a', 'b', 'c', 'd'].map((n) => fakeBuild(n, log));
  const done = runQueued(builds.map((b) => b.build), { parallel: 2, failFast: false, signal: new AbortController().signal });
  await tick();
  assert.equal(log, ['start a', 'start b']);
  builds[1]!.finish(true);
  await tick();
  assert.equal(log, ['start a', 'start b', 'end b', 'start c']);
  builds[0]!.finish(true);
  builds[2]!.finish(true);
  await tick();
  builds[3]!.finish(true);
  const outcomes = await done;
  assert.equal(outcomes.map((o) => [o.name, o.status, o.result]), [['a', 'ok', 'a.qcow2'], ['b', 'ok', 'b.qcow2'], ['c', 'ok', 'c.qcow2'], ['d', 'ok', 'd.qcow2']]);
});

test('a failure does not stop the others; with failFast it stops the running ones and starts no more', async () => {
  for (const failFast of [false, true]) {
    const log: string[] = [];
    const builds = ['a', 'b', 'c'].map((n) => fakeBuild(n, log));
    const done = runQueued(builds.map((b) => b.build), { parallel: 2, failFast, signal: new AbortController().signal });
    await tick();
    builds[0]!.finish(false);
    await tick();
    if (!failFast) {
      builds[1]!.finish(true);
      await tick();
      builds[2]!.finish(true);
    }
    const outcomes = await done;
    const statuses = outcomes.map((o) => o.status);
    if (failFast) {
      assert.equal(statuses, ['failed', 'cancelled', 'not-started']);
      assert.ok(log.includes('cleanup b'), 'the running build cleaned up');
      assert.not.ok(log.includes('start c'));
    } else {
      assert.equal(statuses, ['failed', 'ok', 'ok']);
    }
    assert.match(String((outcomes[0]!.error as Error).message), 'a broke');
  }
});

test('the caller\'s abort (Ctrl-C) stops every running build, each cleaning up, and starts none of the queued', async () => {
  const log: string[] = [];
  const builds = ['a', 'b', 'c'].map((n) => fakeBuild(n, log));
  const controller = new AbortController();
  const finished: string[] = [];
  const done = runQueued(builds.map((b) => b.build), { parallel: 2, failFast: false, signal: controller.signal, onFinished: (o) => finished.push(`${o.name}:${o.status}`) });
  await tick();
  controller.abort();
  const outcomes = await done;
  assert.equal(outcomes.map((o) => o.status), ['cancelled', 'cancelled', 'not-started']);
  assert.equal(log.filter((l) => l.startsWith('cleanup')).sort(), ['cleanup a', 'cleanup b']);
  assert.equal(finished.sort(), ['a:cancelled', 'b:cancelled']);
});

test('an already aborted signal starts nothing; parallel is at least 1', async () => {
  const log: string[] = [];
  const controller = new AbortController();
  controller.abort();
  const outcomes = await runQueued([fakeBuild('a', log).build], { parallel: 4, failFast: false, signal: controller.signal });
  assert.equal(outcomes.map((o) => o.status), ['not-started']);
  const one = fakeBuild('b', log);
  const running = runQueued([one.build], { parallel: 0, failFast: false, signal: new AbortController().signal });
  await tick();
  one.finish(true);
  assert.is((await running)[0]!.status, 'ok');
});

test.run();
