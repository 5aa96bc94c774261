import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FileFollower } from '../../lib/console/file-follower.js';

test('follows a growing file line by line, waits for it to exist, and flushes the rest on stop', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-follow-'));
  const file = join(dir, 'serial.log');
  const lines: string[] = [];
  const follower = new FileFollower(file, (l) => lines.push(l), { pollMs: 10, partialAfterMs: 10_000 });
  try {
    follower.start();
    await delay(30); // no file yet: nothing happens
    await writeFile(file, 'first\nsec');
    await delay(50);
    assert.equal(lines, ['first']);
    await appendFile(file, 'ond\n\u00e9t\u00e9 ');
    await delay(50);
    assert.equal(lines, ['first', 'second']);
    await appendFile(file, Buffer.from([0xe2, 0x9c])); // half of a UTF-8 "✓"
    await delay(30);
    await appendFile(file, Buffer.from([0x93]));
    await follower.stop();
    assert.equal(lines, ['first', 'second', 'été ✓']);
  } finally {
    await follower.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

test('an unfinished line (a prompt) is passed on after a quiet moment', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-follow-'));
  const file = join(dir, 'serial.log');
  const lines: string[] = [];
  await writeFile(file, 'ISOLINUX 6.04\r\nboot: ');
  const follower = new FileFollower(file, (l) => lines.push(l), { pollMs: 10, partialAfterMs: 50 });
  try {
    follower.start();
    await delay(150);
    assert.equal(lines, ['ISOLINUX 6.04\r', 'boot: ']);
    await appendFile(file, 'install\r\n');
    await delay(50);
    assert.equal(lines.slice(2), ['install\r']);
  } finally {
    await follower.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
