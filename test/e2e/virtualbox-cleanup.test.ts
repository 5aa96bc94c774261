// A VirtualBox build interrupted (Ctrl-C) or failing at each stage leaves nothing
// registered in VirtualBox and no work dir: the build runs in-process (runBuild, as
// `kiln build` calls it) against the fake VBoxManage, and is aborted at a point the
// fakes report (a VBoxManage call the fake holds until then, or what the guest sees
// over SSH), never after a guessed delay, or made to fail through one of the fake's
// failure hooks.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadForBuild } from '../../lib/builder/load-for-build.js';
import { runBuild } from '../../lib/builder/run-build.js';
import { CancelledError, KilnError } from '../../lib/errors.js';
import type { BuildEvent } from '../../lib/builder/events.js';
import type { GuestEvent } from '../fakes/vboxmanage/guest-sshd.js';
import type { HoldRule } from '../fakes/vboxmanage/hold.js';
import type { FakeConfig, FakeState } from '../fakes/vboxmanage/state.js';
import { rejection } from '../helpers/rejection.js';
import { setup, teardown } from '../helpers/virtualbox-build.js';

/** When Ctrl-C is pressed: while the fake holds a VBoxManage call, or when the guest sees something over SSH. */
type Trigger = { hold: HoldRule } | { guest: (event: GuestEvent) => boolean };

async function build(name: string, options: { abortOn?: Trigger; fail?: FakeConfig['fail'] }) {
  const s = await setup(name);
  const controller = new AbortController();
  const trigger = options.abortOn;
  let unsubscribe = () => {};
  try {
    if (options.fail) s.fake.configure({ fail: options.fail });
    if (trigger && 'hold' in trigger) {
      s.fake.configure({ hold: [trigger.hold] });
      // kiln then kills the held call; teardown releases it if it did not.
      s.fake.held().then(() => controller.abort(), () => {});
    }
    if (trigger && 'guest' in trigger) unsubscribe = s.sshd.onEvent((event) => void (trigger.guest(event) && controller.abort()));
    // defaultVBoxManageBinary() reads it when the VM is started.
    process.env.KILN_VBOXMANAGE = s.fake.binary;
    const template = await loadForBuild(join(s.dir, 'kiln.yaml'), { vars: { iso: s.iso } });
    const buildOptions = { force: false, onError: 'cleanup' as const, cacheDir: join(s.dir, 'cache'), kilnVersion: 'test', templateSha256: '0' };
    let stopped: string | undefined;
    const sink = (event: BuildEvent) => {
      if (event.type === 'step-finished' && event.status !== 'ok' && event.status !== 'skipped') stopped ??= event.step;
    };
    const error = await rejection(runBuild(template, buildOptions, sink, controller.signal));
    const state: FakeState = s.fake.state();
    return { error, stopped, state, workDirLeft: existsSync(join(s.dir, 'out', name, '.kiln-work')), calls: state.calls.map((c) => c.argv) };
  } finally {
    unsubscribe();
    delete process.env.KILN_VBOXMANAGE;
    await teardown(s);
  }
}

function assertClean(result: Awaited<ReturnType<typeof build>>, what: string) {
  assert.equal(result.state.vms.map((vm) => vm.name), [], `${what}: a VM is still registered`);
  assert.equal(result.state.media.map((m) => m.path), [], `${what}: a disk is still registered`);
  assert.not.ok(result.workDirLeft, `${what}: the work dir was left`);
}

/** When to press Ctrl-C, and the step that must be the one interrupted. */
const INTERRUPTS: [string, Trigger, string][] = [
  // Held after its work: the VM is registered, but kiln has not heard back from createvm.
  ['createvm has registered the VM', { hold: { command: 'createvm', when: 'after' } }, 'start-vm'],
  ['the disk was created', { hold: { command: 'createmedium', when: 'after' } }, 'start-vm'],
  // The VM runs, and the step is still on startvm (a slow VBoxManage on a loaded host).
  ['the VM was started', { hold: { command: 'startvm', when: 'after' } }, 'start-vm'],
  ['typing the boot command', { hold: { command: 'controlvm', subcommand: 'keyboardputscancode', when: 'before' } }, 'boot-command'],
  // Only wait-ssh connects; the guest is up or not yet, either way the login is under way.
  ['waiting for SSH', { guest: (e) => e.kind === 'connection' }, 'wait-ssh'],
  // The first upload or command after the login is the first provisioner's.
  ['provisioning', { guest: (e) => e.kind === 'sftp' || e.kind === 'exec' }, 'provision'],
  ['shutting down', { guest: (e) => e.kind === 'exec' && e.command.startsWith('sudo shutdown') }, 'shutdown'],
  // The export step's OVA; the box's export comes later, in vagrant-box.
  ['exporting', { hold: { command: 'export', when: 'before' } }, 'export'],
];

INTERRUPTS.forEach(([when, trigger, step], i) => {
  test(`Ctrl-C when ${when}: cancelled, nothing left registered`, async () => {
    const result = await build(`vboxint${i}`, { abortOn: trigger });
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
