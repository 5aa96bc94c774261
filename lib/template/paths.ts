// Where the things a template names live: URLs stay URLs, everything else is a local
// path resolved against the template's directory. Pure (no file system access).
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HTTP_URL = /^https?:\/\//i;
const ANY_URL = /^([a-z][a-z0-9+.-]*):\/\//i;

export const isHttpUrl = (location: string): boolean => HTTP_URL.test(location);

export function resolvePath(dir: string, path: string): string {
  return isAbsolute(path) ? resolve(path) : resolve(dir, path);
}

export type ResolvedLocation = { ok: true; location: string } | { ok: false; message: string };

/** An http(s) URL as it is, a file:// URL or path as an absolute path; other schemes are errors. */
export function resolveLocation(dir: string, location: string): ResolvedLocation {
  if (HTTP_URL.test(location)) return { ok: true, location };
  const scheme = ANY_URL.exec(location)?.[1]?.toLowerCase();
  if (scheme === 'file') {
    try {
      return { ok: true, location: fileURLToPath(location) };
    } catch (cause) {
      return { ok: false, message: `"${location}" is not a usable file URL (${(cause as Error).message}): write a plain path instead` };
    }
  }
  if (scheme) return { ok: false, message: `"${location}" uses ${scheme}://, which kiln cannot fetch: use http(s):// or a local path` };
  if (!location.trim()) return { ok: false, message: 'the location is empty: give a URL or a local path' };
  return { ok: true, location: resolvePath(dir, location) };
}
