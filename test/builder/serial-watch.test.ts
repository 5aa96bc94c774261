// SerialWatch reads serial.log as a stream: a wait matches only what came after the
// previous match, including text that arrives in pieces while it waits.
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REGEX_BUDGET_MS, SERIAL_WINDOW, SerialWatch } from '../../lib/builder/serial-watch.js';
import { kilnRejection } from '../helpers/rejection.js';

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
    const error = await kilnRejection(watch.waitFor('login:', { timeoutMs: 100, pollMs: 20 }));
    assert.match(error.message, /timed out waiting for the serial console to print "login:"/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a plain string split by UTF-8 bytes across reads still matches', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-serial-watch-'));
  const log = join(dir, 'serial.log');
  try {
    const watch = new SerialWatch(log);
    const bytes = Buffer.from('Anmeldung für debian: ', 'utf8');
    const split = bytes.indexOf(0xc3) + 1; // inside "ü"
    await writeFile(log, bytes.subarray(0, split));
    const waiting = watch.waitFor('für debian:', { timeoutMs: 3000, pollMs: 20 });
    setTimeout(() => void appendFile(log, bytes.subarray(split)), 60);
    assert.is(await waiting, 'für debian:');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a catastrophic regex fails the wait with a clear error within its budget, not at the wait\'s timeout', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-serial-watch-'));
  const log = join(dir, 'serial.log');
  try {
    await writeFile(log, `${'a'.repeat(5000)}b\n`);
    const begin = Date.now();
    const error = await kilnRejection(new SerialWatch(log).waitFor(/^(a+)+$/, { timeoutMs: 60_000, pollMs: 20 }));
    assert.is(error.code, 'E_BOOT');
    assert.match(error.message, new RegExp(`took more than ${REGEX_BUDGET_MS} ms`));
    assert.match(error.hint ?? '', /nested quantifiers/);
    assert.ok(Date.now() - begin < 10_000, 'the wait ran on towards its timeout');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('unmatched output is kept to a window: a pattern never searches more than SERIAL_WINDOW characters', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-serial-watch-'));
  const log = join(dir, 'serial.log');
  try {
    // The only "needle" is older than the window: it is not found; a new one is.
    await writeFile(log, `needle${'x'.repeat(SERIAL_WINDOW)}`);
    const watch = new SerialWatch(log);
    await kilnRejection(watch.waitFor(/needle/, { timeoutMs: 60, pollMs: 20 }), 'matched text older than the window');
    const again = watch.waitFor(/needle/, { timeoutMs: 3000, pollMs: 20 });
    setTimeout(() => void appendFile(log, 'needle'), 40);
    assert.is(await again, 'needle');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
