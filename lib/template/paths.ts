// Where the things a template names live: URLs stay URLs, everything else is a local
// path resolved against the template's directory. Pure (no file system access).
import { isAbsolute, resolve } from 'node:path';
import type { KilnError } from '../errors.js';
import { hasScheme, parseLocation } from '../source/location.js';

export function resolvePath(dir: string, path: string): string {
  return isAbsolute(path) ? resolve(path) : resolve(dir, path);
}

export type ResolvedLocation = { ok: true; location: string } | { ok: false; message: string };

/**
 * An http(s) URL as it is, a file:// URL or path as an absolute path (relative to the
 * template); anything else is an error. The grammar is the source fetcher's own
 * (parseLocation), so what validates is what the build can fetch.
 */
export function resolveLocation(dir: string, location: string): ResolvedLocation {
  if (!location.trim()) return { ok: false, message: 'the location is empty: give a URL or a local path' };
  try {
    const parsed = parseLocation(hasScheme(location) ? location : resolvePath(dir, location));
    return { ok: true, location: parsed.kind === 'remote' ? parsed.url : parsed.path };
  } catch (error) {
    const { message, hint } = error as KilnError;
    return { ok: false, message: hint ? `${message}: ${hint}` : message };
  }
}
