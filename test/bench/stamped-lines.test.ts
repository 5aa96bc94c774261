import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { followStamped, formatStamped, parseStamped, stampStream, type StampedLine } from '../../lib/bench/stamped-lines.js';
import { sleep } from '../../lib/util/sleep.js';

test('a followed serial log: each line once, in order, stamped no earlier than written, without CR or colours', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-stamped-'));
  try {
    const path = join(dir, 'serial.log');
    const origin = performance.now();
    const follow = followStamped(path, origin); // before QEMU creates the file
    await sleep(120);
    await writeFile(path, '[    0.000000] Linux version 6.1\r\n\x1b[0;32m  OK  \x1b[0m] Started');
    const second = performance.now() - origin;
    await sleep(150);
    await appendFile(path, ' ssh.service\r\nlogin: ');
    const lines = await follow.stop();
    assert.equal(lines.map((l) => l.text), ['[    0.000000] Linux version 6.1', '  OK  ] Started ssh.service', 'login: ']);
    assert.ok(lines[0]!.ms >= 100 && lines[1]!.ms >= second, lines.map((l) => l.ms).join(', '));
    assert.ok(lines.every((l, i) => i === 0 || l.ms >= lines[i - 1]!.ms));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a child's output, stamped line by line as it arrives", async () => {
  const stream = new PassThrough();
  const lines: StampedLine[] = [];
  stampStream(stream, performance.now(), lines);
  stream.write('{"type":"step-started"}\n{"type":');
  stream.write('"keys"}\nlast');
  stream.end();
  await new Promise((done) => stream.on('end', done));
  assert.equal(lines.map((l) => l.text), ['{"type":"step-started"}', '{"type":"keys"}', 'last']);
});

test('the side file round-trips to the ms; other lines are skipped', () => {
  const lines = [{ ms: 5892, text: '[    0.000000] Linux version 6.1' }, { ms: 10_041, text: '' }];
  assert.is(formatStamped(lines), '5.892 [    0.000000] Linux version 6.1\n10.041 \n');
  assert.equal(parseStamped(`${formatStamped(lines)}not stamped\n`), lines);
});

test.run();
