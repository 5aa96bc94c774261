// SerialWatch reads serial.log as a stream: a wait matches only what came after the
// previous match, including text that arrives in pieces while it waits.
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SerialWatch } from '../../lib/builder/serial-watch.js';
import { KilnError } from '../../lib/errors.js';

test('matches in order, never twice, across pieces written while waiting', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-serial-watch-'));
  const log = join(dir, 'serial.log');
  try {
    const watch = new SerialWatch(log);
    // Not there yet: the log appears, then the prompt arrives in two writes.
    const first = watch.waitFor(/log(in)?:/, { timeoutMs: 3000, pollMs: 20 });
    setTimeout(() => void writeFile(log, 'booting\ndebian lo'), 50);
    setTimeout(() => void appendFile(log, 'gin: '), 120);
    assert.is(await first, 'login:');
    // The first boot's prompt is behind the cursor: only the second one matches.
    const second = watch.waitFor('login:', { timeoutMs: 3000, pollMs: 20 });
    setTimeout(() => void appendFile(log, '\nreboot\ndebian login:'), 50);
    assert.is(await second, 'login:');
    const error = await watch.waitFor('login:', { timeoutMs: 100, pollMs: 20 }).then(() => undefined, (e: unknown) => e);
    assert.instance(error, KilnError);
    assert.match((error as Error).message, /timed out waiting for the serial console to print "login:"/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
