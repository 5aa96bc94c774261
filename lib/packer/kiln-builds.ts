// A Packer template as kiln builds: read by its front end (HCL2 or legacy JSON), each
// build translated into a kiln template document and checked like a kiln.yaml, with every
// problem of every build reported at once, each at its place in the user's files.
import { ValidationError, type Issue } from '../errors.js';
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

export function readPackerTemplate(path: string, format: Exclude<TemplateFormat, 'kiln'>, inputs: PackerInputs): Promise<PackerTemplate> {
  return format === 'packer-hcl2' ? loadHcl2(path, inputs) : loadLegacyJson(path, inputs);
}

export async function packerBuilds(path: string, format: Exclude<TemplateFormat, 'kiln'>, inputs: PackerInputs, options: { cacheDir?: string } = {}): Promise<PackerBuilds> {
  const packer = await readPackerTemplate(path, format, inputs);
  const issues: Issue[] = [];
  const builds: KilnBuild[] = [];
  const notes = [...packer.notes];
  for (const build of packer.builds) {
    const translation = translateBuild(build);
    notes.push(...translation.notes);
    issues.push(...translation.problems.map((p) => noteIssue(p, build)));
    if (translation.problems.length > 0) continue;
    try {
      const { template, source } = await loadTemplateDocument(translation.document, {
        file: path,
        // Packer resolves relative paths against the working directory.
        dir: process.cwd(),
        origin: (keyPath) => originOf(translation.origins, keyPath),
        secrets: build.sensitive,
        inputs: build.files,
        ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
      });
      builds.push({ name: build.name, packer: build, translation, template, source });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      issues.push(...error.issues.map((issue) => ({ ...issue, message: `${build.name}: ${issue.message}` })));
    }
  }
  if (issues.length > 0) throw new ValidationError(dedupe(issues), path);
  return { builds, notes: dedupeNotes(notes), packer };
}

function noteIssue(note: PackerNote, build: PackerBuild): Issue {
  return { path: '', message: `${build.name}: ${note.message}`, file: note.pos.file, line: note.pos.line, column: note.pos.column };
}

/** Several builds of one source share its lines: one problem said once per build is enough. */
function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.file}:${i.line}:${i.column}:${i.path}:${i.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

function dedupeNotes(notes: PackerNote[]): PackerNote[] {
  const seen = new Set<string>();
  return notes.filter((n) => {
    const key = `${n.pos.file}:${n.pos.line}:${n.pos.column}:${n.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
