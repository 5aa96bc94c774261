// The boot-configs that ship with kiln (boot-configs/ in the package): one folder per
// distribution, each holding kiln*.yaml templates and a README.md whose first line,
// "# name: description", is what `kiln init --list` shows. Files several boot-configs
// share live once in boot-configs/_shared/LAYER; a boot-config's kiln-init.json names
// the layers it is assembled from (see assemble.ts).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KilnError } from '../errors.js';

/** `{ "shared": ["common", "apt"] }`: read by kiln init, not copied. */
export const INIT_MANIFEST = 'kiln-init.json';
/** Folders with this prefix (_shared) are building blocks, not boot-configs. */
const NOT_A_CONFIG = '_';

export interface BootConfig {
  name: string;
  dir: string;
  description: string;
  /** kiln.yaml first, then the other kiln*.yaml variants. */
  templates: string[];
  /** The _shared layer folders it builds on, in order. */
  shared: string[];
}

/** boot-configs/ next to dist/ in the package (this file is dist/lib/init/catalog.js). */
export function bootConfigsRoot(): string {
  return fileURLToPath(new URL('../../../boot-configs/', import.meta.url));
}

export async function listBootConfigs(root = bootConfigsRoot()): Promise<BootConfig[]> {
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  const configs: BootConfig[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith(NOT_A_CONFIG)) continue;
    const dir = join(root, entry.name);
    const files = await readdir(dir);
    const templates = files.filter((f) => /^kiln.*\.ya?ml$/.test(f)).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    if (!templates.includes('kiln.yaml')) continue;
    const readme = await readFile(join(dir, 'README.md'), 'utf8').catch(() => '');
    const shared = (await sharedLayers(dir)).map((layer) => join(root, '_shared', layer));
    configs.push({ name: entry.name, dir, description: describe(readme, entry.name), templates, shared });
  }
  return configs.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
}

/** The layer names in the folder's kiln-init.json; none without one. */
async function sharedLayers(dir: string): Promise<string[]> {
  const path = join(dir, INIT_MANIFEST);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  let shared: unknown;
  try {
    shared = (JSON.parse(text) as { shared?: unknown }).shared;
  } catch (error) {
    throw new KilnError('E_TEMPLATE', `${path}: ${(error as Error).message}`, { cause: error });
  }
  // Plain names only: a layer is a folder directly under _shared.
  if (!Array.isArray(shared) || !shared.every((l) => typeof l === 'string' && /^[\w.-]+$/.test(l) && !l.startsWith('.'))) {
    throw new KilnError('E_TEMPLATE', `${path}: "shared" must be a list of folder names under boot-configs/_shared`);
  }
  return shared as string[];
}

const rank = (file: string) => (file === 'kiln.yaml' ? 0 : 1);

/** "# debian-12: Debian 12 ..." -> "Debian 12 ..." */
export function describe(readme: string, name: string): string {
  const first = readme.split('\n', 1)[0]!.replace(/^#\s*/, '').trim();
  const prefix = `${name}:`;
  return first.startsWith(prefix) ? first.slice(prefix.length).trim() : first;
}
