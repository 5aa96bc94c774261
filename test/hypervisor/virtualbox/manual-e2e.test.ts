// The real-VirtualBox check (manual-e2e.ts) run against the fake, whose simulated
// guest plays the fixture installer: proves the check itself works, and is the
// closest the suite gets to a VirtualBox build end to end.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { VBoxManage } from '../../../lib/hypervisor/virtualbox/run.js';
import { inProcessVBoxManage } from '../../fakes/vboxmanage/in-process.js';
import { installFakeVBoxManage, type FakeVBox } from '../../fakes/vboxmanage/install.js';
import { runManualE2e } from './manual-e2e.js';

const fakes: FakeVBox[] = [];

async function check(version: string, wrap: (vbox: VBoxManage) => VBoxManage = (v) => v) {
  const fake = installFakeVBoxManage({ version, config: { guest: 'kiln-fixture', acpiDelayMs: 200 } });
  fakes.push(fake);
  const workDir = mkdtempSync(join(fake.dir, 'work-'));
  const iso = join(fake.dir, 'installer.iso');
  writeFileSync(iso, 'fixture ISO stand-in');
  const lines: string[] = [];
  const vbox = wrap(inProcessVBoxManage(fake));
  const problems = await runManualE2e({ iso, workDir, vbox, say: (l) => lines.push(l), installTimeoutMs: 20_000, pollIntervalMs: 100 });
  return { problems, lines, fake };
}

for (const version of ['7.0.14r161095', '6.1.50r161033', '7.1.4r165100']) {
  test(`passes against the fake ${version} with its simulated fixture installer`, async () => {
    const { problems, lines, fake } = await check(version);
    assert.equal(problems, [], lines.join('\n'));
    assert.ok(lines.some((l) => l.includes('PASSED')));
    assert.equal(fake.registered(), []);
    const typed = fake.state().calls.filter((c) => c.argv[2] === 'keyboardputscancode');
    assert.ok(typed.length > 3, 'typed in several calls');
  });
}

test('fails, and says why, when a 7.x guest cannot reach the host loopback', async () => {
  // As if a template's modifyvm turned the option back off after kiln's settings.
  const offAfterModify = (inner: VBoxManage): VBoxManage => ({
    ...inner,
    async run(args, options) {
      const result = await inner.run(args, options);
      if (args[0] === 'modifyvm') await inner.run(['modifyvm', args[1]!, '--nat-localhostreachable1', 'off']);
      return result;
    },
  });
  const { problems, lines, fake } = await check('7.0.14r161095', offAfterModify);
  assert.ok(problems.some((p) => /fetched the answer file/.test(p)), lines.join('\n'));
  assert.ok(problems.some((p) => /installer completed/.test(p)));
  assert.equal(fake.registered(), [], 'the VM is removed on failure too');
});

test.after(() => fakes.forEach((f) => f.remove()));
test.run();
