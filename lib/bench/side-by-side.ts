// One table per fixture: each guest phase and host step with kiln's time, Packer's and
// their ratio, then the whole build and each tool's own time. Plain text, so it reads
// in a terminal and pastes into docs/benchmarks.md as a Markdown table.
import { type GuestEvent, phaseRows, type PhaseRow, type Span } from './guest-phases.js';
import { type Mark, hostSteps, ownTime, vmStart } from './host-steps.js';

export interface ToolRun {
  wholeMs: number;
  marks: Mark[];
  guest: GuestEvent[];
}

export interface SideBySide {
  guest: PhaseRow[];
  host: PhaseRow[];
  whole: PhaseRow;
  own: PhaseRow;
}

/** The comparison of two runs of one fixture; without Packer, kiln's column alone. */
export function sideBySide(kiln: ToolRun, packer?: ToolRun): SideBySide {
  const withStart = (run: ToolRun) => {
    const start = vmStart(run.marks);
    return start === undefined ? run.guest : [{ key: 'VM start', ms: start }, ...run.guest];
  };
  const kilnSteps = hostSteps(kiln.marks, kiln.wholeMs);
  const packerSteps = packer ? hostSteps(packer.marks, packer.wholeMs) : [];
  const labels = [...new Set([...kilnSteps, ...packerSteps].map((s) => s.label))];
  const find = (steps: Span[], label: string) => steps.find((s) => s.label === label)?.ms;
  return {
    guest: phaseRows(withStart(kiln), packer && withStart(packer)),
    host: labels.map((label) => row(label, find(kilnSteps, label), find(packerSteps, label))),
    whole: row('whole build', kiln.wholeMs, packer?.wholeMs),
    own: row("own time (whole build less the guest's steps)", ownTime(kilnSteps, kiln.wholeMs), packer && ownTime(packerSteps, packer.wholeMs)),
  };
}

function row(label: string, kiln: number | undefined, packer: number | undefined): PhaseRow {
  return { label, ...(kiln !== undefined ? { kiln } : {}), ...(packer !== undefined ? { packer } : {}) };
}

/** A Markdown table: | phase | kiln | Packer | kiln / Packer |. */
export function formatSideBySide(title: string, table: SideBySide, packerName = 'Packer'): string {
  const cell = (ms: number | undefined) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`);
  // Below the 50 ms the serial log is read at, a ratio says nothing.
  const ratio = (r: PhaseRow) => (r.kiln !== undefined && r.packer !== undefined && r.packer >= 100 && r.kiln >= 100 ? (r.kiln / r.packer).toFixed(2) : '');
  // kiln bench has no Packer run: kiln's column alone.
  const both = table.whole.packer !== undefined;
  const line = (r: PhaseRow, bold = false) => {
    const label = bold ? `**${r.label}**` : r.label;
    return both ? `| ${label} | ${cell(r.kiln)} | ${cell(r.packer)} | ${ratio(r)} |` : `| ${label} | ${cell(r.kiln)} |`;
  };
  const section = (name: string) => (both ? `| *${name}* | | | |` : `| *${name}* | |`);
  return [
    `${title}`,
    '',
    both ? `| | kiln | ${packerName} | kiln / ${packerName} |` : '| | kiln |',
    both ? '| --- | ---: | ---: | ---: |' : '| --- | ---: |',
    ...(table.guest.length ? [section('guest phase (serial console)'), ...table.guest.map((r) => line(r))] : []),
    section('host step'),
    ...table.host.map((r) => line(r)),
    line(table.whole, true),
    line(table.own, true),
    '',
  ].join('\n');
}
