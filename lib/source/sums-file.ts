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

/**
 * The entry for `fileName`: an exact name first ("./name" counts as exact), then an entry
 * whose last path segment matches ("images/name"). With `algorithm`, other algorithms are ignored.
 */
export function findSumsEntry(text: string, fileName: string, algorithm?: ChecksumAlgorithm): SumsEntry | undefined {
  const entries = parseSums(text).filter((e) => !algorithm || e.algorithm === algorithm);
  const plain = (name: string) => name.replace(/^(\.\/)+/, '');
  return (
    entries.find((e) => plain(e.name) === fileName) ?? entries.find((e) => e.name.split('/').at(-1) === fileName)
  );
}
