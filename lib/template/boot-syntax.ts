// Checks the boot command with the keyboard parser before any VM starts. The lines are
// parsed joined, exactly as the build types them, and an error is pointed back at the
// line (and character) it came from.
import { BootCommandSyntaxError, parseBootCommand } from '../keyboard/parse.js';
import type { Finding, Segment } from './finding.js';

export function checkBootCommand(command: unknown): Finding[] {
  const lines = bootLines(command);
  if (!lines) return [];
  const joined = lines.map((l) => l.text).join('');
  try {
    parseBootCommand(joined);
    return [];
  } catch (error) {
    if (!(error instanceof BootCommandSyntaxError)) throw error;
    const { path, offset } = lineAt(lines, error.offset);
    const fix = error.hint && !error.message.includes('did you mean') ? `; ${error.hint}` : '';
    return [{ path, offset, message: `${error.message}${fix}` }];
  }
}

interface Line {
  path: Segment[];
  text: string;
}

function bootLines(command: unknown): Line[] | undefined {
  if (typeof command === 'string') return [{ path: ['boot', 'command'], text: command }];
  if (!Array.isArray(command) || !command.every((c) => typeof c === 'string')) return undefined;
  return command.map((text: string, i) => ({ path: ['boot', 'command', i], text }));
}

/** The line holding character `offset` of the joined command, and the offset inside it. */
function lineAt(lines: Line[], offset: number): { path: Segment[]; offset: number } {
  let start = 0;
  for (const line of lines) {
    if (offset < start + line.text.length) return { path: line.path, offset: offset - start };
    start += line.text.length;
  }
  const last = lines.findLast((l) => l.text.length > 0) ?? lines[lines.length - 1]!;
  return { path: last.path, offset: Math.max(0, last.text.length - 1) };
}
