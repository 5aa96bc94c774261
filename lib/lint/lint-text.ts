// Lints one answer file or script of a known kind: the pure linter first, then the
// external checkers that are installed. A checker's finding on a line the pure linter
// already reported is dropped, so one mistake gives one message.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMultipart, parseMultipart } from '../cloud-init/mime.js';
import { lintAlpineAnswers } from './alpine-answers.js';
import { lintKickstart } from './kickstart.js';
import { lintPreseed, preseedIncludes } from './preseed.js';
import { sortProblems, splitLines, type AnswerKind, type LintProblem } from './problem.js';
import { lintShellText, shellOf } from './shell-script.js';
import { checkCloudInit } from './tools/cloud-init.js';
import { checkDebconf } from './tools/debconf.js';
import { checkShellcheck } from './tools/shellcheck.js';
import { checkShellSyntax } from './tools/shell-syntax.js';
import { lintMetaData, lintUserData } from './user-data.js';

export interface LintTextOptions {
  /** The file on disk, when there is one; tools get a scratch copy otherwise. */
  file?: string;
  /** A private temp directory for scratch copies. */
  scratch: () => Promise<string>;
  /** Run external checkers (default true). */
  tools: boolean;
  signal?: AbortSignal;
}

export interface TextLint {
  problems: LintProblem[];
  /** user-data: whether it has an autoinstall section. */
  autoinstall?: boolean;
  /** preseed: files it includes or runs, relative to itself. */
  includes?: { line: number; name: string }[];
}

let scratchFiles = 0;

async function onDisk(text: string, options: LintTextOptions, name = 'file'): Promise<string> {
  if (options.file) return options.file;
  const path = join(await options.scratch(), `${++scratchFiles}-${name}`);
  await writeFile(path, text);
  return path;
}

export async function lintText(kind: AnswerKind, text: string, options: LintTextOptions): Promise<TextLint> {
  const { tools, signal } = options;
  const merge = (pure: LintProblem[], checked: LintProblem[]) => {
    const lines = new Set(pure.map((p) => p.line));
    return sortProblems([...pure, ...checked.filter((p) => !lines.has(p.line))]);
  };
  switch (kind) {
    case 'preseed': {
      const pure = lintPreseed(text);
      const checked = tools ? await checkDebconf(await onDisk(text, options), text, signal) : [];
      return { problems: merge(pure, checked), includes: preseedIncludes(text) };
    }
    case 'kickstart': {
      const { problems, scripts } = lintKickstart(text);
      const checked: LintProblem[] = [];
      for (const script of tools ? scripts : []) {
        const shell = /^(\/usr)?\/bin\/(ba)?sh$/.test(script.interpreter) ? 'bash' : undefined;
        if (!shell) continue;
        // Anaconda's /bin/sh is bash, so bash parses the scripts.
        const file = await onDisk(script.body, { ...options, file: undefined }, 'ks-script.sh');
        const found = await checkShellSyntax(file, shell, splitLines(script.body).length, signal);
        checked.push(...found.map((p) => ({ ...p, line: p.line + script.line, message: `${script.section}: ${p.message}` })));
      }
      return { problems: merge(problems, checked) };
    }
    case 'user-data': {
      if (text.startsWith('#!')) return lintText('shell', text, options);
      if (isMultipart(text)) return { problems: await lintMultipart(text, options) };
      const { problems, autoinstall } = lintUserData(text);
      const checked = tools && problems.length === 0 ? await checkCloudInit(await onDisk(text, options, 'user-data'), text, signal) : [];
      return { problems: merge(problems, checked), autoinstall };
    }
    case 'meta-data':
      return { problems: lintMetaData(text) };
    case 'alpine-answers': {
      const pure = lintAlpineAnswers(text);
      const checked = tools ? await checkShellSyntax(await onDisk(text, options, 'answers'), 'sh', splitLines(text).length, signal) : [];
      return { problems: merge(pure, checked) };
    }
    case 'shell': {
      const info = shellOf(text);
      if (!info) return { problems: [] };
      const pure = lintShellText(text);
      if (!tools) return { problems: pure };
      const file = await onDisk(text, options, 'script.sh');
      const syntax = await checkShellSyntax(file, info.shell, splitLines(text).length, signal);
      // shellcheck repeats a syntax error in its own words: ask it only about parsable scripts.
      const style = syntax.length > 0 ? [] : await checkShellcheck(file, info.shebang ? undefined : info.shell, signal);
      return { problems: merge(pure, [...syntax, ...style]) };
    }
  }
}

/** A MIME multi-part user-data: each cloud-config and script part as its kind, lines counted in the whole document. */
async function lintMultipart(text: string, options: LintTextOptions): Promise<LintProblem[]> {
  const parts = parseMultipart(text);
  if (!parts) return [{ line: 1, message: 'a MIME multi-part document needs "Content-Type: multipart/mixed; boundary=..." and at least one part' }];
  const problems: LintProblem[] = [];
  for (const [i, part] of parts.entries()) {
    const kind = part.contentType === 'text/cloud-config' ? 'user-data' : /^text\/(x-shellscript|cloud-boothook)/.test(part.contentType) ? 'shell' : undefined;
    if (!kind) continue;
    for (const p of (await lintText(kind, part.content, options)).problems) {
      // A base64 part's lines are not the document's: name the part and its own line.
      problems.push(part.encoded ? { line: part.line, message: `in base64 part ${i + 1}: line ${p.line}: ${p.message}` } : { ...p, line: p.line + part.line - 1 });
    }
  }
  return sortProblems(problems);
}
