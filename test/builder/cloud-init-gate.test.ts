// The login hold of builds with a cloud-init seed, read from a serial log as QEMU writes
// it: held while cloud-init runs, released when it finishes or after the limit.
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CloudInitLoginGate } from '../../lib/builder/cloud-init-gate.js';
import { memoryLog } from '../../lib/log/log.js';

const RUNNING = "cloud-init[231]: Cloud-init v. 22.4.2 running 'init' at Mon, 07 Dec 2026 18:13:20 +0000. Up 52.1 seconds.\r\n";
const FINISHED = 'cloud-init[433]: Cloud-init v. 22.4.2 finished at Mon, 07 Dec 2026 18:14:05 +0000. Datasource DataSourceNoCloud.  Up 83.95 seconds\r\n';

async function withSerial(run: (serial: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-gate-'));
  try {
    await run(join(dir, 'serial.log'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('no serial log yet, or no cloud-init lines: never held', () =>
  withSerial(async (serial) => {
    const gate = new CloudInitLoginGate(serial, memoryLog());
    assert.is(await gate.holding(), false);
    await writeFile(serial, 'Booting from Hard Disk...\r\ndebian login: ');
    assert.is(await gate.holding(), false);
  }));

test('held from the first stage to the finish, each said once; a reboot holds again', () =>
  withSerial(async (serial) => {
    const log = memoryLog();
    const gate = new CloudInitLoginGate(serial, log);
    await writeFile(serial, RUNNING);
    assert.is(await gate.holding(), true);
    assert.is(await gate.holding(), true);
    assert.match(gate.note(), /never printed that it finished/);
    await appendFile(serial, FINISHED);
    assert.is(await gate.holding(), false);
    assert.is(gate.note(), '');
    await appendFile(serial, `[    0.0] Linux version 6.1.0\r\n${RUNNING}`);
    assert.is(await gate.holding(), true);
    assert.equal(
      log.lines.map((l) => l.replace(/after \S+ of/, 'after T of')),
      [
        'info: cloud-init is running (serial console): the login waits until it prints that it finished, so it neither slows nor races its modules',
        'info: cloud-init finished (serial console) after T of holding the login; logging in',
        'info: cloud-init is running (serial console): the login waits until it prints that it finished, so it neither slows nor races its modules',
      ],
    );
  }));

test('a cloud-init that never prints its finish is held no longer than the limit', () =>
  withSerial(async (serial) => {
    let now = 1_000;
    const log = memoryLog();
    const gate = new CloudInitLoginGate(serial, log, 60_000, () => now);
    await writeFile(serial, RUNNING);
    assert.is(await gate.holding(), true);
    now += 59_999;
    assert.is(await gate.holding(), true);
    now += 1;
    assert.is(await gate.holding(), false);
    assert.is(await gate.holding(), false);
    assert.is(gate.note(), '');
    assert.match(log.lines.at(-1)!, /has run 1m without printing that it finished: logging in \(wait-cloud-init asks it\)/);
  }));

test.run();
