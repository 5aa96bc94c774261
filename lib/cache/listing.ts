// `kiln cache ls` as text: layers as trees (each under the layer it stands on), with
// sizes (SIZE: everything the layer takes; MEMORY: its saved guest memory, within SIZE, or
// `skipped` when another state was still being written)
// and last use. Pure.
import { formatSize } from '../util/size.js';
import type { Leftover, StoredLayer } from './store.js';

export function formatLayerTable(layers: readonly StoredLayer[], leftovers: readonly Leftover[], now: number): string {
  const ids = new Set(layers.map((l) => l.id));
  const children = new Map<string | null, StoredLayer[]>();
  for (const l of layers) {
    const parent = l.record.parent !== null && ids.has(l.record.parent) ? l.record.parent : null;
    children.set(parent, [...(children.get(parent) ?? []), l]);
  }
  const rows: string[][] = [['LAYER', 'TEMPLATE', 'STAGE', 'SIZE', 'MEMORY', 'LAST USED']];
  const visit = (parent: string | null, depth: number) => {
    const list = (children.get(parent) ?? []).sort((a, b) => a.record.template.localeCompare(b.record.template) || a.record.created.localeCompare(b.record.created));
    for (const l of list) {
      rows.push([l.id, l.record.template, `${'  '.repeat(depth)}${l.record.stage}`, formatSize(l.bytes), l.record.memory ? formatSize(l.record.memory.bytes) : l.record.memorySkipped ? 'skipped' : '-', ago(l.lastUsed, now)]);
      visit(l.id, depth + 1);
    }
  };
  visit(null, 0);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const lines = rows.map((r) => r.map((cell, c) => (c === 3 || c === 4 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd());
  if (layers.length === 0) lines.splice(0, 1, 'no cached layers');
  const running = leftovers.filter((l) => l.ownerAlive);
  const dead = leftovers.filter((l) => !l.ownerAlive);
  const size = (list: readonly { bytes: number }[]) => formatSize(list.reduce((s, l) => s + l.bytes, 0));
  if (running.length) lines.push(`${running.length} layer(s) being written by a running build: ${size(running)}`);
  if (dead.length) lines.push(`${dead.length} unfinished layer(s) left by an interrupted build: ${size(dead)} (kiln cache prune removes them)`);
  return `${lines.join('\n')}\n`;
}

/** "just now", "5 minutes ago", "3 hours ago", "2 days ago". */
export function ago(then: number, now: number): string {
  const s = Math.max(0, Math.round((now - then) / 1000));
  if (s < 60) return 'just now';
  const [n, unit] = s < 3600 ? [Math.floor(s / 60), 'minute'] : s < 86400 ? [Math.floor(s / 3600), 'hour'] : [Math.floor(s / 86400), 'day'];
  return `${n} ${unit}${n === 1 ? '' : 's'} ago`;
}
