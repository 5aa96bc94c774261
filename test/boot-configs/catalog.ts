// Test helper: the shipped boot-configs and their templates, loaded for real.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadTemplate } from '../../lib/template/load.js';
import { REPO } from '../helpers/run-kiln.js';

export const ROOT = join(REPO, 'boot-configs');

/** Every boot-config folder name. */
export const NAMES = readdirSync(ROOT, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

/** Every template: [folder, file name, absolute path]. */
export const TEMPLATES: [string, string, string][] = NAMES.flatMap((name) =>
  readdirSync(join(ROOT, name))
    .filter((f) => /^kiln.*\.yaml$/.test(f))
    .sort()
    .map((f): [string, string, string] => [name, f, join(ROOT, name, f)]),
);

export const load = (path: string) => loadTemplate(path);
