// The boot-configs that ship with kiln (boot-configs/ in the package): one folder per
// distribution, each holding kiln*.yaml templates and a README.md whose first line,
// "# name: description", is what `kiln init --list` shows.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BootConfig {
  name: string;
  dir: string;
  description: string;
  /** kiln.yaml first, then the other kiln*.yaml variants. */
  templates: string[];
}

/** boot-configs/ next to dist/ in the package (this file is dist/lib/init/catalog.js). */
export function bootConfigsRoot(): string {
  return fileURLToPath(new URL('../../../boot-configs/', import.meta.url));
}

export async function listBootConfigs(root = bootConfigsRoot()): Promise<BootConfig[]> {
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  const configs: BootConfig[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const dir = join(root, entry.name);
    const files = await readdir(dir);
    const templates = files.filter((f) => /^kiln.*\.ya?ml$/.test(f)).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    if (!templates.includes('kiln.yaml')) continue;
    const readme = await readFile(join(dir, 'README.md'), 'utf8').catch(() => '');
    configs.push({ name: entry.name, dir, description: describe(readme, entry.name), templates });
  }
  return configs.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
}

const rank = (file: string) => (file === 'kiln.yaml' ? 0 : 1);

/** "# debian-12: Debian 12 ..." -> "Debian 12 ..." */
export function describe(readme: string, name: string): string {
  const first = readme.split('\n', 1)[0]!.replace(/^#\s*/, '').trim();
  const prefix = `${name}:`;
  return first.startsWith(prefix) ? first.slice(prefix.length).trim() : first;
}
