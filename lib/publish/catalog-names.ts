// What `kiln publish` accepts as a box name, version, architecture, URL base and target,
// as pure checks. A catalog lays boxes out as DIR/<org>/<box>/<version>/, so each part
// must be a plain path segment; the rules are Vagrant Cloud's (org/name, X.Y.Z).
import { KilnError } from '../errors.js';
import { parseReference, type ImageReference } from '../oci/reference.js';

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
const ARCHITECTURE = /^[a-z0-9][a-z0-9_]*$/;

export interface BoxName {
  org: string;
  box: string;
  /** org/box */
  full: string;
}

/** `org/box`: two segments of letters, digits, '.', '_' and '-', each starting with a letter or digit. */
export function parseBoxName(name: string): BoxName {
  const parts = name.split('/');
  if (parts.length !== 2 || !parts.every((p) => SEGMENT.test(p) && p.length <= 100)) {
    throw new KilnError('E_USAGE', `box name "${name}" is not org/name`, {
      hint: 'name the box as Vagrant does, organisation and box: --name acme/debian-12 (letters, digits, ".", "_", "-")',
    });
  }
  return { org: parts[0]!, box: parts[1]!, full: name };
}

/** X.Y.Z of whole numbers without leading zeros (Vagrant Cloud's rule; 1.02.0 would equal 1.2.0). */
export function checkVersion(version: string): string {
  if (!VERSION.test(version)) {
    throw new KilnError('E_USAGE', `box version "${version}" is not X.Y.Z`, {
      hint: 'give three whole numbers, like --version 1.2.0 (no "v", no leading zeros); Vagrant orders versions by them',
    });
  }
  return version;
}

/** Vagrant's architecture names: amd64, arm64, i386, ... (lower case). */
export function checkArchitecture(architecture: string): string {
  if (!ARCHITECTURE.test(architecture)) {
    throw new KilnError('E_USAGE', `architecture "${architecture}" is not an architecture name`, {
      hint: 'use Vagrant\'s names: --architecture amd64 (x86_64), arm64 (aarch64), i386',
    });
  }
  return architecture;
}

/** The URL the catalog directory is served at: http, https or file, without a trailing slash. */
export function checkUrlBase(base: string): string {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new KilnError('E_USAGE', `--url-base "${base}" is not a URL`, {
      hint: 'give the URL the catalog directory is served at, e.g. --url-base https://boxes.example.com',
    });
  }
  if (!['http:', 'https:', 'file:'].includes(url.protocol) || url.search || url.hash) {
    throw new KilnError('E_USAGE', `--url-base "${base}" must be an http, https or file URL without ?query or #fragment`, {
      hint: 'give the URL the catalog directory is served at, e.g. --url-base https://boxes.example.com',
    });
  }
  return base.replace(/\/+$/, '');
}

export type PublishTarget = { kind: 'catalog'; dir: string } | { kind: 'oci'; ref: ImageReference };

/** `--to catalog:DIR` or `--to oci://HOST/REPO[:TAG]` (tag default latest). */
export function parseTarget(to: string): PublishTarget {
  if (to.startsWith('oci://')) return { kind: 'oci', ref: parseReference(to, 'latest') };
  const colon = to.indexOf(':');
  const kind = colon > 0 ? to.slice(0, colon) : '';
  const rest = to.slice(colon + 1);
  if (kind === 'catalog' && rest !== '') return { kind, dir: rest };
  throw new KilnError('E_USAGE', kind === 'catalog' ? '--to catalog: needs a directory' : `--to "${to}" is not a publish target`, {
    hint: 'publish into a box catalog directory (--to catalog:/srv/boxes, served by any web server) or an OCI registry (--to oci://registry.example.com/images/debian-12:1.2.0)',
  });
}

/**
 * Orders versions as Vagrant does (Gem::Version for plain dotted numbers): numerically
 * segment by segment, a missing segment counting as 0 (1.2 equals 1.2.0). A segment that
 * is not a number compares as text, after the numbers (Gem's prereleases, 1.0.a < 1.0,
 * are not modelled: kiln writes X.Y.Z only, and keeps other entries where they sort).
 */
export function compareVersions(a: string, b: string): number {
  const as = a.split('.');
  const bs = b.split('.');
  for (let i = 0; i < Math.max(as.length, bs.length); i++) {
    const x = as[i] ?? '0';
    const y = bs[i] ?? '0';
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) {
      const d = Number(x) - Number(y);
      if (d !== 0) return Math.sign(d);
    } else if (nx !== ny) {
      return nx ? -1 : 1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return 0;
}
