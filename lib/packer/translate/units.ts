// Packer's durations and sizes in kiln's spelling. Packer reads durations with Go's
// time.ParseDuration ("1h2m3s", "1.5h", "300ms", "10us") and disk sizes as a number of
// MB or a string with a unit letter ("40960M", "40G"); kiln's own readers
// (lib/util/duration.ts, lib/util/size.ts) take most of these as written.
import { parseDuration } from '../../util/duration.js';
import { parseSize } from '../../util/size.js';

const GO_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;
const GO_WHOLE = /^[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const GO_UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export type DurationResult = { ok: true; text: string; negative: boolean } | { ok: false };

/** A Go duration as kiln writes it: kept as written when kiln reads it so, else in whole milliseconds. */
export function kilnDuration(written: string): DurationResult {
  const text = written.trim();
  if (text === '0' || text === '-0' || text === '+0') return { ok: true, text: '0s', negative: false };
  if (!GO_WHOLE.test(text)) return { ok: false };
  if (text.startsWith('-')) return { ok: true, text: '0s', negative: true };
  const unsigned = text.replace(/^\+/, '');
  if (parseDuration(unsigned) !== undefined) return { ok: true, text: unsigned, negative: false };
  let ms = 0;
  for (const [, amount, unit] of unsigned.matchAll(GO_PART)) ms += Number(amount) * GO_UNIT_MS[unit!]!;
  // Below a millisecond only for ns/us spellings; kiln counts whole milliseconds.
  return { ok: true, text: `${Math.ceil(ms)}ms`, negative: false };
}

/**
 * Packer's disk_size: a bare number (or numeric string) is MB, which kiln's machine.disk
 * also reads a bare number as; a string with a unit letter is kept when kiln reads it.
 */
export function kilnDiskSize(value: string | number): string | number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) > 0 ? Number(text) : undefined;
  const bytes = parseSize(text);
  return bytes !== undefined && bytes > 0 ? text : undefined;
}

/** QEMU's -m value ("2048", "2G", "size=2048M", "2048,slots=2"): MiB, or undefined for forms kiln does not take apart. */
export function qemuMemoryMiB(value: string): number | undefined {
  const size = value.replace(/^size=/, '');
  if (size.includes(',') || size.includes('=')) return undefined;
  const bytes = parseSize(size);
  return bytes !== undefined && bytes > 0 && bytes % (1024 * 1024) === 0 ? bytes / (1024 * 1024) : undefined;
}

/** QEMU's -smp value: the CPU count when it is the whole value ("4", "cpus=4"), else undefined. */
export function qemuSmpCount(value: string): number | undefined {
  const match = /^(?:cpus=)?(\d+)$/.exec(value.trim());
  return match ? Number(match[1]) : undefined;
}
