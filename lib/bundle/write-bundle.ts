// Writes a bundle: each collected file as files/NNNNNN, hashed while it is packed
// (tar-stream.ts), then kiln-bundle.json with every member's sha256. Written to a
// temporary file renamed into place: a bundle that exists is complete.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { bufferEntry, fileEntry, tarStream, type FileEntry, type TarEntry } from '../export/tar-stream.js';
import { BUNDLE_MANIFEST, type BundleItem, type BundleManifest } from './bundle-manifest.js';
import type { CollectedFile } from './collect.js';

export interface WriteBundleInput {
  file: string;
  files: readonly CollectedFile[];
  templates: string[];
  kilnVersion: string;
}

export async function writeBundle(input: WriteBundleInput): Promise<BundleManifest> {
  const packed: { item: Omit<BundleItem, 'sha256' | 'size'>; entry: FileEntry }[] = [];
  const manifest: BundleManifest = { format: 'kiln-bundle', version: 1, kiln_version: input.kilnVersion, created: new Date().toISOString(), templates: input.templates, items: [] };
  async function* entries(): AsyncGenerator<TarEntry> {
    for (const [index, file] of input.files.entries()) {
      const member = `files/${String(index + 1).padStart(6, '0')}`;
      const entry = await fileEntry(member, file.absolute);
      packed.push({ item: { member, kind: file.kind, path: file.path }, entry });
      yield entry;
    }
    // Every file has been read by now: their digests are final.
    manifest.items = packed.map(({ item, entry }) => ({ ...item, size: entry.size, sha256: entry.sha256() }));
    yield bufferEntry(BUNDLE_MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
  }
  const temp = `${input.file}.${randomBytes(4).toString('hex')}.partial`;
  try {
    await pipeline(Readable.from(tarStream(entries(), { mtime: Math.floor(Date.now() / 1000) })), createWriteStream(temp));
    await rename(temp, input.file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return manifest;
}
