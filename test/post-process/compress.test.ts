// The compress post-processor's files, read back by the real gzip, zstd and GNU tar.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compressFiles, removeOriginals } from '../../lib/post-process/compress.js';
import type { CompressFormat } from '../../lib/template/types.js';
import { removeScratch, scratch } from '../helpers/scratch-dir.js';

test.after(removeScratch);

// A disk-like file (9 MiB, more than two parallel gzip blocks) and a small one.
const FILES = { 'd.qcow2': 'qcow2 '.repeat(1_600_000), 'd.vmdk': 'vmdk bytes\n' };
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const run = (tool: string, args: string[], cwd: string) => execFileSync(tool, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });

// [format, level, the names written, how to read one back as its original's bytes]
const cases: [CompressFormat, number, string[], (dir: string, file: string) => Buffer][] = [
  ['gz', 6, ['d.qcow2.gz', 'd.vmdk.gz'], (dir, file) => run('gzip', ['-dc', file], dir)],
  ['gz', 1, ['d.qcow2.gz', 'd.vmdk.gz'], (dir, file) => run('gzip', ['-dc', file], dir)],
  ['zst', 3, ['d.qcow2.zst', 'd.vmdk.zst'], (dir, file) => run('zstd', ['-dcq', file], dir)],
  ['zst', 19, ['d.qcow2.zst', 'd.vmdk.zst'], (dir, file) => run('zstd', ['-dcq', file], dir)],
];
for (const [format, level, names, decompress] of cases) {
  test(`${format} at level ${level}: one file each, round-tripping, with its size and digest`, async () => {
    const dir = await scratch(FILES);
    const written = await compressFiles({ outputDir: dir, files: Object.keys(FILES), format, level, archive: 'unused.tar.gz' });
    assert.equal(written.map((w) => w.file), names);
    for (const [i, [, content]] of Object.entries(FILES).entries()) {
      const entry = written[i]!;
      const bytes = readFileSync(join(dir, entry.file));
      assert.is(entry.format, format);
      assert.is(entry.bytes, bytes.length);
      assert.is(entry.sha256, sha256(bytes));
      assert.is(decompress(dir, entry.file).toString(), content);
    }
    assert.ok(written[0]!.bytes < FILES['d.qcow2'].length / 10, 'compressed');
    assert.equal(readdirSync(dir).filter((f) => f.endsWith('.partial')), []);
  });
}

test('tar.gz: one archive of every file, which GNU tar extracts to the same bytes', async () => {
  const dir = await scratch(FILES);
  const [archive, ...rest] = await compressFiles({ outputDir: dir, files: Object.keys(FILES), format: 'tar.gz', level: 6, archive: 'd.tar.gz' });
  assert.equal(rest, []);
  assert.is(archive!.file, 'd.tar.gz');
  assert.is(archive!.sha256, sha256(readFileSync(join(dir, 'd.tar.gz'))));
  assert.equal(run('tar', ['tzf', 'd.tar.gz'], dir).toString().trim().split('\n'), Object.keys(FILES));
  const out = await scratch();
  run('tar', ['xzf', join(dir, 'd.tar.gz'), '-C', out], dir);
  for (const [name, content] of Object.entries(FILES)) assert.is(readFileSync(join(out, name), 'utf8'), content);
});

test('removeOriginals deletes only the named files', async () => {
  const dir = await scratch({ ...FILES, 'manifest.json': '{}' });
  await removeOriginals(dir, Object.keys(FILES));
  assert.equal(readdirSync(dir), ['manifest.json']);
});

test('a missing input fails without leaving a partial file', async () => {
  const dir = await scratch();
  for (const format of ['gz', 'zst'] as const) {
    await compressFiles({ outputDir: dir, files: ['gone.qcow2'], format, level: 3, archive: 'x.tar.gz' }).then(
      () => assert.unreachable('should fail'),
      (error: Error) => assert.match(error.message, /gone\.qcow2/),
    );
  }
  assert.not.ok(existsSync(join(dir, 'gone.qcow2.gz.partial')));
  assert.equal(readdirSync(dir), []);
});

test.run();
