// Sizes as template authors write them: "20G", "512M", "1.5GiB", "2048".
// Suffixes are powers of 1024 and case-insensitive; "B", "iB" after them are optional.
// A bare number has no unit of its own: the caller says what it means (MiB for
// memory and disk, like Packer's memory and disk_size).

export const KIB = 1024;
export const MIB = 1024 ** 2;
export const GIB = 1024 ** 3;
export const TIB = 1024 ** 4;

const FACTOR: Record<string, number> = { k: KIB, m: MIB, g: GIB, t: TIB };
const SIZE = /^(\d+(?:\.\d+)?)\s*(?:([kmgt])(?:i?b)?|(b))?$/i;

export const SIZE_HINT = 'write a size like 512M, 20G or 1.5T (powers of 1024), or a bare number of MiB';

/** Bytes for a size, or undefined when it is not one. `bareUnit` is the bytes a bare number counts. */
export function parseSize(value: string | number, bareUnit: number = MIB): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? Math.round(value * bareUnit) : undefined;
  }
  const match = SIZE.exec(value.trim());
  if (!match) return undefined;
  const [, amount, prefix, bytesOnly] = match;
  const factor = prefix ? FACTOR[prefix.toLowerCase()]! : bytesOnly ? 1 : bareUnit;
  return Math.round(Number(amount) * factor);
}

/** "20G", "512M", "1.5G": the largest unit that reads well, for messages. */
export function formatSize(bytes: number): string {
  const units: [string, number][] = [
    ['T', TIB],
    ['G', GIB],
    ['M', MIB],
    ['K', KIB],
  ];
  for (const [suffix, factor] of units) {
    if (bytes >= factor) {
      const amount = bytes / factor;
      return `${Number.isInteger(amount) ? amount : amount.toFixed(1)}${suffix}`;
    }
  }
  return `${bytes}B`;
}
