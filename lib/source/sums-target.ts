// How a source may be named in a SUMS file: the segments of its path, and its path below
// the SUMS file's folder when it lies there (same origin for URLs), so that
// "amd64/disc.iso" and "arm64/disc.iso" in one SHA256SUMS are told apart.
import { dirname, isAbsolute, relative, sep } from 'node:path';
import { fileNameOf, parseLocation, type Location } from './location.js';
import type { SumsTarget } from './sums-file.js';

export function sumsTargetOf(source: Location, sumsLocation: string): SumsTarget {
  const name = fileNameOf(source);
  let sums: Location | undefined;
  try {
    sums = parseLocation(sumsLocation);
  } catch {
    sums = undefined;
  }
  if (source.kind === 'local') {
    const segments = [...source.path.split(sep).filter(Boolean).slice(0, -1), name];
    if (sums?.kind !== 'local') return { segments };
    const below = relative(dirname(sums.path), source.path);
    const inside = below !== '' && !below.startsWith('..') && !isAbsolute(below);
    return inside ? { segments, relative: below.split(sep).join('/') } : { segments };
  }
  const url = new URL(source.url);
  const segments = [...url.pathname.split('/').filter(Boolean).slice(0, -1).map(decode), name];
  if (sums?.kind !== 'remote') return { segments };
  const base = new URL(sums.url);
  const folder = base.pathname.slice(0, base.pathname.lastIndexOf('/') + 1);
  if (base.origin !== url.origin || !url.pathname.startsWith(folder)) return { segments };
  const below = url.pathname.slice(folder.length).split('/').filter(Boolean);
  return below.length ? { segments, relative: [...below.slice(0, -1).map(decode), name].join('/') } : { segments };
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // not valid percent-encoding: as written
  }
}
