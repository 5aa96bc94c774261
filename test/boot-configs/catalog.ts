// Test helper: the shipped boot-configs and their templates, loaded for real from the
// folders kiln init makes of them (the templates need the shared scripts beside them).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assembleBootConfig } from '../../lib/init/assemble.js';
import { listBootConfigs } from '../../lib/init/catalog.js';
import { copyTree } from '../../lib/init/copy-tree.js';
import { loadTemplate } from '../../lib/template/load.js';
import { REPO } from '../helpers/run-kiln.js';

export const ROOT = join(REPO, 'boot-configs');
/** The layers of files several boot-configs share. */
export const SHARED = join(ROOT, '_shared');

/** Boot-configs that install from a distribution's installer ISO -> their package manager. */
export const INSTALLER: Record<string, string> = {
  'debian-12': 'apt', 'debian-13': 'apt', 'ubuntu-22.04': 'apt', 'ubuntu-24.04': 'apt',
  'almalinux-9': 'dnf', 'rocky-9': 'dnf', 'fedora-server': 'dnf', alpine: 'apk',
};
/** Boot-configs that start from a distribution's cloud image -> their package manager. */
export const CLOUD: Record<string, string> = { 'debian-12-cloud': 'apt', 'ubuntu-24.04-cloud': 'apt' };

/** Every boot-config folder name (not _shared). */
export const NAMES = readdirSync(ROOT, { withFileTypes: true })
  .filter((e) => e.isDirectory() && !e.name.startsWith('_'))
  .map((e) => e.name)
  .sort();

/** What kiln init writes for `name`: relative path -> the shipped file it is copied from. */
export async function assembled(name: string): Promise<Map<string, string>> {
  const config = (await listBootConfigs(ROOT)).find((c) => c.name === name);
  if (!config) throw new Error(`no boot-config ${name}`);
  return assembleBootConfig(config);
}

/** Every boot-config written as kiln init writes it, to INITIALISED/NAME. */
export const INITIALISED = mkdtempSync(join(tmpdir(), 'kiln-boot-configs-'));
process.on('exit', () => rmSync(INITIALISED, { recursive: true, force: true }));
for (const name of NAMES) await copyTree(await assembled(name), join(INITIALISED, name), { force: false });

/** Every template: [folder, file name, absolute path in its initialised copy]. */
export const TEMPLATES: [string, string, string][] = NAMES.flatMap((name) =>
  readdirSync(join(ROOT, name))
    .filter((f) => /^kiln.*\.yaml$/.test(f))
    .sort()
    .map((f): [string, string, string] => [name, f, join(INITIALISED, name, f)]),
);

/** The templates of the installer boot-configs (each with a boot command), and of the cloud ones. */
export const INSTALLER_TEMPLATES = TEMPLATES.filter(([name]) => name in INSTALLER);
export const CLOUD_TEMPLATES = TEMPLATES.filter(([name]) => name in CLOUD);

export const load = (path: string) => loadTemplate(path);
