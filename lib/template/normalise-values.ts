// Small conversions normalise.ts and normalise-provision.ts share: host paths, scalar
// maps, durations (valid by the time they run).
import { parseDuration } from '../util/duration.js';
import { resolvePath } from './paths.js';
import type { Scalar } from './raw-template.js';

/** A trailing slash means "the directory's contents" (Packer's rule); resolve() would drop it. */
export const hostPath = (dir: string, written: string): string => resolvePath(dir, written) + (/[/\\]$/.test(written) ? '/' : '');

export const strings = (map: Record<string, Scalar> | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(map ?? {}).map(([k, v]) => [k, String(v)]));

export const duration = (text: string | undefined, fallback: string): number => parseDuration(text ?? fallback)!;
export const optionalDuration = (text: string | undefined): number | undefined => (text === undefined ? undefined : parseDuration(text)!);
