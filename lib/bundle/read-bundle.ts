// Loads a bundle into kiln's cache, all or nothing: every member is unpacked into a
// staging folder inside the cache (node-tar), checked against kiln-bundle.json (sha256
// and size, nothing missing, nothing extra), and only then moved into place, records
// after the files they describe. A corrupt bundle loads nothing and names the member.
import { randomBytes } from 'node:crypto';
import { access, mkdir, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { x as extract } from 'tar';
import { KilnError } from '../errors.js';
import { hashFile } from '../util/hash-file.js';
import { BUNDLE_MANIFEST, checkBundleManifest, type BundleManifest } from './bundle-manifest.js';

export interface ImportResult {
  manifest: BundleManifest;
  /** Items moved into the cache, and those it already held (same path). */
  loaded: number;
  present: number;
}

export async function importBundle(file: string, cacheDir: string): Promise<ImportResult> {
  const staging = join(cacheDir, `.bundle-import-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(staging, { recursive: true });
  try {
    await extract({ file, cwd: staging, strict: true }).catch((error: unknown) => {
      throw corrupt(file, `it is not a readable tar archive: ${(error as Error).message}`, error);
    });
    const manifestText = await readFile(join(staging, BUNDLE_MANIFEST), 'utf8').catch(() => {
      throw corrupt(file, `it has no ${BUNDLE_MANIFEST} (not a kiln bundle, or cut short)`);
    });
    let data: unknown;
    try {
      data = JSON.parse(manifestText);
    } catch (error) {
      throw corrupt(file, `${BUNDLE_MANIFEST} is not JSON: ${(error as Error).message}`, error);
    }
    const manifest = checkBundleManifest(data, file);
    await verifyMembers(file, staging, manifest);
    let loaded = 0;
    let present = 0;
    // Records (*.json) after their files, as kiln writes them itself.
    const ordered = [...manifest.items].sort((a, b) => Number(a.path.endsWith('.json')) - Number(b.path.endsWith('.json')));
    for (const item of ordered) {
      const target = join(cacheDir, item.path);
      if (await exists(target)) {
        present++;
        continue;
      }
      await mkdir(dirname(target), { recursive: true });
      await rename(join(staging, item.member), target);
      loaded++;
    }
    return { manifest, loaded, present };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function verifyMembers(file: string, staging: string, manifest: BundleManifest): Promise<void> {
  const listed = new Set(manifest.items.map((item) => item.member));
  const found = (await readdir(join(staging, 'files')).catch(() => [] as string[])).map((name) => `files/${name}`);
  const extra = found.find((member) => !listed.has(member));
  if (extra) throw corrupt(file, `member ${extra} is not in ${BUNDLE_MANIFEST}`);
  for (const item of manifest.items) {
    const path = join(staging, item.member);
    const info = await stat(path).catch(() => undefined);
    if (!info) throw corrupt(file, `member ${item.member} (${item.path}) is missing`);
    if (info.size !== item.size) throw corrupt(file, `member ${item.member} (${item.path}) has ${info.size} bytes, ${item.size} expected`);
    const sha256 = await hashFile(path);
    if (sha256 !== item.sha256) throw corrupt(file, `member ${item.member} (${item.path}) has sha256 ${sha256}, ${item.sha256} expected`);
  }
}

function corrupt(file: string, why: string, cause?: unknown): KilnError {
  return new KilnError('E_BUNDLE', `${file}: ${why}; nothing was loaded into the cache`, {
    ...(cause !== undefined ? { cause } : {}),
    hint: 'copy the bundle across again (compare its sha256 on both sides), or make it again with kiln bundle export',
  });
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );
