// What a bundle holds for a set of templates, as files in kiln's cache: each template's
// source (and its SUMS file), the packages its last successful build recorded
// (packages.lock.json in its output directory) and its stage cache layers (the newest
// of each stage, with the layers under them). A local source is the user's file, not the cache's: not bundled.
import { readdir, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { urlRecordPath } from '../package-cache/layout.js';
import { PACKAGES_LOCK, PackageStore, readPackagesLock } from '../package-cache/index.js';
import { LayerStore, withAncestors, type StoredLayer } from '../cache/store.js';
import { OWNER_FILE, USED_FILE } from '../cache/layout.js';
import { urlEntry } from '../source/cache-layout.js';
import { fetchSource } from '../source/index.js';
import type { Log } from '../log/log.js';
import type { Template } from '../template/types.js';
import { KilnError } from '../errors.js';
import type { BundleItemKind } from './bundle-manifest.js';

export interface CollectedFile {
  kind: BundleItemKind;
  /** Relative to the cache directory. */
  path: string;
  absolute: string;
}

export interface Collected {
  files: CollectedFile[];
  /** What was left out and why, for the user. */
  notes: string[];
}

export async function collectBundle(templates: readonly Template[], cacheDir: string, log: Log, signal: AbortSignal): Promise<Collected> {
  const files = new Map<string, CollectedFile>();
  const notes: string[] = [];
  const add = async (kind: BundleItemKind, absolute: string) => {
    const info = await stat(absolute).catch(() => undefined);
    if (!info?.isFile()) return;
    const path = relative(cacheDir, absolute).split('\\').join('/');
    if (!files.has(path)) files.set(path, { kind, path, absolute });
  };
  const layers = await new LayerStore(cacheDir).list();
  for (const t of templates) {
    await collectSource(t, cacheDir, log, signal, add, notes);
    await collectPackages(t, cacheDir, add, notes);
    const own = newestPerStage(layers.layers.filter((layer) => layer.record.template === t.name));
    if (own.length === 0) notes.push(`${t.name}: no stage cache layers (the offline build installs from the start)`);
    for (const id of withAncestors(layers.layers, own)) {
      const layer = layers.layers.find((l) => l.id === id);
      if (!layer) continue;
      // The record last, so that an import that stops half way leaves no usable half layer.
      const names = (await readdir(layer.dir)).filter((n) => n !== USED_FILE && n !== OWNER_FILE).sort((a, b) => Number(a.endsWith('.json')) - Number(b.endsWith('.json')));
      for (const name of names) await add('layer', join(layer.dir, name));
    }
  }
  return { files: [...files.values()], notes };
}

type Add = (kind: BundleItemKind, absolute: string) => Promise<void>;

async function collectSource(t: Template, cacheDir: string, log: Log, signal: AbortSignal, add: Add, notes: string[]): Promise<void> {
  const source = await fetchSource(t.source, { cacheDir, key: `source.${t.source.kind}`, offline: true, signal, log }).catch((error: unknown) => {
    throw new KilnError('E_BUNDLE', `${t.name}: the source is not in kiln's cache: ${(error as Error).message}`, { cause: error, hint: `run kiln fetch (or a build) for ${t.file} first` });
  });
  if (!source.path.startsWith(cacheDir)) {
    notes.push(`${t.name}: the source is a local file (${source.path}), not bundled: carry it across yourself`);
    return;
  }
  await add('source', source.path);
  await add('source', join(dirname(dirname(source.path)), 'record.json'));
  if (t.source.checksum.kind === 'file' && /^https?:\/\//.test(t.source.checksum.location)) {
    const sums = urlEntry(cacheDir, t.source.checksum.location);
    for (const name of await readdir(sums.files).catch(() => [] as string[])) await add('source', join(sums.files, name));
    await add('source', sums.record);
  }
}

async function collectPackages(t: Template, cacheDir: string, add: Add, notes: string[]): Promise<void> {
  if (!t.proxy?.cache) return;
  const lockPath = join(t.output.directory, PACKAGES_LOCK);
  const lock = await readPackagesLock(lockPath);
  const store = new PackageStore(cacheDir);
  for (const entry of lock.entries) {
    if (entry.sha256 !== undefined) {
      if (!(await store.hasBlob(entry.sha256))) {
        throw new KilnError('E_BUNDLE', `${lockPath}: ${entry.url} (sha256 ${entry.sha256}) is no longer in kiln's package cache`, {
          hint: `build ${t.name} again online (proxy: cache) to fetch it again, then export`,
        });
      }
      await add('package', store.blobPath(entry.sha256));
    }
    await add('package', urlRecordPath(cacheDir, entry.url));
  }
  notes.push(`${t.name}: ${lock.entries.length} recorded guest download(s) from ${lockPath}`);
}

/** One layer per stage key, the newest: a stage stored again (--no-cache) needs no second copy. */
function newestPerStage(layers: readonly StoredLayer[]): string[] {
  const newest = new Map<string, StoredLayer>();
  for (const layer of layers) {
    const known = newest.get(layer.record.key);
    if (!known || layer.record.created > known.record.created) newest.set(layer.record.key, layer);
  }
  return [...newest.values()].map((layer) => layer.id);
}
