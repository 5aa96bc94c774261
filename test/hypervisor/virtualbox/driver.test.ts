// The driver against the fake VBoxManage run as a program (execa, PATH-style binary),
// the way it runs against VirtualBox: a whole lifecycle and calls killed by Ctrl-C.
// driver-states.test.ts covers the rest in-process, where calls are cheaper.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { list as listTar } from 'tar';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CancelledError } from '../../../lib/errors.js';
import { createVirtualBoxVm, detectVBoxVersion, startVirtualBoxVm } from '../../../lib/hypervisor/virtualbox/create.js';
import { vboxManage } from '../../../lib/hypervisor/virtualbox/run.js';
import { planScancodeCalls } from '../../../lib/hypervisor/virtualbox/scancode-calls.js';
import { parseBootCommand } from '../../../lib/keyboard/parse.js';
import { memoryLog } from '../../../lib/log/log.js';
import { parsePpm } from '../../../lib/screen/frame.js';
import { decodePng } from '../../../lib/screen/png.js';
import { sleep } from '../../../lib/util/sleep.js';
import { typedCalls } from '../../fakes/vboxmanage/install.js';
import { callsOf, newFake, removeFakes, testSpec } from './spec-fixture.js';
import { kilnRejection, rejection } from '../../helpers/rejection.js';

test('a whole lifecycle on 7.0: define, start, type, screenshot, ACPI shutdown, export, unregister', async () => {
  const fake = newFake();
  const log = memoryLog();
  const spec = testSpec(fake);
  const vm = await startVirtualBoxVm({ spec, binary: fake.binary, log, pollIntervalMs: 100 });
  assert.is(vm.version.text, '7.0.14r161095');
  const defined = fake.vm(spec.name)!;
  assert.is(defined.state, 'running');
  assert.is(defined.settings.memory, '1024');
  assert.is(defined.settings.cpus, '2');
  assert.is(defined.settings.natlocalhostreachable1, 'on');
  assert.equal(defined.natRules, [{ nic: 1, rule: 'ssh,tcp,127.0.0.1,40022,,22' }]);
  assert.is(defined.settings.uartmode1, `file,${spec.serialLog}`);
  assert.equal(defined.attachments.map((a) => [a.controller, a.type]), [['SATA Controller', 'hdd'], ['IDE Controller', 'dvddrive']]);
  assert.ok(existsSync(spec.serialLog!), 'the serial file is opened at power-on');
  assert.ok(log.lines.some((l) => l.startsWith('debug: ') && l.includes('createvm --name')), 'commands go to the log');

  // Type a boot command the way the build will: planned calls, key_interval between them.
  const command = 'install ks=http://{{ .HTTPIP }}:8080/ks.cfg auto=true PRIORITY=critical<enter>'.replace('{{ .HTTPIP }}', '10.0.2.2');
  const steps = planScancodeCalls(parseBootCommand(command));
  for (const step of steps) {
    if (step.kind === 'scancodes') await vm.sendScancodes(step.bytes);
    await sleep(5);
  }
  assert.is(fake.vm(spec.name)!.typed, 'install ks=http://10.0.2.2:8080/ks.cfg auto=true PRIORITY=critical<enter>');
  assert.is(callsOf(fake, 'controlvm').filter((c) => c.argv[2] === 'keyboardputscancode').length, steps.length);
  assert.is(typedCalls(fake).map(([, t]) => t).join(''), fake.vm(spec.name)!.typed);
  await vm.sendKeyEvents(parseBootCommand('<leftCtrlOn>c<leftCtrlOff>').flatMap((a) => (a.kind === 'keys' ? a.events : [])));
  assert.match(fake.vm(spec.name)!.typed, /<leftCtrlOn>c<leftCtrlOff>$/);

  const ppm = join(fake.dir, 'screen.ppm');
  const png = join(fake.dir, 'screen.png');
  await vm.screendump(ppm);
  await vm.screendump(png, 'png');
  assert.equal([parsePpm(readFileSync(ppm)).width, decodePng(readFileSync(png)).width], [64, 64]);
  assert.is(existsSync(`${png}.vbox-partial.png`), false);

  assert.is(await vm.waitForExit(50), false);
  await vm.powerdown();
  assert.is(await vm.waitForExit(10_000), true);
  assert.equal(await vm.exited, { state: 'poweroff' });

  const out = join(fake.dir, 'out');
  mkdirSync(out);
  const ova = join(out, 'demo.ova');
  assert.equal(await vm.exportAppliance({ output: ova, manifest: true }), [ova]);
  const members: string[] = [];
  await listTar({ file: ova, onReadEntry: (e) => void members.push(e.path) });
  assert.equal(members, ['demo.ovf', 'demo-disk001.vmdk', 'demo.mf']);
  const files = await vm.exportAppliance({ output: join(out, 'box.ovf') });
  assert.equal(files.map((f) => f.slice(out.length + 1)), ['box.ovf', 'box-disk001.vmdk']);
  assert.ok(statSync(join(out, 'box-disk001.vmdk')).size > 0);
  assert.equal(readdirSync(out).sort(), ['box-disk001.vmdk', 'box.ovf', 'demo.ova'], 'no scratch folder left');

  await vm.destroy();
  assert.equal(fake.registered(), []);
  assert.equal(fake.state().media, []);
  assert.is(existsSync(spec.disk.path), false);
  assert.is(existsSync(join(spec.baseFolder, spec.name)), false);
  // Every call the driver made was accepted, apart from none.
  assert.equal(fake.state().calls.filter((c) => c.exit !== 0).map((c) => c.argv.join(' ')), []);
});

test('Ctrl-C while createmedium runs (VirtualBox finishes it): killed call, nothing left', async () => {
  const fake = newFake();
  // The disk exists, and the call is held in its tail until Ctrl-C kills it.
  fake.configure({ hold: [{ command: 'createmedium', when: 'after' }] });
  const spec = testSpec(fake);
  const controller = new AbortController();
  fake.held().then(() => controller.abort(), () => {});
  const started = Date.now();
  const error = await rejection(createVirtualBoxVm({ spec, binary: fake.binary, signal: controller.signal })).finally(() => fake.release());
  assert.ok(error instanceof CancelledError, String(error));
  assert.ok(Date.now() - started < 30_000);
  assert.equal(fake.registered(), []);
  assert.equal(fake.state().media, []);
  assert.is(existsSync(spec.disk.path), false);
});

test('Ctrl-C while startvm runs: the started VM is powered off and unregistered', async () => {
  const fake = newFake();
  // The VM runs, and startvm has not returned when Ctrl-C kills it.
  fake.configure({ hold: [{ command: 'startvm', when: 'after' }] });
  const spec = testSpec(fake);
  const controller = new AbortController();
  fake.held().then(() => controller.abort(), () => {});
  const error = await rejection(startVirtualBoxVm({ spec, binary: fake.binary, signal: controller.signal })).finally(() => fake.release());
  assert.ok(error instanceof CancelledError, String(error));
  assert.equal(fake.registered(), []);
  assert.ok(callsOf(fake, 'controlvm').some((c) => c.argv[2] === 'poweroff'));
});

test('VBoxManage missing: E_TOOL with an install hint', async () => {
  const error = await kilnRejection(detectVBoxVersion(vboxManage('/nonexistent/VBoxManage')));
  assert.is(error.code, 'E_TOOL');
  assert.match(error.message, /VBoxManage was not found/);
  assert.match(error.hint ?? '', /KILN_VBOXMANAGE/);
});

test.after(removeFakes);
test.run();
