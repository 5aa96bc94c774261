import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { runBuild } from '../../builder/run-build.js';
import { cacheLimitFromEnv } from '../../cache/limit.js';
import { defaultCacheDir } from '../../source/index.js';
import { resolveProxySettings } from '../../source/proxy-settings.js';
import { loadForBuild } from '../../builder/load-for-build.js';
import { formatDuration } from '../../util/duration.js';
import type { BuildArgs } from '../args.js';
import { BuildOutput, type BuildStreams } from '../build-output.js';
import { Reporter } from '../reporter.js';
import { kilnVersion } from '../version.js';
import { formatSize } from '../../util/size.js';
import { formatIssue } from '../../template/format-issues.js';

export async function buildCommand(args: BuildArgs, signal: AbortSignal, stderr: NodeJS.WriteStream, streams: Omit<BuildStreams, 'stderr'> = {}): Promise<number> {
  const template = await loadForBuild(args.file, { vars: args.vars, varFiles: args.varFiles });
  const cacheLimitBytes = cacheLimitFromEnv(process.env); // a bad KILN_CACHE_MAX_SIZE stops here, before anything starts
  const proxy = resolveProxySettings({ flag: args.proxy, template: template.proxy, env: process.env }); // so does a malformed proxy URL
  const reporter = new Reporter(stderr, args.verbose);
  const output = new BuildOutput(args, template, reporter, { ...streams, stderr }); // --json, --console, --on-error=ask
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
        templateSha256: createHash('sha256').update(await readFile(template.file)).digest('hex'),
        noCache: args.noCache,
        cacheLimitBytes,
        screenshots: args.screenshots,
        console: args.console,
        proxy,
      },
      output.sink,
      signal,
      output.hooks,
    );
    output.finished(result);
    reporter.line(`build ${template.name} finished in ${formatDuration(performance.now() - begin)}:`);
    for (const f of result.files) reporter.line(`  ${result.outputDir}/${f.file}  ${formatSize(f.bytes)}  sha256:${f.sha256}`);
    return 0;
  } finally {
    reporter.stop();
  }
}
