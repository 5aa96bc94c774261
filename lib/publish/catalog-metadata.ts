// A box catalog's metadata.json (Vagrant's versioned box format, what `vagrant box add
// URL/metadata.json` and `vagrant box outdated` read) as pure functions: parse what is on
// disk, add one provider entry, keep everything else.
//
//   { "name": "org/box", "description": "...",
//     "versions": [ { "version": "1.2.0",
//       "providers": [ { "name": "libvirt", "url": "...", "checksum_type": "sha256",
//                        "checksum": "...", "architecture": "amd64", "default_architecture": true } ] } ] }
//
// Vagrant 2.4 picks a provider entry by architecture, falling back to the one marked
// default_architecture. Vagrant 2.3 ignores both fields and keeps the *last* entry of a
// provider name in a version (a Ruby Hash built from the list), so the default
// architecture is listed last among its provider's entries: both pick the same box.
// Fields kiln does not write (a hand-written version description, another tool's keys)
// are kept as they are.
import { KilnError } from '../errors.js';
import { compareVersions } from './catalog-names.js';

export interface CatalogProvider {
  name: string;
  url: string;
  checksum_type: string;
  checksum: string;
  architecture?: string;
  default_architecture?: boolean;
  [key: string]: unknown;
}

export interface CatalogVersion {
  version: string;
  providers: CatalogProvider[];
  [key: string]: unknown;
}

export interface CatalogMetadata {
  name: string;
  description: string;
  versions: CatalogVersion[];
  [key: string]: unknown;
}

/** One box to add: version, provider and architecture say where it goes. */
export interface CatalogEntry {
  version: string;
  provider: string;
  architecture: string;
  url: string;
  checksum: string;
}

export function emptyCatalog(name: string): CatalogMetadata {
  return { name, description: '', versions: [] };
}

/** metadata.json as read from `file`; refuses what Vagrant could not read, or another box's. */
export function parseCatalog(text: string, name: string, file: string): CatalogMetadata {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw malformed(file, `it is not JSON (${(error as Error).message})`);
  }
  if (!isObject(raw)) throw malformed(file, 'it is not a JSON object');
  if (raw.name !== undefined && raw.name !== name) {
    throw new KilnError('E_CATALOG', `${file} is the catalog of box "${String(raw.name)}", not "${name}"`, {
      hint: 'a catalog keeps box org/name in DIR/org/name/; check --name and the directory',
    });
  }
  const versions = raw.versions ?? [];
  if (!Array.isArray(versions)) throw malformed(file, '"versions" is not a list');
  versions.forEach((v: unknown, i) => {
    if (!isObject(v) || typeof v.version !== 'string') throw malformed(file, `versions[${i}] has no "version" string`);
    const providers = v.providers ?? [];
    if (!Array.isArray(providers)) throw malformed(file, `versions[${i}].providers is not a list`);
    providers.forEach((p: unknown, j) => {
      if (!isObject(p) || typeof p.name !== 'string') throw malformed(file, `versions[${i}].providers[${j}] has no "name" string`);
    });
  });
  return {
    ...raw,
    name,
    description: typeof raw.description === 'string' ? raw.description : '',
    versions: (versions as CatalogVersion[]).map((v) => ({ ...v, providers: [...(v.providers ?? [])] })),
  };
}

/**
 * The entry already published for this version, provider and architecture. An entry of
 * the provider without an architecture (written before Vagrant had them) stands for every
 * architecture, so it is in the way too.
 */
export function findEntry(catalog: CatalogMetadata, version: string, provider: string, architecture: string): CatalogProvider | undefined {
  const v = catalog.versions.find((x) => compareVersions(x.version, version) === 0);
  return v?.providers.find((p) => p.name === provider && (p.architecture === undefined || p.architecture === architecture));
}

export interface AddOptions {
  /** Replace an entry already there instead of refusing. */
  force: boolean;
  /** The box's description; kept as it is when not given. */
  description?: string;
}

export interface AddResult {
  catalog: CatalogMetadata;
  /** The entry the new one replaced (with force). */
  replaced?: CatalogProvider;
}

/** The catalog with `entry` added (versions sorted, others kept); refuses a duplicate without force. */
export function addEntry(catalog: CatalogMetadata, entry: CatalogEntry, options: AddOptions): AddResult {
  const replaced = findEntry(catalog, entry.version, entry.provider, entry.architecture);
  if (replaced && !options.force) {
    throw new KilnError('E_CATALOG_EXISTS', `${catalog.name} ${entry.version} already has a ${entry.provider} box for ${replaced.architecture ?? 'every architecture'}`, {
      hint: 'publish a new version (boxes already downloaded keep their checksum), or replace this one with --force',
    });
  }
  const existing = catalog.versions.find((v) => compareVersions(v.version, entry.version) === 0);
  const others = (existing?.providers ?? []).filter((p) => p !== replaced);
  const siblings = others.filter((p) => p.name === entry.provider);
  const provider: CatalogProvider = {
    name: entry.provider,
    url: entry.url,
    checksum_type: 'sha256',
    checksum: entry.checksum,
    architecture: entry.architecture,
    // The first architecture of a provider is its default; a replaced entry keeps its role.
    default_architecture: replaced?.default_architecture ?? !siblings.some((p) => p.default_architecture === true),
  };
  const version: CatalogVersion = { ...(existing ?? {}), version: existing?.version ?? entry.version, providers: sortProviders([...others, provider]) };
  const versions = [...catalog.versions.filter((v) => v !== existing), version].sort((a, b) => compareVersions(a.version, b.version));
  return {
    catalog: { ...catalog, ...(options.description !== undefined ? { description: options.description } : {}), versions },
    ...(replaced ? { replaced } : {}),
  };
}

/** By provider name, then architecture, with each provider's default architecture last (see above). */
export function sortProviders(providers: CatalogProvider[]): CatalogProvider[] {
  return [...providers].sort(
    (a, b) =>
      cmp(a.name, b.name) ||
      Number(a.default_architecture === true) - Number(b.default_architecture === true) ||
      cmp(a.architecture ?? '', b.architecture ?? ''),
  );
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function malformed(file: string, what: string): KilnError {
  return new KilnError('E_CATALOG', `${file} cannot be read as a box catalog: ${what}`, {
    hint: 'fix the file by hand (Vagrant reads it too), or move it away to start the catalog afresh',
  });
}
