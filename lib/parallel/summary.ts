// The table printed when several builds end: each build, how it ended, its time and
// what it made. Pure: outcomes in, lines out.
import { join } from 'node:path';
import { formatDuration } from '../util/duration.js';
import type { BuildOutcome, BuildStatus } from './scheduler.js';

export interface BuildArtifacts {
  outputDir: string;
  files: { file: string }[];
}

const RESULT: Record<BuildStatus, string> = { ok: 'ok', failed: 'FAILED', cancelled: 'cancelled', 'not-started': 'not started' };

/** One row per build (build, result, time, artifacts), columns padded; a build with several files lists the others under it. */
export function summaryLines(outcomes: readonly BuildOutcome<BuildArtifacts>[]): string[] {
  const rows = outcomes.map((o) => {
    const files = o.result ? o.result.files.map((f) => join(o.result!.outputDir, f.file)) : [];
    return [o.name, RESULT[o.status], o.status === 'not-started' ? '-' : formatDuration(o.ms), files];
  }) as [string, string, string, string[]][];
  const header: [string, string, string] = ['build', 'result', 'time'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const cells = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join('  ');
  const lines = [`${cells(header)}  artifacts`];
  for (const [name, result, time, files] of rows) {
    lines.push(`${cells([name, result, time])}  ${files[0] ?? '-'}`.trimEnd());
    for (const file of files.slice(1)) lines.push(`${' '.repeat(widths[0]! + widths[1]! + widths[2]! + 6)}${file}`);
  }
  const failed = outcomes.filter((o) => o.status !== 'ok').length;
  lines.push(failed === 0 ? `all ${outcomes.length} builds succeeded` : `${outcomes.length - failed} of ${outcomes.length} builds succeeded`);
  return lines;
}
