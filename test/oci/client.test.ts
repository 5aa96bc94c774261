// The registry client against a fake registry (fake-registry.ts): the Bearer token flow,
// HEAD-first pushes, monolithic and chunked uploads, a dropped connection resumed, and
// the errors a refusing registry gets, with their fixes and without the credentials.
import { randomBytes } from 'node:crypto';
import { Agent } from 'undici';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { pullBlob } from '../../lib/oci/blob-pull.js';
import { blobExists, pushBlob, rangeEnd } from '../../lib/oci/blob-push.js';
import { bufferBlob, segmentBlob } from '../../lib/oci/blob-source.js';
import { RegistryClient } from '../../lib/oci/client.js';
import { getManifest, putManifest, type ImageManifest } from '../../lib/oci/manifests.js';
import { EMPTY_CONFIG, OCI_MANIFEST } from '../../lib/oci/media-types.js';
import { kilnRejection } from '../helpers/rejection.js';
import { removeScratch, scratch } from '../helpers/scratch-dir.js';
import { startFakeRegistry, type FakeRegistry } from './fake-registry.js';

let fake: FakeRegistry;
const dispatcher = new Agent();

test.before.each(async () => {
  fake = await startFakeRegistry('user', 'hunter2-secret');
});
test.after.each(() => fake.close());
test.after(async () => {
  await dispatcher.close();
  await removeScratch();
});

const client = (password = 'hunter2-secret') =>
  new RegistryClient({ registry: fake.host, repository: 'team/demo', access: 'push', dispatcher, plainHttp: true, credentials: { username: 'user', password, source: 'auth.json' } });

test('a 401 with a Bearer challenge fetches a token for pull,push once, then every request carries it', async () => {
  const c = client();
  assert.is(await blobExists(c, bufferBlob(Buffer.from('x'), 'x').digest), false);
  assert.is(await pushBlob(c, bufferBlob(Buffer.from('hello'), 'hello')), 'uploaded');
  assert.equal(fake.tokensIssued, ['tok-1-repository:team/demo:pull,push']);
  assert.equal(fake.log.slice(0, 3), [`HEAD /v2/team/demo/blobs/${bufferBlob(Buffer.from('x'), 'x').digest} -`, 'GET /token Basic', `HEAD /v2/team/demo/blobs/${bufferBlob(Buffer.from('x'), 'x').digest} Bearer`]);
  assert.ok(fake.log.slice(3).every((line) => line.endsWith(' Bearer')), fake.log.join('\n'));
});

test('a blob the registry has is not sent again: one HEAD, no upload', async () => {
  const c = client();
  const blob = bufferBlob(randomBytes(3000), 'random');
  assert.is(await pushBlob(c, blob), 'uploaded');
  const mark = fake.log.length;
  assert.is(await pushBlob(c, blob), 'exists');
  assert.equal(fake.log.slice(mark), [`HEAD /v2/team/demo/blobs/${blob.digest} Bearer`]);
});

