// Answer files for Alpine's setup-alpine (-f FILE): a shell fragment that setup-alpine
// sources, setting one variable per step (KEYMAPOPTS="us us", DISKOPTS="-m sys /dev/vda").
// A step whose variable is unset or empty is asked interactively, which stalls an
// unattended install, so that is an error here. Pure.
import { closestMatch } from '../util/did-you-mean.js';
import { sortProblems, type LintProblem } from './problem.js';

/** Variables setup-alpine reads from the answer file. */
const ANSWERS = [
  'KEYMAPOPTS', 'HOSTNAMEOPTS', 'DEVDOPTS', 'INTERFACESOPTS', 'WIFIOPTS', 'DNSOPTS', 'TIMEZONEOPTS', 'PROXYOPTS',
  'APKREPOSOPTS', 'USEROPTS', 'USERSSHKEY', 'SSHDOPTS', 'ROOTSSHKEY', 'NTPOPTS', 'DISKOPTS', 'LBUOPTS', 'APKCACHEOPTS',
  'XENDOM0OPTS',
];
/** Steps that prompt when their variable is unset or empty (setup-alpine from alpine-conf 3.x). */
const REQUIRED = [
  'KEYMAPOPTS', 'HOSTNAMEOPTS', 'INTERFACESOPTS', 'TIMEZONEOPTS', 'PROXYOPTS', 'NTPOPTS', 'APKREPOSOPTS', 'USEROPTS',
  'SSHDOPTS', 'DISKOPTS',
];
/** Environment variables of setup-disk, which runs as its own program: they work only exported. */
const SETUP_DISK_ENV = [
  'KERNELOPTS', 'ERASE_DISKS', 'BOOTLOADER', 'ROOTFS', 'BOOTFS', 'VARFS', 'DISKLABEL', 'BOOT_SIZE', 'SWAP_SIZE',
  'USE_EFI', 'BOOT_TIMEOUT', 'MBR', 'NO_DISK_UUID',
];

interface Assignment {
  name: string;
  value: string;
  exported: boolean;
  line: number;
  column: number;
}

export function lintAlpineAnswers(text: string): LintProblem[] {
  const problems: LintProblem[] = [];
  const assignments = parseAssignments(text, problems);
  const seen = new Map<string, Assignment>();
  for (const a of assignments) {
    seen.set(a.name, a);
    if (ANSWERS.includes(a.name)) {
      if (a.value === '' && REQUIRED.includes(a.name)) {
        problems.push({ line: a.line, column: a.column, message: `${a.name} is empty, so setup-alpine would stop and ask: write ${a.name}=none to skip the step` });
      }
    } else if (SETUP_DISK_ENV.includes(a.name)) {
      if (!a.exported) {
        problems.push({ line: a.line, column: a.column, message: `${a.name} is read by setup-disk, a separate program: write "export ${a.name}=..." so it reaches it` });
      }
    } else {
      const near = closestMatch(a.name, [...ANSWERS, ...SETUP_DISK_ENV]);
      problems.push({ line: a.line, column: a.column, message: `setup-alpine does not read ${a.name}${near ? `: did you mean ${near}?` : ''}` });
    }
  }
  for (const name of REQUIRED) {
    if (!seen.has(name)) problems.push({ line: 1, message: `${name} is not set, so setup-alpine would stop and ask: set it (none skips the step)` });
  }
  return sortProblems(problems);
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

/** NAME=value lines, with single- or double-quoted values that may span lines. */
function parseAssignments(text: string, problems: LintProblem[]): Assignment[] {
  const out: Assignment[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const column = (at: number) => at - lineStart + 1;
  const nextLine = () => {
    const end = text.indexOf('\n', i);
    i = end < 0 ? text.length : end + 1;
    line++;
    lineStart = i;
  };
  while (i < text.length) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (text[i] === '\n' || text[i] === '\r' || text[i] === '#' || i >= text.length) {
      nextLine();
      continue;
    }
    let exported = false;
    if (text.startsWith('export ', i)) {
      exported = true;
      i += 'export '.length;
      while (text[i] === ' ') i++;
    }
    const start = i;
    NAME.lastIndex = i;
    const name = NAME.exec(text)?.[0];
    if (!name || text[i + name.length] !== '=') {
      problems.push({ line, column: column(start), message: 'expected NAME=value (an answer file is sourced by setup-alpine as shell)' });
      nextLine();
      continue;
    }
    const at = { line, column: column(start) };
    i += name.length + 1;
    let value = '';
    while (i < text.length && !/[\s;]/.test(text[i]!)) {
      const quote = text[i]!;
      if (quote === '"' || quote === "'") {
        const close = closingQuote(text, i + 1, quote);
        if (close < 0) {
          problems.push({ line, column: column(i), message: `the quote that starts ${name}'s value is never closed` });
          return out;
        }
        const inner = text.slice(i + 1, close);
        value += quote === '"' ? inner.replace(/\\(["\\$`\n])/g, '$1') : inner;
        for (let k = i; k < close; k++) if (text[k] === '\n') (line++, (lineStart = k + 1));
        i = close + 1;
      } else {
        value += quote;
        i++;
      }
    }
    out.push({ name, value, exported, ...at });
    const rest = text.slice(i, text.indexOf('\n', i) < 0 ? text.length : text.indexOf('\n', i)).replace(/\r$/, '');
    if (rest.trim() !== '' && !rest.trim().startsWith('#')) {
      problems.push({
        line,
        column: column(i + rest.length - rest.trimStart().length),
        message: `the shell would run "${rest.trim()}" as a command: quote ${name}'s value, e.g. ${name}="${value}${rest.trimEnd()}"`,
      });
    }
    nextLine();
  }
  return out;
}

function closingQuote(text: string, from: number, quote: string): number {
  for (let k = from; k < text.length; k++) {
    if (quote === '"' && text[k] === '\\') k++;
    else if (text[k] === quote) return k;
  }
  return -1;
}
