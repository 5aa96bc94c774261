// The shutdown step against a fake VM and session: the command over SSH, the power
// button without one, and the escalation when the guest does not stop.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { BuildContext } from '../../lib/builder/context.js';
import { shutdown, type ShutdownOptions } from '../../lib/builder/steps/shutdown.js';
import { memoryLog } from '../../lib/log/log.js';
import type { ExecOptions, ExecResult } from '../../lib/ssh/session.js';
import { fakeBuildVm, type FakeBuildVm } from '../fakes/build-vm.js';

const SSH = { username: 'u', password: 'secret', port: 22, timeout_ms: 1000 };

function fakeSession(onExec: (command: string, options: ExecOptions) => Partial<ExecResult>) {
  const execs: { command: string; stdin?: string }[] = [];
  let closed = 0;
  return {
    execs,
    closed: () => closed,
    exec: async (command: string, options: ExecOptions = {}) => {
      execs.push({ command, ...(options.stdin !== undefined ? { stdin: options.stdin } : {}) });
      return { exitCode: 0, disconnected: false, stdoutTail: [], stderrTail: [], ...onExec(command, options) };
    },
    close: async () => void closed++,
  };
}

async function run(options: ShutdownOptions, vm: FakeBuildVm, session?: ReturnType<typeof fakeSession>) {
  const log = memoryLog();
  const events: Record<string, unknown>[] = [];
  const ctx = { vm, ssh: session, log, emit: (e: Record<string, unknown>) => events.push(e) } as unknown as BuildContext;
  await shutdown(options).run(ctx, new AbortController().signal);
  return { log, ctx, events };
}

test('the shutdown command runs over SSH (sudo -S gets the password on stdin), the session is closed, the VM stops', async () => {
  const vm = fakeBuildVm();
  const session = fakeSession(() => (setTimeout(() => vm.stop(), 20), { disconnected: true, exitCode: null }));
  const { ctx } = await run({ command: 'echo x | sudo -S shutdown -P now', timeoutMs: 2000, ssh: SSH }, vm, session);
  assert.equal(session.execs, [{ command: 'echo x | sudo -S shutdown -P now', stdin: 'secret\n' }]);
  assert.is(session.closed(), 1);
  assert.is(ctx.ssh, undefined);
  assert.equal(vm.calls, ['waitForExit 2000']);
});

test('a failing shutdown command is a warning; the wait decides', async () => {
  const vm = fakeBuildVm();
  const session = fakeSession(() => (setTimeout(() => vm.stop(), 20), { exitCode: 1, stderrTail: ['not allowed'] }));
  const { log } = await run({ command: 'shutdown -P now', timeoutMs: 2000, ssh: SSH }, vm, session);
  assert.ok(log.lines.includes('warn: shutdown command exited with 1: not allowed'), log.lines.join('\n'));
});

test('a memory checkpoint still being written: a VM that can hold its exit shuts down at once and reports how long it stayed', async () => {
  const order: string[] = [];
  const vm = Object.assign(fakeBuildVm(), {
    holdPowerOff: async () => (order.push('hold'), { lingered: Promise.resolve(420) }),
    stateWritten: () => (order.push('stateWritten'), Promise.resolve()),
  });
  const session = fakeSession(() => (order.push('command'), setTimeout(() => vm.stop(), 20), { disconnected: true, exitCode: null }));
  const { events } = await run({ command: 'shutdown -P now', timeoutMs: 2000, ssh: SSH }, vm, session);
  assert.equal(order, ['hold', 'command'], 'the shutdown waited for the state first');
  assert.equal(events, [{ type: 'wait', kind: 'checkpoint', target: 'the last memory checkpoint', ms: 420 }]);
});

test('a memory checkpoint still being written: a VM that cannot hold its exit waits for it before the shutdown command', async () => {
  const order: string[] = [];
  const vm = Object.assign(fakeBuildVm(), {
    holdPowerOff: async () => (order.push('hold'), undefined),
    stateWritten: () => new Promise<void>((resolve) => setTimeout(() => (order.push('written'), resolve()), 120)),
  });
  const session = fakeSession(() => (order.push('command'), setTimeout(() => vm.stop(), 20), { disconnected: true, exitCode: null }));
  const { events } = await run({ command: 'shutdown -P now', timeoutMs: 2000, ssh: SSH }, vm, session);
  assert.equal(order, ['hold', 'written', 'command']);
  assert.is(events.length, 1);
  assert.ok(Number(events[0]!.ms) >= 100 && events[0]!.kind === 'checkpoint', JSON.stringify(events));
});

test('without a command: the ACPI power button; with ssh: none only a wait', async () => {
  const pressed = fakeBuildVm();
  await run({ command: null, timeoutMs: 2000, ssh: SSH }, pressed, fakeSession(() => ({})));
  assert.equal(pressed.calls, ['powerdown', 'waitForExit 2000']);
  const alone = fakeBuildVm();
  setTimeout(() => alone.stop(), 20);
  const { log } = await run({ command: null, timeoutMs: 2000, ssh: null }, alone);
  assert.equal(alone.calls, ['waitForExit 2000']);
  assert.match(log.lines.join('\n'), /waiting up to 2.0s for the guest to power itself off/);
});

test('a guest that ignores everything: power button after the timeout, then the VM is stopped, saying so', async () => {
  const vm = fakeBuildVm({ stopsAfterPowerdownMs: 'never' });
  const { log } = await run({ command: null, timeoutMs: 30, ssh: SSH, acpiGraceMs: 30 }, vm, fakeSession(() => ({})));
  assert.equal(vm.calls, ['powerdown', 'waitForExit 30', 'powerdown', 'waitForExit 30', 'kill']);
  assert.match(log.lines.join('\n'), /ignored the ACPI power button; stopping FakeVM \(the disk may not have been synced\)/);
});

test.run();
