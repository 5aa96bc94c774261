import { loadBuilds } from '../../builder/load-for-build.js';
import type { Log } from '../../log/log.js';
import { Masker } from '../../log/mask.js';
import { defaultCacheDir, fetchSource } from '../../source/index.js';
import { ProxyRoutes } from '../../source/proxy-routes.js';
import { resolveProxySettings } from '../../source/proxy-settings.js';
import type { BuildArgs } from '../args.js';

/**
 * `kiln fetch TEMPLATE...`: downloads what each build starts from (its ISO or cloud
 * image, checked against its checksum) into kiln's cache, booting nothing, so that a
 * later `kiln build --offline` (here, or across an air gap with the cache carried over)
 * needs no network. What the guest itself downloads cannot be known before a build.
 */
export async function fetchCommand(args: BuildArgs & { files: string[] }, signal: AbortSignal, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<number> {
  const cacheDir = defaultCacheDir(process.env);
  for (const file of args.files) {
    const { builds } = await loadBuilds(file, { vars: args.vars, varFiles: args.varFiles, only: args.only, except: args.except });
    for (const { name, template } of builds) {
      const label = `${file}${name ? ` ${name}` : ''}`;
      const masker = new Masker(template.secrets);
      const log = lineLog(stderr, label, masker);
      const routes = new ProxyRoutes(resolveProxySettings({ flag: args.proxy, template: template.proxy, env: process.env }));
      try {
        const got = await fetchSource(template.source, { cacheDir, signal, log, routes, key: `source.${template.source.kind}` });
        const where = template.source.urls.some((u) => u === got.path) ? 'local file' : got.cached ? 'already cached' : 'fetched';
        stdout.write(masker.mask(`${label}: source.${template.source.kind} ${where}: ${got.path}${got.checksum ? ` (${got.checksum})` : ''}\n`));
      } finally {
        await routes.close();
      }
    }
  }
  stdout.write(`cache: ${cacheDir}. The guest's own downloads (packages during the install and provisioning) are not known before a build: with proxy: cache a build records them (packages.lock.json) and kiln bundle export carries them.\n`);
  return 0;
}

/** Progress lines on stderr, prefixed with the template and build, secrets masked. */
function lineLog(stream: NodeJS.WritableStream, label: string, masker: Masker): Log {
  const write = (level: string, message: string) => stream.write(`${label}: ${level}${masker.mask(message)}\n`);
  return {
    info: (m) => write('', m),
    warn: (m) => write('warning: ', m),
    debug: () => {},
    output: (source, line) => write('', `${source} | ${line}`),
  };
}
