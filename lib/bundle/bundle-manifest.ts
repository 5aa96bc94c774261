// kiln-bundle.json, the last member of a bundle: every other member, what it is, where
// it goes in kiln's cache and its sha256. Members are named files/NNNNNN so that no
// cache path is too long for a tar header; the manifest says where each one goes.
import { isAbsolute } from 'node:path';
import { KilnError } from '../errors.js';

export const BUNDLE_MANIFEST = 'kiln-bundle.json';

export type BundleItemKind = 'source' | 'package' | 'layer';

export interface BundleItem {
  /** The tar member holding it. */
  member: string;
  kind: BundleItemKind;
  /** Where it goes, relative to kiln's cache directory (sources/v2/..., packages/v1/..., layers/...). */
  path: string;
  size: number;
  sha256: string;
}

export interface BundleManifest {
  format: 'kiln-bundle';
  version: 1;
  kiln_version: string;
  created: string;
  /** The templates (and builds) it was made for, as given on the command line. */
  templates: string[];
  items: BundleItem[];
}

/** The cache folders a bundle may write into; record files go in after what they describe. */
const ROOTS = ['sources/v2/', 'packages/v1/', 'layers/'];

/** Checks a parsed kiln-bundle.json; a problem is E_BUNDLE naming the item. */
export function checkBundleManifest(data: unknown, file: string): BundleManifest {
  const bad = (why: string) => new KilnError('E_BUNDLE', `${file}: ${BUNDLE_MANIFEST}: ${why}`, { hint: 'make the bundle again with kiln bundle export' });
  const manifest = data as BundleManifest;
  if (typeof data !== 'object' || data === null || manifest.format !== 'kiln-bundle' || manifest.version !== 1 || !Array.isArray(manifest.items)) {
    throw bad('not a kiln bundle manifest (format kiln-bundle, version 1, items)');
  }
  const members = new Set<string>();
  manifest.items.forEach((item, index) => {
    const where = `items[${index}]`;
    if (typeof item?.member !== 'string' || !/^files\/\d{6}$/.test(item.member) || members.has(item.member)) throw bad(`${where}: member must be a distinct files/NNNNNN`);
    members.add(item.member);
    if (typeof item.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(item.sha256) || !Number.isSafeInteger(item.size)) throw bad(`${where}: needs sha256 and size`);
    if (!safeCachePath(item.path)) throw bad(`${where}: ${String(item.path)} is not a path inside kiln's cache (${ROOTS.join(', ')})`);
  });
  return manifest;
}

function safeCachePath(path: unknown): boolean {
  if (typeof path !== 'string' || isAbsolute(path) || path.includes('\\')) return false;
  if (path.split('/').some((part) => part === '' || part === '.' || part === '..')) return false;
  return ROOTS.some((root) => path.startsWith(root));
}
