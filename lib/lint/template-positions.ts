// Where a problem inside an http.content entry, in the boot command, or in the
// cloud_init seed is in the template file itself, so it prints as kiln.yaml:LINE:COLUMN
// like other template issues. The loader's parse is used: the file is not read again.
import { isSeq } from 'yaml';
import type { Issue } from '../errors.js';
import type { Finding, Segment } from '../template/finding.js';
import type { ParsedSource } from '../template/parse-source.js';
import { locate } from '../template/positions.js';

export interface TemplatePositions {
  /** An Issue for line/column of the http.content entry `key` (as written in the template). */
  content(key: string, line: number, column: number | undefined, message: string): Issue;
  /** An Issue at boot.command line `index` (undefined: the whole command). */
  boot(index: number | undefined, message: string): Issue;
  /** Issues for findings by key path (and offset into the value), e.g. the seed lint's. */
  findings(found: readonly Finding[]): Issue[];
}

/** From the loader's parse of the template file. */
export function templatePositions(source: ParsedSource): TemplatePositions {
  const at = (path: Segment[], message: string, offset?: number): Issue => {
    const finding = offset === undefined ? { path, message } : { path, message, offset };
    return locate(source, finding);
  };
  return {
    content(key, line, column, message) {
      const raw = source.doc.getIn(['http', 'content', key]);
      if (typeof raw !== 'string') return at(['http', 'content', key], `line ${line}: ${message}`);
      const lines = raw.split('\n');
      if (line > lines.length) return at(['http', 'content', key], `line ${line}: ${message}`);
      const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
      const inLine = Math.min(Math.max((column ?? 1) - 1, 0), Math.max(lines[line - 1]!.length - 1, 0));
      const issue = at(['http', 'content', key], message, start + inLine);
      // When the value is not a `|` block, positions inside it are unknown: say which line.
      return issue.line !== undefined && isBlockLiteral(source, key) ? issue : { ...issue, message: `line ${line} of the content: ${message}` };
    },
    boot(index, message) {
      const command = source.doc.getIn(['boot', 'command']);
      const path: Segment[] = index !== undefined && isSeq(command) ? ['boot', 'command', index] : ['boot', 'command'];
      return at(path, message);
    },
    findings: (found) => found.map((f) => at(f.path, f.message, f.offset)),
  };
}

function isBlockLiteral(source: ParsedSource, key: string): boolean {
  const node = source.doc.getIn(['http', 'content', key], true) as { type?: string } | undefined;
  return node?.type === 'BLOCK_LITERAL';
}
