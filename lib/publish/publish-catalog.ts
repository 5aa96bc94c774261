// `kiln publish --to catalog:DIR`: a build's box into a self-hosted box catalog, a
// directory any web server can serve:
//
//   DIR/org/box/metadata.json                    Vagrant's versioned catalog (catalog-metadata.ts)
//   DIR/org/box/1.2.0/libvirt-amd64.box          one file per version, provider and architecture
//
// Nobody ever reads half of anything: the box is copied under a temporary dot-name, the
// sha256 of the bytes copied checked against the build's manifest, and renamed;
// metadata.json is replaced by rename. Publishes to one box are serialised by a lock
// beside metadata.json, and each re-reads the catalog under it, so two at once both
// land. A conflict is caught before the copy (cheaply) and again under the lock (for
// certain).
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, link, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancelledError, KilnError, throwIfAborted } from '../errors.js';
import { withFileLock, type LockHolder } from '../util/file-lock.js';
import { writeJsonAtomic } from '../util/write-atomic.js';
import { builtBox } from './build-output.js';
import { addEntry, emptyCatalog, parseCatalog, type CatalogMetadata, type CatalogProvider } from './catalog-metadata.js';
import { checkArchitecture, checkUrlBase, checkVersion, parseBoxName } from './catalog-names.js';

export interface PublishCatalogOptions {
  /** A kiln build's output directory: manifest.json and NAME.<provider>.box. */
  outputDir: string;
  /** The catalog's root directory. */
  catalogDir: string;
  /** org/box */
  name: string;
  /** X.Y.Z */
  version: string;
  /** Vagrant's architecture name (amd64, arm64, ...). */
  architecture: string;
  /** The box's description; an existing one is kept when not given. */
  description?: string;
  /** The URL catalogDir is served at; default: file:// URLs of the copied boxes. */
  urlBase?: string;
  /** Replace the box already published for this version, provider and architecture. */
  force?: boolean;
  signal?: AbortSignal;
  /** Called when another publish to the same box holds the catalog and this one waits. */
  onWait?: (holder: LockHolder) => void;
}

export interface PublishCatalogResult {
  name: string;
  version: string;
  provider: string;
  architecture: string;
  /** DIR/org/box/metadata.json */
  metadataPath: string;
  /** What to give `vagrant box add`: the metadata's URL under urlBase, else its path. */
  metadataUrl: string;
  boxPath: string;
  url: string;
  sha256: string;
  bytes: number;
  /** The entry --force replaced. */
  replaced?: CatalogProvider;
  /** Every version in the catalog now, oldest first. */
  versions: string[];
}

