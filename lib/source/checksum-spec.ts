// Parses the `checksum:` value of a source: "sha256:<hex>", "file:<url-or-path>", "none".
// Pure, so template validation can call it before anything is downloaded.
import type { ChecksumAlgorithm, ChecksumSpec } from '../template/types.js';

export const DIGEST_HEX_LENGTH: Record<ChecksumAlgorithm, number> = {
  md5: 32,
  sha1: 40,
  sha256: 64,
  sha512: 128,
};

const ALGORITHMS = Object.keys(DIGEST_HEX_LENGTH) as ChecksumAlgorithm[];

export type ChecksumSpecResult = { ok: true; spec: ChecksumSpec } | { ok: false; message: string };

export function parseChecksumSpec(text: string): ChecksumSpecResult {
  const value = text.trim();
  if (value === 'none') return { ok: true, spec: { kind: 'none' } };
  const colon = value.indexOf(':');
  if (colon < 0) {
    return { ok: false, message: `"${value}" is not a checksum: write sha256:<hex>, file:<url-or-path> or none` };
  }
  const prefix = value.slice(0, colon).toLowerCase();
  const rest = value.slice(colon + 1).trim();
  if (prefix === 'file') {
    if (!rest) return { ok: false, message: 'file: needs the URL or path of a checksum file (e.g. file:SHA256SUMS)' };
    return { ok: true, spec: { kind: 'file', location: rest, algorithm: algorithmFromSumsName(rest) } };
  }
  if (!(ALGORITHMS as string[]).includes(prefix)) {
    return { ok: false, message: `unknown checksum type "${prefix}": use one of ${ALGORITHMS.join(', ')}, file or none` };
  }
  const algorithm = prefix as ChecksumAlgorithm;
  const hex = rest.toLowerCase();
  if (!/^[0-9a-f]+$/.test(hex) || hex.length !== DIGEST_HEX_LENGTH[algorithm]) {
    return {
      ok: false,
      message: `${algorithm} checksum must be ${DIGEST_HEX_LENGTH[algorithm]} hex digits, got ${hex.length ? `${hex.length} characters` : 'nothing'}`,
    };
  }
  return { ok: true, spec: { kind: 'digest', algorithm, hex } };
}

/** SHA256SUMS, sha512sum.txt, CHECKSUM.sha1 ... name the algorithm; others are guessed by digest length. */
export function algorithmFromSumsName(location: string): ChecksumAlgorithm | undefined {
  const name = location.toLowerCase().split(/[/\\]/).pop() ?? '';
  return ALGORITHMS.find((a) => name.includes(a));
}

export function algorithmFromHexLength(length: number): ChecksumAlgorithm | undefined {
  return ALGORITHMS.find((a) => DIGEST_HEX_LENGTH[a] === length);
}
