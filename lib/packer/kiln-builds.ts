// A Packer template as kiln builds: read by its front end (HCL2 or legacy JSON), each
// build translated into a kiln template document and checked like a kiln.yaml, with every
// problem of every build reported at once, each at its place in the user's files.
import { isAbsolute, relative } from 'node:path';
import { ValidationError, type Issue } from '../errors.js';
import { distinctBy } from '../util/distinct-by.js';
import { loadTemplateDocument } from '../template/load.js';
import type { ParsedSource } from '../template/parse-source.js';
import type { Template } from '../template/types.js';
import type { TemplateFormat } from './detect.js';
import { loadHcl2 } from './hcl2/load-hcl2.js';
import { loadLegacyJson } from './legacy-json/load-legacy-json.js';
import type { PackerBuild, PackerInputs, PackerNote, PackerTemplate } from './model.js';
import { originOf, translateBuild, type Translation } from './translate/translate-build.js';

export interface KilnBuild {
  /** Packer's name for it ("qemu.vm"). */
  name: string;
  packer: PackerBuild;
  translation: Translation;
  template: Template;
  source: ParsedSource;
}

export interface PackerBuilds {
  builds: KilnBuild[];
  /** Notes from reading and translating: shown by validate and build, written by import. */
  notes: PackerNote[];
  packer: PackerTemplate;
}

/** The front end's reading, with files named as the user would type them. */
export async function readPackerTemplate(path: string, format: Exclude<TemplateFormat, 'kiln'>, inputs: PackerInputs): Promise<PackerTemplate> {
  try {
    const template = await (format === 'packer-hcl2' ? loadHcl2(path, inputs) : loadLegacyJson(path, inputs));
    return { ...template, notes: template.notes.map((n) => ({ ...n, pos: { ...n.pos, file: shownPath(n.pos.file) } })) };
  } catch (error) {
    // The same error (a syntax error keeps its own hint), its files named as typed.
    if (error instanceof ValidationError) for (const issue of error.issues) if (issue.file) issue.file = shownPath(issue.file);
    throw error;
  }
}

export async function packerBuilds(path: string, format: Exclude<TemplateFormat, 'kiln'>, inputs: PackerInputs, options: { cacheDir?: string } = {}): Promise<PackerBuilds> {
  const packer = await readPackerTemplate(path, format, inputs);
  const issues: Issue[] = [];
  const builds: KilnBuild[] = [];
  const notes = [...packer.notes];
  for (const build of packer.builds) {
    const translation = translateBuild(build);
    notes.push(...translation.notes);
    const problems = translation.problems.map((p) => noteIssue(p, build));
    issues.push(...problems);
    // kiln's own checks run on what did translate, so every problem shows at once; one
    // already reported at a place is not reported again in other words.
    const reported = new Set(problems.map(place));
    try {
      const { template, source } = await loadTemplateDocument(translation.document, {
        file: path,
        // Packer resolves relative paths against the working directory.
        dir: process.cwd(),
        relativeTo: 'the working directory, as in Packer',
        origin: (keyPath) => {
          const pos = originOf(translation.origins, keyPath);
          return pos && { ...pos, file: shownPath(pos.file) };
        },
        secrets: build.sensitive,
        inputs: build.files,
        ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
      });
      if (problems.length === 0) builds.push({ name: build.name, packer: build, translation, template, source });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      // Packer users never wrote kiln's key paths: the position and the build name say where.
      issues.push(...error.issues.filter((issue) => !reported.has(place(issue))).map((issue) => ({ ...issue, path: '', message: `${build.name}: ${issue.message}` })));
    }
  }
  if (issues.length > 0) throw new ValidationError(distinctBy(issues, (i) => `${place(i)}:${i.path}:${i.message}`), path);
  return { builds, notes: distinctBy(notes.map((n) => ({ ...n, pos: { ...n.pos, file: shownPath(n.pos.file) } })), (n) => `${n.pos.file}:${n.pos.line}:${n.pos.column}:${n.message}`), packer };
}

function noteIssue(note: PackerNote, build: PackerBuild): Issue {
  return { path: '', message: `${build.name}: ${note.message}`, file: shownPath(note.pos.file), line: note.pos.line, column: note.pos.column };
}

const place = (issue: Issue): string => `${issue.file}:${issue.line}:${issue.column}`;

/** A file as the user would type it: relative to the working directory when it is under it. */
export function shownPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return isAbsolute(file) && rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}
