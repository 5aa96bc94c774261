// Answer-file lint for a loaded template, run by `kiln validate` and before `kiln build`
// starts anything: the paths the boot command fetches must be served, each answer file
// must parse as its format (classify.ts says which files and as what), provisioner
// scripts must parse, and a few cross-checks between boot command and answer files.
// Returns the template's Issues, each with file:line:column.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, posix, relative } from 'node:path';
import { lintCloudInit } from '../cloud-init/lint-seed.js';
import { mapStrings } from '../cloud-init/user-data.js';
import type { Issue } from '../errors.js';
import { closestMatch } from '../util/did-you-mean.js';
import { GUEST_HOST_IP } from '../template/placeholders.js';
import { Masker } from '../log/mask.js';
import type { Template } from '../template/types.js';
import { PORT_SENTINEL, unescapedNocloud, type BootScan } from './boot-references.js';
import { chooseTargets, looksLike } from './classify.js';
import { lintText, type LintTextOptions } from './lint-text.js';
import { namedPaths, renderSample, scanTemplateBoot } from './named-paths.js';
import type { LintProblem } from './problem.js';
import { isServed, listServed, type ServedFile } from './served-files.js';
import type { ParsedSource } from '../template/parse-source.js';
import { templatePositions, type TemplatePositions } from './template-positions.js';

export interface LintOptions {
  /** The template path as the user gave it; answer files are named relative to it in messages. */
  templateArg?: string;
  /** Run the installed external checkers (sh, bash, shellcheck, debconf-set-selections, cloud-init). Default true. */
  tools?: boolean;
  signal?: AbortSignal;
  /** The template as the loader parsed it: issues get its positions. */
  source: ParsedSource;
  /**
   * Results kept across the builds of one run (a Packer template's builds share their
   * scripts and answer files): each text is linted once, its external checkers run once.
   */
  memo?: LintMemo;
}

/** Lint results by kind and text, for one run. */
export type LintMemo = Map<string, ReturnType<typeof lintText>>;

