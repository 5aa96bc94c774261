// Parses checksum files as distributions publish them, and finds one file's entry.
//   GNU coreutils:  "<hex>  name" (text mode) or "<hex> *name" (binary mode); "<hex> name" too
//   BSD / --tag:    "SHA256 (name) = <hex>"
// Anything else (comments, PGP armour around Fedora's CHECKSUM files) is skipped.
import type { ChecksumAlgorithm } from '../template/types.js';
import { algorithmFromHexLength, DIGEST_HEX_LENGTH } from './checksum-spec.js';

export interface SumsEntry {
  name: string;
  algorithm: ChecksumAlgorithm;
  hex: string;
}

const GNU = /^(\\?)([0-9a-fA-F]+) [ *]?(.+)$/;
const BSD = /^(MD5|SHA-?1|SHA-?256|SHA-?512) ?\((.+)\) ?= ?([0-9a-fA-F]+)$/i;

export function parseSums(text: string): SumsEntry[] {
  const entries: SumsEntry[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const bsd = BSD.exec(line);
    if (bsd) {
      const algorithm = bsd[1]!.toLowerCase().replace('-', '') as ChecksumAlgorithm;
      const hex = bsd[3]!.toLowerCase();
      if (hex.length === DIGEST_HEX_LENGTH[algorithm]) entries.push({ name: bsd[2]!, algorithm, hex });
      continue;
    }
    const gnu = GNU.exec(line);
    if (gnu) {
      const algorithm = algorithmFromHexLength(gnu[2]!.length);
      // A leading backslash means coreutils escaped "\\" and "\n" in the name.
      const name = gnu[1] ? gnu[3]!.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\')) : gnu[3]!;
      if (algorithm) entries.push({ name, algorithm, hex: gnu[2]!.toLowerCase() });
    }
  }
  return entries;
}

/** The source as a SUMS file may name it. */
export interface SumsTarget {
  /** Path segments of the source (of its URL, or of its local path); the last is its file name. */
  segments: string[];
  /** Its path below the SUMS file's folder ("amd64/disc.iso"), when it is below it. */
  relative?: string;
}

export type SumsMatch =
  | { kind: 'found'; entry: SumsEntry }
  /** Entries that fit equally well but disagree: kiln will not guess. */
  | { kind: 'ambiguous'; entries: SumsEntry[] }
  | { kind: 'missing' };

/**
 * The entry for the source, by the most specific name that fits:
 *  1. its full path below the SUMS file's folder ("./" prefixes ignored);
 *  2. the entries whose path is the longest tail of the source's path ("amd64/disc.iso"
 *     beats "disc.iso" for .../amd64/disc.iso);
 *  3. entries in other folders with the same file name ("images/disc.iso").
 * Within a step, entries of one algorithm with different digests are ambiguous (a name
 * listed twice, or arm64/disc.iso and amd64/disc.iso for .../disc.iso); the same digest
 * twice, or the file in several algorithms, is not. With `algorithm`, others are ignored.
 */
export function findSumsEntry(text: string, target: SumsTarget | string, algorithm?: ChecksumAlgorithm): SumsMatch {
  const { segments, relative } = typeof target === 'string' ? { segments: [target], relative: undefined } : target;
  const entries = parseSums(text)
    .filter((e) => !algorithm || e.algorithm === algorithm)
    .map((entry) => ({ entry, path: entry.name.replace(/^(\.\/)+/, '').split('/') }));
  if (relative !== undefined) {
    const exact = entries.filter((e) => e.path.join('/') === relative);
    if (exact.length) return decide(exact.map((e) => e.entry));
  }
  const isTail = (path: string[]) => path.length <= segments.length && path.every((p, i) => p === segments[segments.length - path.length + i]);
  const tails = entries.filter((e) => isTail(e.path));
  if (tails.length) {
    const longest = Math.max(...tails.map((e) => e.path.length));
    return decide(tails.filter((e) => e.path.length === longest).map((e) => e.entry));
  }
  return decide(entries.filter((e) => e.path.at(-1) === segments.at(-1)).map((e) => e.entry));
}

function decide(candidates: SumsEntry[]): SumsMatch {
  if (!candidates.length) return { kind: 'missing' };
  const conflicting = candidates.filter((c) => candidates.some((o) => o.algorithm === c.algorithm && o.hex !== c.hex));
  return conflicting.length ? { kind: 'ambiguous', entries: conflicting } : { kind: 'found', entry: candidates[0]! };
}
