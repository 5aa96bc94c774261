// The semantic checks' shared state: the findings so far and the local paths that
// check-paths.ts looks at afterwards, with the small rules every section uses.
import { DURATION_HINT, durationTooLong, parseDuration } from '../util/duration.js';
import type { Finding, Segment } from './finding.js';
import { resolvePath } from './paths.js';

export type Data = Record<string, unknown>;

export const isRecord = (v: unknown): v is Data => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface PathCheck {
  path: Segment[];
  absolute: string;
  expect: 'file' | 'directory' | 'file or directory';
}

export interface SemanticResult {
  findings: Finding[];
  paths: PathCheck[];
}

export class Checker {
  readonly findings: Finding[] = [];
  readonly paths: PathCheck[] = [];
  constructor(readonly dir: string) {}

  problem(path: Segment[], message: string, at?: 'key'): void {
    this.findings.push(at ? { path, message, at } : { path, message });
  }

  duration(path: Segment[], value: unknown, options: { auto?: boolean; positive?: boolean } = {}): void {
    if (typeof value !== 'string' || (options.auto && value === 'auto')) return;
    const ms = parseDuration(value);
    if (ms === undefined) this.problem(path, `"${value}" is not a duration: ${DURATION_HINT}${options.auto ? ', or auto' : ''}`);
    else if (options.positive && ms <= 0) this.problem(path, `must be longer than 0: ${DURATION_HINT}`);
    else if (durationTooLong(ms, `"${value}"`)) this.problem(path, durationTooLong(ms, `"${value}"`)!);
  }

  localPath(path: Segment[], value: unknown, expect: PathCheck['expect']): void {
    if (typeof value !== 'string') return;
    if (!value.trim()) this.problem(path, `the path is empty: give a ${expect} relative to the template`);
    else this.paths.push({ path, absolute: resolvePath(this.dir, value), expect });
  }
}

