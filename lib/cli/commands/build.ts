import { runBuild, type BuildResult } from '../../builder/run-build.js';
import { cacheLimitFromEnv } from '../../cache/limit.js';
import { defaultCacheDir } from '../../source/index.js';
import { resolveProxySettings } from '../../source/proxy-settings.js';
import { templateDigest, type LoadedBuild } from '../../builder/load-for-build.js';
import { formatDuration } from '../../util/duration.js';
import type { BuildArgs } from '../args.js';
import { BuildOutput, type BuildStreams } from '../build-output.js';
import { formatNote } from '../format-note.js';
import { Reporter } from '../reporter.js';
import { kilnVersion } from '../version.js';
import { formatSize } from '../../util/size.js';
import { formatIssue } from '../../template/format-issues.js';
import { sharedCacheFlags } from '../shared-cache-flags.js';
import { loadSelectedBuilds } from '../selected-builds.js';

/**
 * Builds the templates: one build as it always did; several (a Packer template's, a
 * matrix, several files) at once, up to --parallel, with a summary (build-many.ts).
 */
export async function buildCommand(args: BuildArgs, signal: AbortSignal, stderr: NodeJS.WriteStream, streams: Omit<BuildStreams, 'stderr'> = {}): Promise<number> {
  const { builds, notes } = await loadSelectedBuilds(args);
  if (args.list) {
    (streams.stdout ?? process.stdout).write(builds.map((b) => `${b.name}\t${b.template.output.directory}\n`).join(''));
    return 0;
  }
  const cacheLimitBytes = cacheLimitFromEnv(process.env); // a bad KILN_CACHE_MAX_SIZE stops here, before anything starts
  // So does a malformed proxy URL, in any of the builds.
  const proxies = builds.map(({ template }) => resolveProxySettings({ flag: args.proxy, template: template.proxy, env: process.env }));
  for (const note of notes) stderr.write(`${formatNote(note)}\n`);
  const env = (index: number): BuildEnvironment => ({ signal, stderr, streams, cacheLimitBytes, proxy: proxies[index]! });
  if (builds.length === 1) {
    const reporter = new Reporter(stderr, args.verbose);
    try {
      await buildOne(builds[0]!, args, env(0), reporter, new BuildOutput(args, builds[0]!.template, reporter, { ...streams, stderr }));
    } finally {
      reporter.stop();
    }
    return 0;
  }
  const { buildMany } = await import('../build-many.js');
  return buildMany(builds, args, env);
}

export interface BuildEnvironment {
  signal: AbortSignal;
  stderr: NodeJS.WriteStream;
  streams: Omit<BuildStreams, 'stderr'>;
  cacheLimitBytes: number;
  proxy: ReturnType<typeof resolveProxySettings>;
}

/** One build, its progress through `reporter` and `output`; its result, or the error that ended it. */
export async function buildOne({ template, files }: LoadedBuild, args: BuildArgs, env: BuildEnvironment, reporter: Reporter, output: BuildOutput): Promise<BuildResult> {
  const begin = performance.now();
  reporter.line(`kiln ${kilnVersion()}: building ${template.name} with ${template.hypervisor}`);
  // The loader masked them like its errors; they reach the terminal and --json as the build's own warnings do.
  for (const warning of template.warnings ?? []) output.sink({ type: 'log', level: 'warn', message: formatIssue(warning, args.file) });
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
  return result;
}
