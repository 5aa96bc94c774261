// Where a source or SUMS file lives: an http(s) URL, a file:// URL or a local path.
// Pure, so the rules are tested by tables.
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KilnError } from '../errors.js';
import { redactUrl } from '../util/redact-url.js';

export type Location = { kind: 'remote'; url: string } | { kind: 'local'; path: string };

// Two or more letters before "://", so a Windows drive ("C:\...") is not taken for a scheme.
const SCHEME = /^([a-z][a-z0-9+.-]+):\/\//i;

/** Whether `text` is written as a URL (scheme://...), not a path. */
export const hasScheme = (text: string): boolean => SCHEME.test(text);

export function parseLocation(text: string): Location {
  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'local', path: resolve(text) };
  if (scheme === 'http' || scheme === 'https') {
    if (!URL.canParse(text)) throw new KilnError('E_SOURCE', `"${redactUrl(text)}" is not a valid URL`);
    return { kind: 'remote', url: text };
  }
  if (scheme === 'file') {
    try {
      return { kind: 'local', path: fileURLToPath(text) };
    } catch (cause) {
      throw new KilnError('E_SOURCE', `"${redactUrl(text)}" is not a usable file:// URL`, {
        cause,
        hint: 'write an absolute file URL (file:///path/to/file) or a plain path',
      });
    }
  }
  throw new KilnError('E_SOURCE', `unsupported URL scheme "${scheme}:" in "${redactUrl(text)}"`, {
    hint: 'use an http(s):// or file:// URL, or a local path',
  });
}

/**
 * The file name a location stands for: what a SUMS file lists it under and what
 * the cached copy is called. Characters that cannot be in a file name are replaced.
 */
export function fileNameOf(location: Location): string {
  if (location.kind === 'local') return basename(location.path);
  const segments = new URL(location.url).pathname.split('/').filter(Boolean);
  let name = segments.at(-1) ?? '';
  try {
    name = decodeURIComponent(name);
  } catch {
    // keep the raw segment when it is not valid percent-encoding
  }
  name = name.replace(/[/\\\0]/g, '_');
  return name === '' || name === '.' || name === '..' ? 'download' : name;
}
