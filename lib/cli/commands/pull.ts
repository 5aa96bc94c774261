// kiln pull REF DIR [registry flags]: an artifact kiln published, back into DIR, verified.
import { KilnError } from '../../errors.js';
import { parseReference } from '../../oci/reference.js';
import { pullArtifact } from '../../publish/pull-artifact.js';
import { formatSize } from '../../util/size.js';
import { parseUsage } from '../args.js';
import { REGISTRY_OPTIONS, REGISTRY_USAGE, registryAccess } from '../registry-flags.js';

export const PULL_USAGE = `kiln pull oci://HOST/REPO[:TAG|@sha256:DIGEST] DIR ${REGISTRY_USAGE}`;

export async function pullCommand(argv: string[], io: { stdout: NodeJS.WritableStream; stdin?: NodeJS.ReadableStream }, signal?: AbortSignal): Promise<number> {
  const { values, positionals } = parseUsage({ args: argv, allowPositionals: true, options: { ...REGISTRY_OPTIONS } }, `usage: ${PULL_USAGE}`);
  if (positionals.length !== 2) {
    throw new KilnError('E_USAGE', `kiln pull takes a reference and a directory, got ${positionals.length} argument(s)`, { hint: `usage: ${PULL_USAGE}` });
  }
  const result = await pullArtifact({
    ref: parseReference(positionals[0]!, 'latest'),
    dir: positionals[1]!,
    access: await registryAccess(values, io.stdin, signal),
    onFile: (file) => io.stdout.write(`  ${file.name} (${formatSize(file.size)}, ${file.digest}) verified\n`),
  });
  io.stdout.write(`pulled ${result.reference} (${result.digest}) into ${positionals[1]}: ${result.files.length} file(s)\n`);
  return 0;
}
