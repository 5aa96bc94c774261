// Multi-member gzip: decompresses to the input whatever the chunking, and gunzip agrees.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gunzipSync, inflateRawSync } from 'node:zlib';
import { execa } from 'execa';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createParallelGzip } from '../../lib/export/parallel-gzip.js';
import { rejection } from '../helpers/rejection.js';

const BLOCK = 64 * 1024;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Compressible but not trivial: a repeating counter pattern. */
function data(bytes: number): Buffer {
  const b = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) b[i] = (i * 7 + (i >> 10)) & 0xff;
  return b;
}

async function gzipWith(input: Buffer, chunk: number, options: Parameters<typeof createParallelGzip>[0]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < input.length; i += chunk) chunks.push(input.subarray(i, i + chunk));
  const out: Buffer[] = [];
  await pipeline(Readable.from(chunks), createParallelGzip(options), async (source: AsyncIterable<Buffer>) => {
    for await (const c of source) out.push(c);
  });
  return Buffer.concat(out);
}

/** Walks the members: a 10-byte header (zlib writes no optional fields), raw deflate, an 8-byte trailer. */
function memberCount(gz: Buffer): number {
  let count = 0;
  let offset = 0;
  while (offset < gz.length) {
    assert.equal([gz[offset], gz[offset + 1], gz[offset + 2], gz[offset + 3]], [0x1f, 0x8b, 8, 0], `member header at ${offset}`);
    const { engine } = inflateRawSync(gz.subarray(offset + 10), { info: true }) as unknown as { engine: { bytesWritten: number } };
    offset += 10 + engine.bytesWritten + 8;
    count++;
  }
  return count;
}

// [label, input bytes, read chunk size, members expected]
const cases: [string, number, number, number][] = [
  ['empty input is one empty member', 0, 1000, 1],
  ['one byte', 1, 1000, 1],
  ['just under a block', BLOCK - 1, 1000, 1],
  ['exactly a block', BLOCK, BLOCK, 1],
  ['a block and a byte', BLOCK + 1, 4096, 2],
  ['many blocks in odd chunks', 5 * BLOCK + 123, 7777, 6],
  ['chunks larger than a block', 3 * BLOCK, 3 * BLOCK, 3],
];
for (const [label, bytes, chunk, members] of cases) {
  test(`parallel gzip: ${label}`, async () => {
    const input = data(bytes);
    const gz = await gzipWith(input, chunk, { level: 6, blockBytes: BLOCK, inFlight: 3 });
    assert.is(sha256(gunzipSync(gz)), sha256(input));
    assert.is(memberCount(gz), members);
  });
}

test('the output does not depend on how the input was chunked or how many blocks are in flight', async () => {
  const input = data(4 * BLOCK + 999);
  const a = await gzipWith(input, 1000, { level: 6, blockBytes: BLOCK, inFlight: 1 });
  const b = await gzipWith(input, 65_537, { level: 6, blockBytes: BLOCK, inFlight: 4 });
  assert.is(sha256(a), sha256(b));
});

test('higher levels compress more; the system gunzip reads every member', async () => {
  const input = data(6 * BLOCK);
  const fast = await gzipWith(input, 10_000, { level: 1, blockBytes: BLOCK });
  const small = await gzipWith(input, 10_000, { level: 9, blockBytes: BLOCK });
  assert.ok(small.length < fast.length, `${small.length} < ${fast.length}`);
  const dir = mkdtempSync(join(tmpdir(), 'kiln-gz-'));
  try {
    writeFileSync(join(dir, 'x.gz'), small);
    const { stdout } = await execa('sh', ['-c', 'gunzip -c x.gz | sha256sum'], { cwd: dir });
    assert.is(stdout.split(' ')[0], sha256(input));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an error upstream fails the pipeline instead of hanging', async () => {
  async function* broken() {
    yield data(BLOCK * 2);
    throw new Error('disk read failed');
  }
  const run = pipeline(Readable.from(broken()), createParallelGzip({ level: 1, blockBytes: BLOCK }), async (s: AsyncIterable<Buffer>) => {
    for await (const _ of s);
  });
  assert.match((await rejection(run)).message, /disk read failed/);
});

test.run();