export async function lintAnswerFiles(t: Template, options: LintOptions): Promise<Issue[]> {
  const issues: Issue[] = [];
  const positions = templatePositions(options.source);
  const display = (absolute: string) => {
    const rel = relative(t.dir, absolute);
    if (rel.startsWith('..') || isAbsolute(rel)) return absolute;
    return options.templateArg ? join(dirname(options.templateArg), rel) : rel;
  };
  let scratchDir: Promise<string> | undefined;
  // The same text lints the same wherever it lies; a memo shared across builds says it once.
  const lint: typeof lintText = (kind, text, opts) => {
    if (!options.memo) return lintText(kind, text, opts);
    const key = `${kind}\0${opts.file ?? ''}\0${text}`;
    let found = options.memo.get(key);
    if (!found) options.memo.set(key, (found = lintText(kind, text, opts)));
    return found;
  };
  const textOptions: LintTextOptions = {
    scratch: () => (scratchDir ??= mkdtemp(join(tmpdir(), 'kiln-lint-'))),
    tools: options.tools ?? true,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  try {
    const scan = scanTemplateBoot(t);
    const { files, complete, shadowed } = await listServed(t.http, t.cloud_init, namedPaths(scan));
    for (const file of shadowed) {
      const path = file.source === 'directory' ? 'http.directory' : 'http.content';
      const what = file.source === 'directory' ? display(file.file) : file.path;
      issues.push({ path, message: `${what} would never be served: kiln serves the cloud_init seed at ${file.path}; remove one of them` });
    }
    if (scan) issues.push(...checkBootPaths(scan, files, complete, t, positions));

    // Each file is checked on its own; the external checkers run a few at a time.
    const jobs: (() => Promise<Issue[]>)[] = [];
    const targets = chooseTargets(files.keys(), scan?.references ?? []);
    for (const [path, target] of targets) {
      const served = files.get(path);
      if (!served || served.source === 'seed') continue; // a missing path is reported above; the seed is linted below
      jobs.push(async () => {
        const found: Issue[] = [];
        const text = served.source === 'content' ? renderSample(served.text, t.name) : await readFile(served.file, 'utf8').catch(() => undefined);
        if (text === undefined || (!target.strong && !looksLike(target.kind, text))) return found;
        const file = served.source === 'directory' ? served.file : undefined;
        const result = await lint(target.kind, text, { ...textOptions, ...(file ? { file } : {}) });
        found.push(...result.problems.map((p) => servedIssue(served, p, positions, display)));
        for (const include of result.includes ?? []) {
          const wanted = include.name.startsWith('/') ? include.name : posix.join(posix.dirname(path), include.name);
          if (/^[a-z]+:\/\//.test(include.name) || isServed(files, wanted) || !complete) continue;
          found.push(servedIssue(served, { line: include.line, message: `includes ${include.name}, which kiln does not serve at ${wanted}` }, positions, display));
        }
        const nocloud = scan?.references.some((r) => r.kind === 'nocloud');
        if (result.autoinstall && nocloud && scan && !/(^|\s)autoinstall(\s|$)/m.test(scan.typed)) {
          found.push(
            positions.boot(
              scan.references.find((r) => r.kind === 'nocloud')?.line,
              `${path} has an autoinstall section, but the boot command does not type the word autoinstall: the installer would stop and ask "Continue with autoinstall?"; add autoinstall to the kernel command line`,
            ),
          );
        }
        return found;
      });
    }
    for (const [i, p] of t.provision.entries()) {
      if (p.type !== 'shell' || !p.script) continue;
      const script = p.script;
      jobs.push(async () => {
        const text = await readFile(script, 'utf8').catch(() => undefined);
        if (text === undefined) return [];
        const { problems } = await lint('shell', text, { ...textOptions, file: script });
        return problems.map((pr) => located(display(script), `provision[${i}].shell.script`, pr));
      });
    }
    if (t.cloud_init) {
      const cloudInit = t.cloud_init;
      const seedOptions = { tools: textOptions.tools, ...(options.signal ? { signal: options.signal } : {}) };
      // The seed as the guest would get it (kiln's own additions are valid by construction).
      jobs.push(async () => positions.findings(await lintCloudInit(mapStrings(cloudInit, (text) => renderSample(text, t.name)), seedOptions)));
    }
    for (const found of await inPool(jobs, 4)) issues.push(...found);
  } finally {
    if (scratchDir) await rm(await scratchDir, { recursive: true, force: true });
  }
  // Messages can quote answer-file text; a sensitive variable's value must not show.
  const masker = new Masker(t.secrets);
  return issues.map((issue) => ({ ...issue, message: masker.mask(issue.message) }));
}

function checkBootPaths(
  scan: BootScan,
  files: ReadonlyMap<string, ServedFile>,
  complete: boolean,
  t: Template,
  positions: TemplatePositions,
): Issue[] {
  const issues: Issue[] = [];
  const where = t.http.directory ? `put it in http.directory (${t.http.directory}) or http.content` : 'serve it with http.directory or http.content';
  const missing = (path: string, what: string, line: number) => {
    if (!complete) return;
    const near = closestMatch(path, [...files.keys()]);
    issues.push(positions.boot(line, `${what} ${path}, which kiln does not serve${near ? `: did you mean ${near}?` : `: ${where}`}`));
  };
  for (const ref of scan.references) {
    if (ref.kind === 'nocloud') {
      const dir = ref.path.endsWith('/') ? ref.path : `${ref.path}/`;
      if (!ref.path.endsWith('/')) {
        issues.push(positions.boot(ref.line, `the NoCloud seed URL must end with "/": cloud-init appends user-data and meta-data to it`));
      }
      for (const name of ['user-data', 'meta-data']) if (!files.has(dir + name)) missing(dir + name, 'the NoCloud seed needs', ref.line);
    } else if (!isServed(files, ref.path)) {
      missing(ref.path, 'the boot command fetches', ref.line);
    }
  }
  for (const wait of scan.waits) {
    if (!isServed(files, wait.path)) missing(wait.path, `<waitHttp ${wait.path}> waits for`, wait.line);
  }
  for (const ref of unescapedNocloud(scan)) {
    issues.push(
      positions.boot(
        ref.line,
        `GRUB ends a command at ";", so the linux line would stop before s=: write ${shown(ref.word.replace(';', '\\;'))} (or quote the whole ds=... word)`,
      ),
    );
  }
  return issues;
}

/** Typed text as the template writes it: the sample address and port back as placeholders. */
function shown(typed: string): string {
  return typed.replaceAll(`${GUEST_HOST_IP}:${PORT_SENTINEL}`, '{{ .HTTPIP }}:{{ .HTTPPort }}').replaceAll(PORT_SENTINEL, '{{ .HTTPPort }}');
}

function servedIssue(served: Exclude<ServedFile, { source: 'seed' }>, problem: LintProblem, positions: TemplatePositions, display: (p: string) => string): Issue {
  if (served.source === 'content') return positions.content(served.path, problem.line, problem.column, problem.message);
  return located(display(served.file), '', problem);
}

function located(file: string, path: string, problem: LintProblem): Issue {
  return { path, file, line: problem.line, ...(problem.column ? { column: problem.column } : {}), message: problem.message };
}

/** Runs `jobs` at most `size` at a time; results in job order. */
async function inPool<T>(jobs: (() => Promise<T>)[], size: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, jobs.length) }, worker));
  return results;
}
