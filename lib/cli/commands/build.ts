import { runBuild } from '../../builder/run-build.js';
import { cacheLimitFromEnv } from '../../cache/limit.js';
import { defaultCacheDir } from '../../source/index.js';
import { resolveProxySettings } from '../../source/proxy-settings.js';
import { loadBuilds, templateDigest, type LoadedBuild } from '../../builder/load-for-build.js';
import { formatDuration } from '../../util/duration.js';
import type { BuildArgs } from '../args.js';
import { BuildOutput, type BuildStreams } from '../build-output.js';
import { formatNote } from '../format-note.js';
import { Reporter } from '../reporter.js';
import { kilnVersion } from '../version.js';
import { formatSize } from '../../util/size.js';
import { formatIssue } from '../../template/format-issues.js';
import { sharedCacheFlags } from '../shared-cache-flags.js';

/**
 * Builds the template: one build for a kiln template; each selected build of a Packer
 * template, one after another (the first failure stops the rest, as nothing is shared).
 */
export async function buildCommand(args: BuildArgs, signal: AbortSignal, stderr: NodeJS.WriteStream, streams: Omit<BuildStreams, 'stderr'> = {}): Promise<number> {
  const { builds, notes } = await loadBuilds(args.file, { vars: args.vars, varFiles: args.varFiles, only: args.only, except: args.except });
  const cacheLimitBytes = cacheLimitFromEnv(process.env); // a bad KILN_CACHE_MAX_SIZE stops here, before anything starts
  // So does a malformed proxy URL, in any of the builds.
  const proxies = builds.map(({ template }) => resolveProxySettings({ flag: args.proxy, template: template.proxy, env: process.env }));
  for (const note of notes) stderr.write(`${formatNote(note)}\n`);
  for (const [index, build] of builds.entries()) {
    if (builds.length > 1) stderr.write(`==> ${build.name} (build ${index + 1} of ${builds.length})\n`);
    await buildOne(build, args, { signal, stderr, streams, cacheLimitBytes, proxy: proxies[index]! });
  }
  return 0;
}

interface BuildEnvironment {
  signal: AbortSignal;
  stderr: NodeJS.WriteStream;
  streams: Omit<BuildStreams, 'stderr'>;
  cacheLimitBytes: number;
  proxy: ReturnType<typeof resolveProxySettings>;
}

async function buildOne({ template, files }: LoadedBuild, args: BuildArgs, env: BuildEnvironment): Promise<void> {
  const reporter = new Reporter(env.stderr, args.verbose);
  const output = new BuildOutput(args, template, reporter, { ...env.streams, stderr: env.stderr }); // --json, --console, --on-error=ask
  const begin = performance.now();
  reporter.line(`kiln ${kilnVersion()}: building ${template.name} with ${template.hypervisor}`);
  // The loader masked them like its errors; they reach the terminal and --json as the build's own warnings do.
  for (const warning of template.warnings ?? []) output.sink({ type: 'log', level: 'warn', message: formatIssue(warning, args.file) });
  try {
    const result = await runBuild(
      template,
      {
        force: args.force,
        onError: args.onError,
        cacheDir: defaultCacheDir(process.env),
        kilnVersion: kilnVersion(),
        templateSha256: await templateDigest(files),
        noCache: args.noCache,
        cacheLimitBytes: env.cacheLimitBytes,
        screenshots: args.screenshots,
        console: args.console,
        proxy: env.proxy,
        offline: args.offline,
        ...sharedCacheFlags(args, env.signal),
      },
      output.sink,
      env.signal,
      output.hooks,
    );
    output.finished(result);
    reporter.line(`build ${template.name} finished in ${formatDuration(performance.now() - begin)}:`);
    for (const f of result.files) reporter.line(`  ${result.outputDir}/${f.file}  ${formatSize(f.bytes)}  sha256:${f.sha256}`);
  } finally {
    reporter.stop();
  }
}
