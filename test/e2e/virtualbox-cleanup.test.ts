// A VirtualBox build interrupted (Ctrl-C) or failing at each stage leaves nothing
// registered in VirtualBox and no work dir: the build runs in-process (runBuild, as
// `kiln build` calls it) against the fake VBoxManage, and is aborted when the fake
// has seen a given call or a given step has started, or made to fail through one of
// the fake's failure hooks.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadForBuild } from '../../lib/builder/load-for-build.js';
import { runBuild } from '../../lib/builder/run-build.js';
import { CancelledError, KilnError } from '../../lib/errors.js';
import type { BuildEvent } from '../../lib/builder/events.js';
import { sleep } from '../../lib/util/sleep.js';
import type { FakeConfig, FakeState } from '../fakes/vboxmanage/state.js';
import { rejection } from '../helpers/rejection.js';
import { setup, teardown } from '../helpers/virtualbox-build.js';

type Trigger = { call: (argv: string[]) => boolean } | { step: string };

async function build(name: string, options: { abortOn?: Trigger; fail?: FakeConfig['fail']; delay?: FakeConfig['delay'] }) {
  const s = await setup(name);
  const controller = new AbortController();
  let watching = true;
  const calls = () => s.fake.state().calls.map((c) => c.argv);
  try {
    if (options.fail) s.fake.configure({ fail: options.fail });
    if (options.delay) s.fake.configure({ delay: options.delay });
    const trigger = options.abortOn;
    if (trigger && 'call' in trigger) {
      void (async () => {
        while (watching && !controller.signal.aborted) {
          if (calls().some(trigger.call)) controller.abort();
          await sleep(20);
        }
      })();
    }
    // defaultVBoxManageBinary() reads it when the VM is started.
    process.env.KILN_VBOXMANAGE = s.fake.binary;
    const template = await loadForBuild(join(s.dir, 'kiln.yaml'), { vars: { iso: s.iso } });
    const buildOptions = { force: false, onError: 'cleanup' as const, cacheDir: join(s.dir, 'cache'), kilnVersion: 'test', templateSha256: '0' };
    let stopped: string | undefined;
    const sink = (event: BuildEvent) => {
      // Aborted a moment after the step started, so that it is under way.
      if (event.type === 'step-started' && trigger && 'step' in trigger && event.step === trigger.step) setTimeout(() => controller.abort(), 50);
      if (event.type === 'step-finished' && event.status !== 'ok' && event.status !== 'skipped') stopped ??= event.step;
    };
    const error = await rejection(runBuild(template, buildOptions, sink, controller.signal));
    const state: FakeState = s.fake.state();
    return { error, stopped, state, workDirLeft: existsSync(join(s.dir, 'out', name, '.kiln-work')), calls: state.calls.map((c) => c.argv) };
  } finally {
    watching = false;
    delete process.env.KILN_VBOXMANAGE;
    await teardown(s);
  }
}

function assertClean(result: Awaited<ReturnType<typeof build>>, what: string) {
  assert.equal(result.state.vms.map((vm) => vm.name), [], `${what}: a VM is still registered`);
  assert.equal(result.state.media.map((m) => m.path), [], `${what}: a disk is still registered`);
  assert.not.ok(result.workDirLeft, `${what}: the work dir was left`);
}

/** When to press Ctrl-C, the step that must be the one interrupted, and what keeps that step busy meanwhile. */
const INTERRUPTS: [string, Trigger, string, FakeConfig['delay']?][] = [
  ['createvm has registered the VM', { call: (a) => a[0] === 'createvm' }, 'start-vm'],
  ['the disk was created', { call: (a) => a[0] === 'createmedium' }, 'start-vm'],
  // startvm is the step's last call: a slow VBoxManage keeps the step on it, as a loaded host does.
  ['the VM was started', { call: (a) => a[0] === 'startvm' }, 'start-vm', [{ command: 'startvm', ms: 1500, when: 'after' }]],
  ['typing the boot command', { call: (a) => a[2] === 'keyboardputscancode' }, 'boot-command'],
  ['waiting for SSH', { step: 'wait-ssh' }, 'wait-ssh'],
  ['provisioning', { step: 'provision' }, 'provision'],
  ['shutting down', { step: 'shutdown' }, 'shutdown'],
  ['exporting', { call: (a) => a[0] === 'export' }, 'export'],
];

INTERRUPTS.forEach(([when, trigger, step, delay], i) => {
  test(`Ctrl-C when ${when}: cancelled, nothing left registered`, async () => {
    const result = await build(`vboxint${i}`, { abortOn: trigger, ...(delay ? { delay } : {}) });
    assert.instance(result.error, CancelledError, `${when}: ${result.error.message}`);
    assert.is(result.stopped, step);
    assertClean(result, when);
  });
});

const FAILURES: [string, NonNullable<FakeConfig['fail']>[number], string][] = [
  ['modifyvm (defining the VM)', { command: 'modifyvm', message: 'Invalid machine state: PoweredOff (must be Running)' }, 'start-vm'],
  ['startvm', { command: 'startvm', message: 'The virtual machine has terminated unexpectedly during startup' }, 'start-vm'],
  ['keyboardputscancode', { command: 'controlvm', subcommand: 'keyboardputscancode', message: 'Keyboard is not available' }, 'boot-command'],
  ['export', { command: 'export', message: 'Could not create the exported medium (VERR_DISK_FULL)' }, 'export'],
];

FAILURES.forEach(([what, rule, step], i) => {
  test(`VirtualBox failing at ${what}: the build fails with its error, nothing left registered`, async () => {
    const result = await build(`vboxfail${i}`, { fail: [rule] });
    assert.instance(result.error, KilnError);
    assert.not.instance(result.error, CancelledError);
    assert.ok(result.error.message.includes(rule.message), result.error.message);
    assert.is(result.stopped, step);
    assertClean(result, what);
  });
});

test.run();
