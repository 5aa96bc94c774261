// The document's keys in the order kiln's own templates write them, so `kiln import`
// writes a kiln.yaml that reads like one: the top level in KEY_ORDER, nested mappings in
// the order of the schema's properties, keys the schema does not list yet last.
import type { Segment } from '../../template/finding.js';
import { schemaAt } from '../../template/schema.js';

/** cd and floppy sit with the machine they are attached to; post_process after output, which it works on. */
const TOP_LEVEL = ['name', 'hypervisor', 'source', 'machine', 'cd', 'floppy', 'http', 'boot', 'ssh', 'provision', 'shutdown', 'output', 'post_process'];

export function inKilnOrder(document: Record<string, unknown>): Record<string, unknown> {
  return ordered(document, [], TOP_LEVEL) as Record<string, unknown>;
}

function ordered(node: unknown, path: Segment[], order?: string[]): unknown {
  if (Array.isArray(node)) return node.map((item, i) => ordered(item, [...path, i]));
  if (typeof node !== 'object' || node === null) return node;
  const known = order ?? Object.keys(schemaAt(path)?.properties ?? {});
  const rank = (key: string): number => (known.includes(key) ? known.indexOf(key) : known.length);
  const keys = Object.keys(node).sort((a, b) => rank(a) - rank(b));
  return Object.fromEntries(keys.map((key) => [key, ordered((node as Record<string, unknown>)[key], [...path, key])]));
}
