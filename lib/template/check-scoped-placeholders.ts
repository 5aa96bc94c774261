// Placeholders that have a value in one key only ({{ .Vars }} in a shell provisioner's
// execute_command, ...): anywhere else they would fail mid-build, so say so up front.
import { scanExpressions, SCOPED_PLACEHOLDERS } from './expressions.js';
import type { Finding, Segment } from './finding.js';

type ScopedName = (typeof SCOPED_PLACEHOLDERS)[number];

interface Scope {
  /** The key path where the placeholders are known; '*' matches any list index. */
  at: readonly (Segment | '*')[];
  names: readonly ScopedName[];
  where: string;
}

const SCOPES: readonly Scope[] = [
  { at: ['provision', '*', 'shell', 'execute_command'], names: ['Vars', 'Path'], where: "a shell provisioner's execute_command" },
  { at: ['output', 'vagrant', 'output'], names: ['Provider', 'BuildName'], where: 'output.vagrant.output' },
];

export function checkScopedPlaceholders(data: unknown): Finding[] {
  const findings: Finding[] = [];
  const visit = (value: unknown, path: Segment[]): void => {
    if (typeof value === 'string') {
      for (const piece of scanExpressions(value).pieces) {
        if (piece.kind !== 'expression' || piece.expression.kind !== 'placeholder') continue;
        const name = piece.expression.name;
        const scopes = SCOPES.filter((s) => (s.names as readonly string[]).includes(name));
        if (scopes.length === 0 || scopes.some((s) => matches(s.at, path))) continue;
        const places = scopes.map((s) => s.where).join(' or ');
        findings.push({ path, offset: piece.start, message: `${piece.source} only has a value in ${places}` });
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, [...path, i]));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) if (!(path.length === 0 && key === 'variables')) visit(item, [...path, key]);
    }
  };
  visit(data, []);
  return findings;
}

function matches(pattern: readonly (Segment | '*')[], path: readonly Segment[]): boolean {
  return pattern.length === path.length && pattern.every((p, i) => p === '*' ? typeof path[i] === 'number' : p === path[i]);
}
