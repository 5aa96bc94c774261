// Test helper: temporary directories with files, removed after the suite.
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BuildCache } from '../../lib/cache/build-cache.js';
import { memoryLog } from '../../lib/pipeline/log.js';
import { loadTemplate } from '../../lib/template/load.js';

const made: string[] = [];

/** A fresh directory holding `files` (path -> content; a path ending in "/" is a directory). */
export async function scratch(files: Record<string, string> = {}, prefix = 'kiln-cache-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.push(dir);
  await put(dir, files);
  return dir;
}

export async function put(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    if (name.endsWith('/')) await mkdir(path, { recursive: true });
    else {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, content);
      if (name.endsWith('.sh')) await chmod(path, 0o755);
    }
  }
}

export async function removeScratch(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** A BuildCache for the template DIR/kiln.yaml, as a build opens it; the source is identified by its checksum. */
export async function openBuildCache(dir: string, cacheDir: string, sourceFile: string, log = memoryLog()) {
  const cache = await BuildCache.open({
    cacheDir,
    template: await loadTemplate(join(dir, 'kiln.yaml')),
    source: { path: join(dir, sourceFile), checksum: `sha256:${'c'.repeat(64)}` },
    noCache: false,
    limitBytes: 1 << 30,
    kilnVersion: 'test',
    log,
    signal: new AbortController().signal,
  });
  return { cache, log };
}
