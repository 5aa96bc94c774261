// SUMS files in GNU coreutils' format, checked by the real sha256sum/sha512sum/md5sum.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeChecksums } from '../../lib/post-process/checksum.js';
import { rejection } from '../helpers/rejection.js';
import { removeScratch, scratch } from '../helpers/scratch-dir.js';

test.after(removeScratch);

const FILES = { 'box.qcow2': 'qcow2 bytes', 'box.ova': 'ova bytes\n', 'box.libvirt.box': 'x'.repeat(3 << 20) };
const hex = (algorithm: string, text: string) => createHash(algorithm).update(text).digest('hex');
const check = (tool: string, dir: string, sums: string) => execFileSync(tool, ['-c', '--strict', sums], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

test('every type: one SUMS file each, listing every file, that the coreutils tools verify', async () => {
  const dir = await scratch(FILES);
  const files = Object.keys(FILES).map((file) => ({ file }));
  const written = await writeChecksums({ outputDir: dir, files, types: ['sha256', 'sha512', 'md5', 'sha1'] });
  assert.equal(written, ['SHA256SUMS', 'SHA512SUMS', 'MD5SUMS', 'SHA1SUMS']);
  assert.is(readFileSync(join(dir, 'SHA256SUMS'), 'utf8'), Object.entries(FILES).map(([f, t]) => `${hex('sha256', t)}  ${f}\n`).join(''));
  for (const [tool, sums] of [['sha256sum', 'SHA256SUMS'], ['sha512sum', 'SHA512SUMS'], ['md5sum', 'MD5SUMS'], ['sha1sum', 'SHA1SUMS']]) {
    const out = check(tool!, dir, sums!);
    assert.is(out, Object.keys(FILES).map((f) => `${f}: OK\n`).join(''), tool);
  }
  assert.equal(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
});

test("sha256 takes export's digests as they are; a wrong one is what sha256sum -c then catches", async () => {
  const dir = await scratch({ 'a.raw': 'a' });
  await writeChecksums({ outputDir: dir, files: [{ file: 'a.raw', sha256: '0'.repeat(64) }], types: ['sha256'] });
  assert.is(readFileSync(join(dir, 'SHA256SUMS'), 'utf8'), `${'0'.repeat(64)}  a.raw\n`);
  assert.throws(() => check('sha256sum', dir, 'SHA256SUMS'));
  await writeChecksums({ outputDir: dir, files: [{ file: 'a.raw', sha256: hex('sha256', 'a') }], types: ['sha256'] });
  check('sha256sum', dir, 'SHA256SUMS');
});

test('a fired signal stops the hashing', async () => {
  const dir = await scratch(FILES);
  const controller = new AbortController();
  controller.abort();
  const error = await rejection(writeChecksums({ outputDir: dir, files: [{ file: 'box.libvirt.box' }], types: ['sha512'], signal: controller.signal }));
  assert.match(error.message, /interrupted/);
});

test.run();
