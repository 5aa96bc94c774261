// kiln publish OUTPUT_DIR --to catalog:DIR --name org/box --version X.Y.Z
//   [--description TEXT] [--url-base URL] [--architecture amd64] [--force]
// A build's Vagrant box into a self-hosted box catalog (docs/publish.md).
import { KilnError } from '../../errors.js';
import { parseTarget } from '../../publish/catalog-names.js';
import { publishToCatalog } from '../../publish/publish-catalog.js';
import { formatSize } from '../../util/size.js';
import { parseUsage } from '../args.js';

export const PUBLISH_USAGE =
  'kiln publish OUTPUT_DIR --to catalog:DIR --name org/box --version X.Y.Z [--description TEXT] [--url-base URL] [--architecture amd64] [--force]';

export async function publishCommand(argv: string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }, signal?: AbortSignal): Promise<number> {
  const { values, positionals } = parseUsage(
    {
      args: argv,
      allowPositionals: true,
      options: {
        to: { type: 'string' },
        name: { type: 'string' },
        version: { type: 'string' },
        description: { type: 'string' },
        'url-base': { type: 'string' },
        architecture: { type: 'string', default: 'amd64' },
        force: { type: 'boolean', default: false },
      },
    },
    `usage: ${PUBLISH_USAGE}`,
  );
  if (positionals.length !== 1) throw usage(`kiln publish takes one build output directory, got ${positionals.length}`);
  for (const flag of ['to', 'name', 'version'] as const) {
    if (values[flag] === undefined) throw usage(`kiln publish needs --${flag}`);
  }
  const target = parseTarget(values.to!);
  const result = await publishToCatalog({
    outputDir: positionals[0]!,
    catalogDir: target.dir,
    name: values.name!,
    version: values.version!,
    architecture: values.architecture ?? 'amd64',
    ...(values.description !== undefined ? { description: values.description } : {}),
    ...(values['url-base'] !== undefined ? { urlBase: values['url-base'] } : {}),
    force: values.force ?? false,
    ...(signal ? { signal } : {}),
    onWait: (holder) => io.stderr.write(`kiln: waiting for another kiln publish to ${values.name} (pid ${holder.pid} on ${holder.host})\n`),
  });
  const { stdout } = io;
  stdout.write(
    `${result.replaced ? 'replaced' : 'published'} ${result.name} ${result.version} (${result.provider}, ${result.architecture}) in ${result.metadataPath}\n` +
      `  box: ${result.boxPath} (${formatSize(result.bytes)}, sha256:${result.sha256})\n` +
      `  url: ${result.url}\n` +
      `  versions: ${result.versions.join(', ')}\n` +
      `add it with: vagrant box add ${result.metadataUrl} --provider ${result.provider}\n`,
  );
  return 0;
}

const usage = (message: string) => new KilnError('E_USAGE', message, { hint: `usage: ${PUBLISH_USAGE}` });
