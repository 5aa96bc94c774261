// --offline: sources come from the cache without a single request, or fail at once
// naming the URL and the template key; a SUMS-checked source needs a verified copy.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryLog } from '../../lib/log/log.js';
import { fetchSource } from '../../lib/source/fetch-source.js';
import type { SourceFile } from '../../lib/template/types.js';
import { startFileServer, type FileServer } from './file-server.js';
import { kilnRejection } from '../helpers/rejection.js';

const iso = Buffer.from('an installer image\n'.repeat(5000));
const sha256 = createHash('sha256').update(iso).digest('hex');

let server: FileServer;
let dir: string;
let cacheDir: string;

test.before.each(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-source-offline-'));
  cacheDir = join(dir, 'cache');
  server = await startFileServer({ '/debian.iso': { body: iso }, '/SHA256SUMS': { body: `${sha256}  debian.iso\n` } });
});
test.after.each(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const sources = (): [string, SourceFile][] => [
  ['a digest', { urls: [server.url('/debian.iso')], checksum: { kind: 'digest', algorithm: 'sha256', hex: sha256 } }],
  ['a SUMS file', { urls: [server.url('/debian.iso')], checksum: { kind: 'file', location: server.url('/SHA256SUMS') } }],
  ['no checksum', { urls: [server.url('/debian.iso')], checksum: { kind: 'none' } }],
];

for (const index of [0, 1, 2]) {
  test(`offline with ${['a digest', 'a SUMS file', 'no checksum'][index]}: a miss fails at once naming the URL and key, a hit makes no request`, async () => {
    const [, source] = sources()[index]!;
    const miss = await kilnRejection(fetchSource(source, { cacheDir, log: memoryLog(), offline: true, key: 'source.iso' }));
    assert.is(miss.code, 'E_DOWNLOAD');
    assert.match(miss.message, /^offline: /);
    assert.match(miss.message, index === 1 ? 'SHA256SUMS' : `${server.url('/debian.iso')} (source.iso) is not in kiln's cache`);
    assert.match(miss.hint ?? '', 'kiln fetch');
    assert.is(server.requests.length, 0, 'an offline miss made a request');

    await fetchSource(source, { cacheDir, log: memoryLog() }); // online: kiln fetch
    const before = server.requests.length;
    const got = await fetchSource(source, { cacheDir, log: memoryLog(), offline: true, key: 'source.iso' });
    assert.ok(got.cached);
    assert.is(server.requests.length, before, 'an offline hit made a request');
  });
}

test.run();
