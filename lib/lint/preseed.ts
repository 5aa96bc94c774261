// Preseed files (debian-installer): every line is "owner question type value", parsed
// the way debconf-set-selections does it (a trailing "\" joins the next line; blank
// lines and "#" comments are skipped). Pure.
import { closestMatch } from '../util/did-you-mean.js';
import { splitLines, sortProblems, type LintProblem } from './problem.js';
import { KNOWN_QUESTIONS } from './preseed-questions.js';

export const PRESEED_TYPES = ['string', 'boolean', 'select', 'multiselect', 'password', 'note', 'text', 'title'] as const;
/** Flags debconf-set-selections sets instead of a value ("d-i foo/bar seen false"). */
const FLAGS = ['seen'];

export interface PreseedEntry {
  /** Line of the entry's first physical line. */
  line: number;
  owner: string;
  question: string;
  type: string;
  value: string;
  /** 1-based column of each field on the first line, when it is on that line. */
  columns: { owner?: number; question?: number; type?: number; value?: number };
}

export interface ParsedPreseed {
  entries: PreseedEntry[];
  problems: LintProblem[];
}

const ENTRY = /^(\s*)(\S+)(\s+)(\S+)(\s+)(\S+)(?:(\s)(.*))?$/;

export function parsePreseed(text: string): ParsedPreseed {
  const physical = splitLines(text);
  const entries: PreseedEntry[] = [];
  const problems: LintProblem[] = [];
  for (let i = 0; i < physical.length; i++) {
    const line = i + 1;
    const first = physical[i]!;
    let joined = first;
    // debconf-set-selections: strip the backslash and append the next line as it is.
    while (joined.endsWith('\\') && i + 1 < physical.length) joined = joined.slice(0, -1) + physical[++i]!;
    if (/^\s*$/.test(joined) || /^\s*#/.test(joined)) continue;
    const m = ENTRY.exec(joined);
    if (!m) {
      problems.push(malformed(joined, line));
      continue;
    }
    const [, lead, owner, sp1, question, sp2, type, sp3 = '', value = ''] = m;
    const starts = [lead!.length, 0, 0, 0];
    starts[1] = starts[0]! + owner!.length + sp1!.length;
    starts[2] = starts[1]! + question!.length + sp2!.length;
    starts[3] = starts[2]! + type!.length + sp3.length;
    const col = (start: number) => (start < first.length ? start + 1 : undefined);
    entries.push({
      line,
      owner: owner!,
      question: question!,
      type: type!,
      value,
      columns: { owner: col(starts[0]!), question: col(starts[1]!), type: col(starts[2]!), value: col(starts[3]!) },
    });
  }
  return { entries, problems };
}

function malformed(text: string, line: number): LintProblem {
  const words = text.trim().split(/\s+/);
  const column = text.length - text.trimStart().length + 1;
  const format = '"owner question type value", e.g. "d-i passwd/username string vagrant"';
  if (words.length === 1) return { line, column, message: `"${words[0]}" alone is not a preseed line: write ${format}` };
  return { line, column, message: `missing the type after "${words[1]}": write ${format} (types: ${PRESEED_TYPES.join(', ')})` };
}

export function lintPreseed(text: string): LintProblem[] {
  const { entries, problems } = parsePreseed(text);
  const byQuestion = new Map<string, PreseedEntry>();
  for (const entry of entries) {
    const at = (column: number | undefined, message: string) =>
      problems.push(column === undefined ? { line: entry.line, message } : { line: entry.line, column, message });
    const { type, value, question } = entry;
    if (!(PRESEED_TYPES as readonly string[]).includes(type) && !FLAGS.includes(type)) {
      const near = closestMatch(type, [...PRESEED_TYPES, ...FLAGS]);
      at(
        entry.columns.type,
        `unknown type "${type}"${near ? `: did you mean "${near}"?` : ''} (debconf-set-selections skips this line, so the answer is lost; types: ${PRESEED_TYPES.join(', ')})`,
      );
    } else if ((type === 'boolean' || type === 'seen') && value !== 'true' && value !== 'false') {
      const hint = value.trim() === 'true' || value.trim() === 'false' ? ': remove the blank after it, which is part of the value' : '';
      at(entry.columns.value ?? entry.columns.type, `a ${type} must be true or false, not ${JSON.stringify(value)}${hint}`);
    }
    const typo = misspelt(question);
    if (typo) at(entry.columns.question, `unknown question "${question}": did you mean "${typo}"? (the installer ignores unknown questions and stops to ask the real one)`);
    if (type !== 'seen') byQuestion.set(question, entry);
  }
  for (const who of ['user', 'root']) {
    const password = byQuestion.get(`passwd/${who}-password`);
    const again = byQuestion.get(`passwd/${who}-password-again`);
    if (password && again && password.value !== again.value) {
      problems.push({
        line: again.line,
        ...(again.columns.value ? { column: again.columns.value } : {}),
        message: `passwd/${who}-password-again differs from passwd/${who}-password on line ${password.line}: the installer would stop and ask for the password`,
      });
    }
  }
  return sortProblems(problems);
}

/** A known question one or two edits away from `question`, which itself is not known. */
function misspelt(question: string): string | undefined {
  if (KNOWN_QUESTIONS.has(question) || question.length < 8 || !question.includes('/')) return undefined;
  return closestMatch(question, KNOWN_QUESTIONS, { maxEdits: () => 2 });
}

/** Files a preseed loads from next to itself: preseed/include and preseed/run values. */
export function preseedIncludes(text: string): { line: number; name: string }[] {
  const found: { line: number; name: string }[] = [];
  for (const entry of parsePreseed(text).entries) {
    if (entry.question !== 'preseed/include' && entry.question !== 'preseed/run') continue;
    for (const name of entry.value.split(/\s+/).filter(Boolean)) found.push({ line: entry.line, name });
  }
  return found;
}
