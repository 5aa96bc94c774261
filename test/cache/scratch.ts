// Cache test helpers: scratch directories (shared with the other suites) and a BuildCache
// opened as a build opens it.
import { join } from 'node:path';
import { BuildCache } from '../../lib/cache/build-cache.js';
import { memoryLog } from '../../lib/log/log.js';
import { loadTemplate } from '../../lib/template/load.js';

export { put, removeScratch, scratch } from '../helpers/scratch-dir.js';

/** A BuildCache for the template DIR/kiln.yaml, as a build opens it; the source is identified by its checksum. */
export async function openBuildCache(dir: string, cacheDir: string, sourceFile: string, log = memoryLog()) {
  const cache = await BuildCache.open({
    cacheDir,
    template: await loadTemplate(join(dir, 'kiln.yaml')),
    source: { path: join(dir, sourceFile), checksum: `sha256:${'c'.repeat(64)}` },
    noCache: false,
    limitBytes: 1 << 30,
    kilnVersion: 'test',
    log,
    signal: new AbortController().signal,
  });
  return { cache, log };
}

/** The smallest template with a cached install and one provisioner (`command`): an ISO checked by its sha256 (a file x.iso in the test's dir). */
export function oneProvisionerTemplate(name: string, command: string): string {
  return `
name: ${name}
source: { iso: { url: x.iso, checksum: "sha256:${'c'.repeat(64)}" } }
machine: { disk: 16M }
http: { content: { /ks.cfg: "key {{ .SSHPublicKey }}" } }
boot: { command: ["<enter>"] }
ssh: { username: kiln }
provision:
  - shell: { inline: ["${command}"] }
`;
}
