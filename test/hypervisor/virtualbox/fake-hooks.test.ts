// The fake VBoxManage's own machinery that tests lean on: its state lock (a holder
// kiln killed must not stall later calls; a live one must not be robbed) and the hold
// hook that lets a test act while a call is certainly under way.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { installFakeVBoxManage, type FakeVBox } from '../../fakes/vboxmanage/install.js';

const fakes: FakeVBox[] = [];
function fake(): FakeVBox {
  const f = installFakeVBoxManage();
  fakes.push(f);
  return f;
}

/** The executable, as kiln runs it: its exit code and signal once it ends. */
function call(f: FakeVBox, ...args: string[]) {
  const child = spawn(f.binary, args, { stdio: 'ignore' });
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.on('exit', (code) => resolve({ code, at: Date.now() })));
  return { child, exited };
}

const createvm = (f: FakeVBox, name: string) => ['createvm', '--name', name, '--basefolder', join(f.dir, 'vms'), '--register'];

/** A lock directory as a holder leaves it. */
function lockAs(f: FakeVBox, pid: number): void {
  mkdirSync(`${f.statePath}.lock`);
  writeFileSync(join(`${f.statePath}.lock`, 'pid'), String(pid));
}

test('a lock whose holder was killed is taken over at once', async () => {
  const f = fake();
  lockAs(f, spawnSync('true').pid!); // a process that has ended
  const begin = Date.now();
  assert.is((await call(f, ...createvm(f, 'vm')).exited).code, 0);
  // It used to wait until the lock was 10 s old.
  assert.ok(Date.now() - begin < 5_000, `took ${Date.now() - begin} ms`);
  assert.equal(f.registered(), ['vm']);
});

test('a lock whose holder lives is waited for, not taken', async () => {
  const f = fake();
  lockAs(f, process.pid);
  const { exited } = call(f, ...createvm(f, 'vm'));
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(f.registered(), [], 'the call went ahead under a live holder');
  const released = Date.now();
  rmSync(`${f.statePath}.lock`, { recursive: true });
  const { code, at } = await exited;
  assert.is(code, 0);
  assert.ok(at >= released);
  assert.equal(f.registered(), ['vm']);
});

test('hold before: the call does nothing until released', async () => {
  const f = fake();
  f.configure({ hold: [{ command: 'createvm', when: 'before' }] });
  const { exited } = call(f, ...createvm(f, 'vm'));
  assert.equal(await f.held(), createvm(f, 'vm'));
  assert.equal(f.registered(), []);
  f.release();
  assert.is((await exited).code, 0);
  assert.equal(f.registered(), ['vm']);
  // Only the first matching call is held.
  assert.is((await call(f, ...createvm(f, 'vm2')).exited).code, 0);
});

test('hold after: the work is done, the call has not returned; killed, it ends at once', async () => {
  const f = fake();
  f.configure({ hold: [{ command: 'createvm', when: 'after' }] });
  const { child, exited } = call(f, ...createvm(f, 'vm'));
  await f.held();
  assert.equal(f.registered(), ['vm']);
  child.kill('SIGTERM');
  assert.is((await exited).code, 143);
  f.release();
});

test.after(() => fakes.forEach((f) => f.remove()));

test.run();
