// Archives from tarStream read back by GNU tar and node-tar, member by member.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { list } from 'tar';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bufferEntry, fileEntry, tarStream, type TarEntry } from '../../lib/export/tar-stream.js';
import { kilnRejection } from '../helpers/rejection.js';

const dir = mkdtempSync(join(tmpdir(), 'kiln-tar-'));
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of chunks) parts.push(c);
  return Buffer.concat(parts);
}


test('members come out in order with their bytes; GNU tar lists and extracts them', async () => {
  const big = Buffer.alloc(3 * 1024 * 1024 + 17, 0x5a);
  const path = join(dir, 'disk.bin');
  writeFileSync(path, big);
  const disk = await fileEntry('disk.vmdk', path);
  const archive = join(dir, 'a.tar');
  writeFileSync(archive, await collect(tarStream([bufferEntry('first.ovf', '<xml/>'), disk, bufferEntry('last.mf', '')], { mtime: 1_700_000_000 })));
  assert.is(readFileSync(archive).length % 512, 0);

  const { stdout } = await execa('tar', ['tvf', archive, '--utc']);
  const rows = stdout.split('\n').map((l) => l.split(/\s+/));
  assert.equal(rows.map((r) => r[5]), ['first.ovf', 'disk.vmdk', 'last.mf']);
  assert.equal(rows.map((r) => Number(r[2])), [6, big.length, 0]);
  assert.ok(rows.every((r) => r[0] === '-rw-r--r--' && r[1] === '0/0' && r[3] === '2023-11-14'), stdout);

  await execa('tar', ['xf', archive, '-C', dir, 'disk.vmdk']);
  assert.is(sha256(readFileSync(join(dir, 'disk.vmdk'))), sha256(big));
  assert.is(disk.sha256(), sha256(big), 'hashed while packed');
});

test('node-tar reads the same archive strictly', async () => {
  const archive = join(dir, 'b.tar');
  writeFileSync(archive, await collect(tarStream([bufferEntry('metadata.json', '{}\n'), bufferEntry('Vagrantfile', 'x'.repeat(513))], { mtime: 0 })));
  const seen: [string, number][] = [];
  await list({ file: archive, strict: true, onReadEntry: (e) => void seen.push([e.path, e.size ?? -1]) });
  assert.equal(seen, [
    ['metadata.json', 3],
    ['Vagrantfile', 513],
  ]);
});

test('a later member is computed after the earlier ones were consumed', async () => {
  const path = join(dir, 'c.bin');
  writeFileSync(path, 'payload');
  async function* members(): AsyncGenerator<TarEntry> {
    const f = await fileEntry('c.bin', path);
    yield f;
    yield bufferEntry('sum', f.sha256());
  }
  const archive = join(dir, 'c.tar');
  writeFileSync(archive, await collect(tarStream(members(), { mtime: 0 })));
  const { stdout } = await execa('tar', ['xOf', archive, 'sum']);
  assert.is(stdout, sha256('payload'));
});

test('asking a file entry for its hash before it is packed is a bug, and says so', async () => {
  const path = join(dir, 'd.bin');
  writeFileSync(path, 'x');
  const f = await fileEntry('d.bin', path);
  assert.throws(() => f.sha256(), /not been packed/);
});

test('a member whose content differs from its size fails the archive with E_EXPORT', async () => {
  const short: TarEntry = { name: 'short', size: 10, content: Buffer.from('abc') };
  assert.is((await kilnRejection(collect(tarStream([short], { mtime: 0 })))).code, 'E_EXPORT');
  const path = join(dir, 'grows.bin');
  writeFileSync(path, 'abc');
  const grows = await fileEntry('grows.bin', path);
  writeFileSync(path, 'abcdef'); // changed after stat: more bytes than the header announced
  const error = await kilnRejection(collect(tarStream([grows], { mtime: 0 })));
  assert.is(error.code, 'E_EXPORT');
  assert.match(error.message, /grows\.bin changed while it was packed/);
});

test('onContent counts member bytes (not headers or padding) for progress', async () => {
  const seen: number[] = [];
  await collect(tarStream([bufferEntry('a', 'xx'), bufferEntry('b', 'yyy')], { mtime: 0, onContent: (n) => seen.push(n) }));
  assert.equal(seen, [2, 5]);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
