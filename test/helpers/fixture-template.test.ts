// The fixture template the installer e2e builds share: valid as written, and its
// VirtualBox form is the same build but for the hypervisor and the outputs.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fixtureTemplate, MOTD, SERVED, virtualboxFixture, writeFixtureProject } from './fixture-template.js';
import { runKiln } from './run-kiln.js';

test('both forms validate with kiln validate, and differ only in hypervisor and outputs', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-fixture-template-'));
  try {
    for (const [form, t] of [['qemu', fixtureTemplate('fx')], ['virtualbox', virtualboxFixture('fx')]] as const) {
      await writeFixtureProject(join(dir, form), t);
      const run = await runKiln(['validate', 'kiln.yaml', '--var', `iso=${join(dir, form, 'files', 'motd')}`], { cwd: join(dir, form) });
      assert.is(run.code, 0, `${form}: ${run.stderr}`);
    }
    assert.is(await readFile(join(dir, 'qemu', 'files', 'motd'), 'utf8'), MOTD);
    assert.is(await readFile(join(dir, 'qemu', 'http', 'served.txt'), 'utf8'), SERVED);
    const { hypervisor, output, ...rest } = virtualboxFixture('fx');
    const { hypervisor: none, output: qemuOutput, ...qemuRest } = fixtureTemplate('fx');
    assert.equal(rest, qemuRest);
    assert.equal([hypervisor, none], ['virtualbox', undefined]);
    assert.equal([output.formats, qemuOutput.formats], [['qcow2', 'ova'], ['qcow2', 'raw']]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the command fixtures/virtualbox-manual-e2e.sh runs writes the VirtualBox project', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-fixture-template-'));
  try {
    const script = new URL('./fixture-template.js', import.meta.url).pathname;
    await promisify(execFile)(process.execPath, [script, 'virtualbox', 'vboxcheck', dir]);
    const yaml = await readFile(join(dir, 'kiln.yaml'), 'utf8');
    assert.match(yaml, /^name: vboxcheck\nhypervisor: virtualbox\n/);
    assert.is(await readFile(join(dir, 'http', 'served.txt'), 'utf8'), SERVED);
    const usage = await promisify(execFile)(process.execPath, [script, 'qemu']).then(() => 0, (e: { code: number }) => e.code);
    assert.is(usage, 2);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