const sizes: [string, number, number, string[]][] = [
  ['a blob up to the chunk size goes in one PUT', 4096, 4096, ['POST', 'PUT']],
  ['a bigger one in PATCHes of the chunk size and an empty closing PUT', 10_000, 4096, ['POST', 'PATCH', 'PATCH', 'PATCH', 'PUT']],
];
for (const [label, size, chunkSize, methods] of sizes) {
  test(label, async () => {
    const bytes = randomBytes(size);
    const blob = bufferBlob(bytes, 'random');
    const progress: number[] = [];
    await pushBlob(client(), blob, { chunkSize, onProgress: (n) => progress.push(n) });
    assert.equal(fake.log.filter((l) => /\/uploads\//.test(l)).map((l) => l.split(' ')[0]), methods);
    assert.ok(fake.blobs.get(blob.digest)?.equals(bytes));
    assert.is(progress.at(-1), size);
  });
}

test('a connection dropped mid-PATCH resumes from the offset the session reports', async () => {
  fake.faults.dropPatch = 2;
  const bytes = randomBytes(12_288);
  const blob = bufferBlob(bytes, 'random');
  assert.is(await pushBlob(client(), blob, { chunkSize: 4096 }), 'uploaded');
  const uploads = fake.log.filter((l) => /\/uploads\//.test(l)).map((l) => l.split(' ')[0]);
  assert.equal(uploads, ['POST', 'PATCH', 'PATCH', 'GET', 'PATCH', 'PATCH', 'PUT']);
  assert.ok(fake.blobs.get(blob.digest)?.equals(bytes), 'the blob is whole');
});

test('a composed blob (headers around a file) reads each chunk from the parts it spans', async () => {
  const dir = await scratch({ 'disk.bin': 'D'.repeat(5000) });
  const blob = await segmentBlob([{ bytes: Buffer.from('head-') }, { path: `${dir}/disk.bin`, size: 5000 }, { bytes: Buffer.from('-tail') }], 'composed');
  await pushBlob(client(), blob, { chunkSize: 1024 });
  assert.is(fake.blobs.get(blob.digest)?.toString(), `head-${'D'.repeat(5000)}-tail`);
});

const refusals: [number, string, RegExp, RegExp][] = [
  [403, '{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}', /denied pushing blob .* in team\/demo: 403 Forbidden \(DENIED: requested access/, /account from auth\.json may not do this/],
  [404, '{"errors":[{"code":"NAME_UNKNOWN"}]}', /team\/demo has no such thing while pushing blob .*: 404 Not Found \(NAME_UNKNOWN\)/, /check the reference/],
  [413, '<html>413 Request Entity Too Large</html>', /refused a request as too large while pushing blob .*: 413 \(<html>413/, /client_max_body_size 0.*--chunk-size/],
  [503, 'upstream connect error', /failed while pushing blob .*: 503 \(upstream connect error\)/, /try again/],
];
for (const [status, body, message, hint] of refusals) {
  test(`a ${status} names the cause and the fix`, async () => {
    fake.faults.status = { method: 'POST', code: status, body };
    const error = await kilnRejection(pushBlob(client(), bufferBlob(Buffer.from('x'), 'x')));
    assert.is(error.code, 'E_REGISTRY');
    assert.match(error.message, message);
    assert.match(error.hint!, hint);
  });
}

test('wrong credentials: the token service refuses them, named by source; the password never shows', async () => {
  const error = await kilnRejection(pushBlob(client('wrong-password-99'), bufferBlob(Buffer.from('x'), 'x')));
  assert.match(error.message, /refused the credentials from auth\.json while getting a token .*401 Unauthorized \(UNAUTHORIZED: bad credentials\)/);
  assert.match(error.hint!, /log in again/);
  assert.not.match(`${error.message} ${error.hint}`, 'wrong-password-99');
});

test('a closed port is an unreachable registry, with the fix', async () => {
  const host = fake.host;
  await fake.close();
  const c = new RegistryClient({ registry: host, repository: 'a', access: 'pull', dispatcher, plainHttp: true });
  const error = await kilnRejection(blobExists(c, bufferBlob(Buffer.from('x'), 'x').digest));
  assert.match(error.message, `cannot reach ${host} while looking for blob`);
  assert.match(error.hint!, /check the host and port/);
  fake = await startFakeRegistry();
});

test('manifests round-trip; a blob pulled with other bytes than its digest is refused and not kept', async () => {
  const c = client();
  const layer = bufferBlob(Buffer.from('layer bytes'), 'layer');
  await pushBlob(c, layer);
  const manifest: ImageManifest = { schemaVersion: 2, mediaType: OCI_MANIFEST, config: { ...EMPTY_CONFIG }, layers: [{ mediaType: 'application/octet-stream', digest: layer.digest, size: layer.size }] };
  const digest = await putManifest(c, 'v1', manifest);
  const fetched = await getManifest(c, 'v1');
  assert.is(fetched!.digest, digest);
  assert.equal(fetched!.manifest, manifest);
  assert.is(await getManifest(c, 'v2', true), undefined);

  const dir = await scratch();
  await pullBlob(c, manifest.layers[0]!, `${dir}/ok`);
  fake.blobs.set(layer.digest, Buffer.from('other bytes'));
  const error = await kilnRejection(pullBlob(c, manifest.layers[0]!, `${dir}/bad`));
  assert.is(error.code, 'E_CHECKSUM');
  assert.match(error.message, `expected ${layer.digest} (11 bytes), got sha256:`);
  const { readdir } = await import('node:fs/promises');
  assert.equal(await readdir(dir), ['ok']);
});

test('rangeEnd: the next byte a session wants', () => {
  assert.is(rangeEnd('0-1048575'), 1048576);
  assert.is(rangeEnd('bytes=0-99'), 100);
  assert.is(rangeEnd('0-0'), 0);
  assert.is(rangeEnd(undefined), undefined);
  assert.is(rangeEnd('5-9'), undefined);
});

test.run();
