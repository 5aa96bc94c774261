// Kickstart files (Anaconda: RHEL, AlmaLinux, Rocky, Fedora): known commands with known
// options, sections opened by %packages/%pre/%post/... and closed by %end, one package
// per %packages line. Script sections are returned so their bodies can be checked by
// a shell (lint-template.ts). Pure.
import { closestMatch } from '../util/did-you-mean.js';
import { own } from '../util/own.js';
import { KICKSTART_COMMANDS, KICKSTART_SECTIONS, PASS_THROUGH_COMMANDS, REMOVED_COMMANDS } from './kickstart-commands.js';
import { splitLines, sortProblems, type LintProblem } from './problem.js';
import { splitWords, type Word } from './words.js';

export interface KickstartScript {
  /** %pre, %post, ... */
  section: string;
  /** Line of the section header. */
  line: number;
  interpreter: string;
  /** The lines between the header and %end. */
  body: string;
}

export interface KickstartLint {
  problems: LintProblem[];
  scripts: KickstartScript[];
}

const SCRIPT_SECTIONS = new Set(['%pre', '%pre-install', '%post', '%onerror', '%traceback']);
/** Lines that are not commands or section headers but are allowed at the top level. */
const DIRECTIVES = new Set(['%include', '%ksappend']);

interface Open {
  name: string;
  line: number;
  interpreter: string;
  body: string[];
}

export function lintKickstart(text: string): KickstartLint {
  const problems: LintProblem[] = [];
  const scripts: KickstartScript[] = [];
  const problem = (line: number, column: number | undefined, message: string) =>
    problems.push(column === undefined ? { line, message } : { line, column, message });
  let open: Open | undefined;

  const close = () => {
    if (open && SCRIPT_SECTIONS.has(open.name)) {
      scripts.push({ section: open.name, line: open.line, interpreter: open.interpreter, body: open.body.join('\n') + '\n' });
    }
    open = undefined;
  };

  splitLines(text).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    const first = trimmed.split(/\s+/)[0] ?? '';
    const column = raw.length - raw.trimStart().length + 1;
    if (first === '%end') {
      if (!open) problem(line, column, '%end without an open section: remove it, or start the section (%packages, %post, ...) above');
      close();
      return;
    }
    if (open && first.startsWith('%') && Object.hasOwn(KICKSTART_SECTIONS, first)) {
      problem(open.line, 1, `${open.name} is not closed: add %end before ${first} on line ${line}`);
      close();
    }
    if (open) {
      if (open.name === '%packages') checkPackageLine(raw, line, problem);
      open.body.push(raw);
      return;
    }
    if (trimmed === '' || trimmed.startsWith('#') || DIRECTIVES.has(first)) return;
    const split = splitWords(raw);
    if (split.unclosedQuote !== undefined) {
      problem(line, split.unclosedQuote + 1, 'this quote is never closed: close it on the same line');
      return;
    }
    if (first.startsWith('%')) {
      const section = Object.hasOwn(KICKSTART_SECTIONS, first) ? first : undefined;
      if (!section) {
        const near = closestMatch(first, Object.keys(KICKSTART_SECTIONS));
        problem(line, column, `unknown section ${first}${near ? `: did you mean ${near}?` : ''}`);
        return;
      }
      open = { name: section, line, interpreter: interpreterOf(split.words), body: [] };
      checkOptions(split.words, own(KICKSTART_SECTIONS, section) ?? null, line, problem);
      return;
    }
    checkCommand(split.words, line, problem);
  });
  if (open) problem(open.line, 1, `${(open as Open).name} is not closed: add %end at its end`);
  close();
  return { problems: sortProblems(problems), scripts };
}

type Report = (line: number, column: number | undefined, message: string) => void;

function checkCommand(words: Word[], line: number, problem: Report): void {
  const [name, ...args] = words;
  if (!name) return;
  const removed = own(REMOVED_COMMANDS, name.text);
  if (removed) {
    problem(line, name.start + 1, `${name.text} was removed from kickstart: ${removed}`);
    return;
  }
  const options = own(KICKSTART_COMMANDS, name.text);
  if (!options) {
    const near = closestMatch(name.text, Object.keys(KICKSTART_COMMANDS));
    problem(line, name.start + 1, `unknown kickstart command "${name.text}"${near ? `: did you mean "${near}"?` : ''}`);
    return;
  }
  if (!PASS_THROUGH_COMMANDS.has(name.text)) checkOptions(words, options, line, problem);
  const given = new Set(args.filter((w) => w.text.startsWith('--')).map((w) => w.text.split('=')[0]));
  if (name.text === 'user' && !given.has('--name')) {
    problem(line, name.start + 1, 'user needs --name=NAME');
  }
  if (name.text === 'rootpw' && !given.has('--lock') && !args.some((w) => !w.text.startsWith('--'))) {
    problem(line, name.start + 1, 'rootpw needs a password, or --lock to lock the root account');
  }
}

/** Long options must be known; `null` means the options are not checked. */
function checkOptions(words: Word[], known: readonly string[] | null, line: number, problem: Report): void {
  if (!known) return;
  for (const word of words.slice(1)) {
    if (!word.text.startsWith('--')) continue;
    const option = word.text.split('=')[0]!;
    if (known.includes(option)) continue;
    const near = closestMatch(option, known);
    const list = known.length ? `; ${words[0]!.text} takes ${known.join(' ')}` : `; ${words[0]!.text} takes no options`;
    problem(line, word.start + 1, `unknown option ${option} for ${words[0]!.text}${near ? `: did you mean ${near}?` : list}`);
  }
}

function interpreterOf(words: Word[]): string {
  for (let i = 1; i < words.length; i++) {
    const text = words[i]!.text;
    if (text.startsWith('--interpreter=')) return text.slice('--interpreter='.length);
    if (text === '--interpreter') return words[i + 1]?.text ?? '/bin/sh';
  }
  return '/bin/sh';
}

/** One package, @group or -exclusion per line; only group options may follow. */
function checkPackageLine(raw: string, line: number, problem: Report): void {
  const trimmed = raw.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return;
  const { words } = splitWords(raw);
  const extra = words.slice(1).find((w) => !w.text.startsWith('--'));
  if (extra) {
    problem(line, extra.start + 1, `one package per line in %packages: put "${extra.text}" on a line of its own`);
  }
}