export async function publishToCatalog(options: PublishCatalogOptions): Promise<PublishCatalogResult> {
  const { signal } = options;
  const name = parseBoxName(options.name);
  const version = checkVersion(options.version);
  const architecture = checkArchitecture(options.architecture);
  const urlBase = options.urlBase === undefined ? undefined : checkUrlBase(options.urlBase);
  const force = options.force ?? false;
  const source = await builtBox(options.outputDir);

  const boxDir = join(resolve(options.catalogDir), name.org, name.box);
  const metadataPath = join(boxDir, 'metadata.json');
  const fileName = `${source.provider}-${architecture}.box`;
  const boxPath = join(boxDir, version, fileName);
  const url = urlBase === undefined ? pathToFileURL(boxPath).href : `${urlBase}/${[name.org, name.box, version, fileName].map(encodeURIComponent).join('/')}`;
  const metadataUrl = urlBase === undefined ? metadataPath : `${urlBase}/${encodeURIComponent(name.org)}/${encodeURIComponent(name.box)}/metadata.json`;
  const entry = { version, provider: source.provider, architecture, url, checksum: source.sha256 };

  // Fail before copying gigabytes when the version is plainly taken.
  if (!force) addEntry(await readCatalog(metadataPath, name.full), entry, { force }); // throws E_CATALOG_EXISTS

  const temp = join(boxDir, version, `.${fileName}.${randomBytes(4).toString('hex')}.partial`);
  try {
    await writing(`cannot create ${join(boxDir, version)}`, () => mkdir(join(boxDir, version), { recursive: true }));
    const sha256 = await writing(`cannot copy ${source.path} into the catalog`, () => copyHashing(source.path, temp, signal));
    if (sha256 !== source.sha256) {
      throw new KilnError('E_PUBLISH_INPUT', `${source.path} does not match the build's manifest.json: its sha256 is ${sha256}, the manifest records ${source.sha256}`, {
        hint: 'the box was changed or cut short after the build; rebuild it (kiln build --force) and publish again',
      });
    }
    return await withFileLock(
      join(boxDir, '.kiln-publish.lock'),
      async () => {
        throwIfAborted(signal);
        const { catalog, replaced } = addEntry(await readCatalog(metadataPath, name.full), entry, {
          force,
          ...(options.description !== undefined ? { description: options.description } : {}),
        });
        await writing(`cannot update the catalog in ${boxDir}`, () => install(temp, boxPath, () => writeJsonAtomic(metadataPath, catalog)));
        return {
          name: name.full,
          version,
          provider: source.provider,
          architecture,
          metadataPath,
          metadataUrl,
          boxPath,
          url,
          sha256,
          bytes: source.bytes,
          ...(replaced ? { replaced } : {}),
          versions: catalog.versions.map((v) => v.version),
        };
      },
      { ...(signal ? { signal } : {}), ...(options.onWait ? { onWait: options.onWait } : {}) },
    );
  } finally {
    await rm(temp, { force: true });
  }
}

/** Copies `from` to `to` (a new file), returning the sha256 of the bytes copied; abortable. */
async function copyHashing(from: string, to: string, signal?: AbortSignal): Promise<string> {
  throwIfAborted(signal);
  const hash = createHash('sha256');
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(createReadStream(from, { highWaterMark: 1 << 20 }), tap, createWriteStream(to, { flags: 'wx' }), ...(signal ? [{ signal }] : []));
  } catch (error) {
    if (signal?.aborted) throw new CancelledError();
    throw error;
  }
  return hash.digest('hex');
}

/**
 * Renames the verified copy into place, then records it. An old box under the name stays
 * hard-linked aside until the metadata is written, so a failed write puts it back and the
 * catalog never names a box it does not hold (or holds one its checksum does not match).
 */
export async function install(temp: string, boxPath: string, record: () => Promise<void>): Promise<void> {
  const aside = `${boxPath}.${randomBytes(4).toString('hex')}.old`;
  const keptOld = await link(boxPath, aside).then(
    () => true,
    async (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      // Filesystems without hard links: a copy (a --force over a box there, so rare).
      if (error.code === 'EPERM' || error.code === 'ENOTSUP' || error.code === 'EOPNOTSUPP') {
        await copyFile(boxPath, aside);
        return true;
      }
      throw error;
    },
  );
  try {
    await rename(temp, boxPath);
    await record();
  } catch (error) {
    if (keptOld) await rename(aside, boxPath).catch(() => {}); // best effort: the error below says what failed
    else await rm(boxPath, { force: true });
    throw error;
  } finally {
    await rm(aside, { force: true });
  }
}

async function readCatalog(path: string, name: string): Promise<CatalogMetadata> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyCatalog(name);
    throw new KilnError('E_CATALOG', `cannot read ${path}`, { cause: error, hint: 'check the catalog directory\'s permissions' });
  }
  return parseCatalog(text, name, path);
}

/** Filesystem errors while writing into the catalog, as E_PUBLISH saying what failed. */
async function writing<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof KilnError) throw error;
    throw new KilnError('E_PUBLISH', `${what}: ${(error as Error).message}`, {
      cause: error,
      hint: 'check that the catalog directory is writable and has room for the box',
    });
  }
}
