// The package-cache step as step-lists.ts makes it: {{ .ProxyURL }} once it runs, what the
// guest fetched in packages.lock.json and manifest.json (written by the manifest step),
// and an offline miss handed to ctx.failNow.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { placeholderValues, type BuildContext } from '../../lib/builder/context.js';
import { writeManifest } from '../../lib/builder/steps/manifest.js';
import { packageCache } from '../../lib/builder/steps/package-cache.js';
import { memoryLog } from '../../lib/log/log.js';
import { Masker } from '../../lib/log/mask.js';
import { NO_PROXY_SETTINGS } from '../../lib/source/proxy-settings.js';
import { startMirror } from '../helpers/mirror-server.js';
import { viaProxy } from '../helpers/proxy-client.js';
import { removeScratch, scratch } from '../helpers/scratch-dir.js';

test.after(removeScratch);

async function context(offline: boolean) {
  const outputDir = await scratch();
  const failures: unknown[] = [];
  const log = Object.assign(memoryLog(), { masker: new Masker([]) });
  const ctx = {
    options: { offline },
    template: { name: 't' },
    outputDir,
    log,
    emit: () => {},
    exports: [],
    timings: [],
    failNow: (error: unknown) => failures.push(error),
  } as unknown as BuildContext;
  return { ctx, failures, outputDir, log };
}

const done = { failed: false, cancelled: false, keepFiles: false };

test('online: {{ .ProxyURL }} names the cache; the manifest step writes packages.lock.json and the counts', async () => {
  const mirror = await startMirror({ files: { '/debian/Release': 'index', '/debian/hello_1.0_all.deb': 'a package' } });
  const { ctx, outputDir, log } = await context(false);
  const step = packageCache({ cacheDir: await scratch(), offline: false, proxy: NO_PROXY_SETTINGS });
  try {
    await step.run(ctx, new AbortController().signal);
    const port = ctx.packageCache!.port;
    assert.is(placeholderValues(ctx).ProxyURL, `http://10.0.2.2:${port}`);
    await viaProxy(port, `${mirror.url}/debian/Release`);
    await viaProxy(port, `${mirror.url}/debian/hello_1.0_all.deb`);
    await viaProxy(port, `${mirror.url}/debian/hello_1.0_all.deb`);
    await writeManifest({ name: 't', kilnVersion: '0', template: { file: 'kiln.yaml', sha256: '' } }).run(ctx, new AbortController().signal);
    const lock = JSON.parse(await readFile(join(outputDir, 'packages.lock.json'), 'utf8')) as { entries: { url: string }[] };
    assert.equal(lock.entries.map((e) => e.url), [`${mirror.url}/debian/Release`, `${mirror.url}/debian/hello_1.0_all.deb`]);
    const manifest = JSON.parse(await readFile(join(outputDir, 'manifest.json'), 'utf8')) as { package_cache: Record<string, unknown> };
    assert.equal(
      { requests: manifest.package_cache.requests, hits: manifest.package_cache.hits, misses: manifest.package_cache.misses, files: manifest.package_cache.files, offline: manifest.package_cache.offline },
      { requests: 3, hits: 1, misses: 2, files: 2, offline: false },
    );
  } finally {
    await step.cleanup?.(ctx, done);
    await mirror.close();
  }
  assert.match(log.lines.join('\n'), /package cache: 3 requests: 1 hits, 2 misses, 0 uncacheable/);
});

test('offline: a request for what was never stored fails the build through ctx.failNow', async () => {
  const { ctx, failures } = await context(true);
  const step = packageCache({ cacheDir: await scratch(), offline: true, proxy: NO_PROXY_SETTINGS });
  try {
    await step.run(ctx, new AbortController().signal);
    const answer = await viaProxy(ctx.packageCache!.port, 'http://deb.example.invalid/debian/x_1_all.deb');
    assert.is(answer.status, 504);
  } finally {
    await step.cleanup?.(ctx, done);
  }
  assert.is(failures.length, 1);
  assert.match((failures[0] as Error).message, 'offline: http://deb.example.invalid/debian/x_1_all.deb requested by the guest');
});

test.run();
