// kiln publish OUTPUT_DIR --to catalog:DIR --name org/box --version X.Y.Z
//   [--description TEXT] [--url-base URL] [--architecture amd64] [--force]
// kiln publish OUTPUT_DIR --to oci://HOST/REPO[:TAG] [--version V] [--containerdisk]
//   [--architecture amd64] [--chunk-size SIZE] [registry flags]
// A build's Vagrant box into a self-hosted box catalog, or its files into an OCI
// registry (docs/publish.md).
import { KilnError } from '../../errors.js';
import { parseTarget } from '../../publish/catalog-names.js';
import { publishToCatalog } from '../../publish/publish-catalog.js';
import { publishToRegistry } from '../../publish/publish-oci.js';
import type { ImageReference } from '../../oci/reference.js';
import { formatSize } from '../../util/size.js';
import { parseUsage } from '../args.js';
import { chunkSizeFlag, REGISTRY_OPTIONS, REGISTRY_USAGE, registryAccess } from '../registry-flags.js';

export const PUBLISH_USAGE =
  'kiln publish OUTPUT_DIR --to catalog:DIR --name org/box --version X.Y.Z [--description TEXT] [--url-base URL] [--architecture amd64] [--force]\n' +
  `       kiln publish OUTPUT_DIR --to oci://HOST/REPO[:TAG] [--version V] [--containerdisk] [--architecture amd64] [--chunk-size SIZE] ${REGISTRY_USAGE}`;

interface PublishIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin?: NodeJS.ReadableStream;
}

export async function publishCommand(argv: string[], io: PublishIo, signal?: AbortSignal): Promise<number> {
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
        containerdisk: { type: 'boolean', default: false },
        'chunk-size': { type: 'string' },
        ...REGISTRY_OPTIONS,
      },
    },
    `usage: ${PUBLISH_USAGE}`,
  );
  if (positionals.length !== 1) throw usage(`kiln publish takes one build output directory, got ${positionals.length}`);
  if (values.to === undefined) throw usage('kiln publish needs --to');
  const target = parseTarget(values.to);
  if (target.kind === 'oci') {
    for (const flag of ['name', 'description', 'url-base', 'force'] as const) {
      if (values[flag] !== undefined && values[flag] !== false) throw usage(`--${flag} is for box catalogs, not --to oci://`);
    }
    return publishOci(positionals[0]!, target.ref, values, io, signal);
  }
  for (const flag of ['containerdisk', 'chunk-size', 'username', 'password-stdin', 'ca-file', 'plain-http', 'proxy'] as const) {
    if (values[flag] !== undefined && values[flag] !== false) throw usage(`--${flag} is for --to oci://, not a box catalog`);
  }
  for (const flag of ['name', 'version'] as const) {
    if (values[flag] === undefined) throw usage(`kiln publish needs --${flag}`);
  }
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

type OciValues = { version?: string; containerdisk?: boolean; architecture?: string; 'chunk-size'?: string } & Parameters<typeof registryAccess>[0];

async function publishOci(outputDir: string, ref: ImageReference, values: OciValues, io: PublishIo, signal?: AbortSignal): Promise<number> {
  const chunkSize = chunkSizeFlag(values['chunk-size']);
  const result = await publishToRegistry({
    outputDir,
    ref,
    access: await registryAccess(values, io.stdin, signal),
    containerDisk: values.containerdisk ?? false,
    architecture: values.architecture ?? 'amd64',
    ...(values.version !== undefined ? { version: values.version } : {}),
    ...(chunkSize !== undefined ? { chunkSize } : {}),
    onBlob: (blob) => io.stderr.write(`  ${blob.outcome === 'exists' ? 'exists  ' : 'uploaded'} ${blob.name} (${formatSize(blob.size)}, ${blob.digest})\n`),
  });
  const sent = result.blobs.filter((b) => b.outcome === 'uploaded');
  io.stdout.write(
    `published ${outputDir} to ${result.reference}${values.containerdisk ? ' as a KubeVirt containerDisk' : ''}\n` +
      `  digest: ${result.digest}\n` +
      `  blobs: ${sent.length} uploaded (${formatSize(sent.reduce((n, b) => n + b.size, 0))}), ${result.blobs.length - sent.length} already there\n`,
  );
  return 0;
}

const usage = (message: string) => new KilnError('E_USAGE', message, { hint: `usage: ${PUBLISH_USAGE}` });
