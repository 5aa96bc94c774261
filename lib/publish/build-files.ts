// Every file a finished kiln build recorded in its manifest.json (disk images, boxes,
// OVAs), checked to still be there at the size recorded; with the manifest itself.
import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Manifest } from '../builder/steps/manifest.js';
import { KilnError } from '../errors.js';

export interface BuiltFile {
  path: string;
  file: string;
  format: string;
  bytes: number;
  sha256: string;
}

export interface BuiltFiles {
  name: string;
  manifestPath: string;
  files: BuiltFile[];
}

export async function builtFiles(outputDir: string): Promise<BuiltFiles> {
  const manifestPath = join(outputDir, 'manifest.json');
  const text = await readFile(manifestPath, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new KilnError('E_PUBLISH_INPUT', error.code === 'ENOENT' ? `${outputDir} has no manifest.json: it is not the output of a finished kiln build` : `cannot read ${manifestPath}`, {
      cause: error,
      hint: 'give kiln publish the output directory of a build that succeeded (output.directory in the template); a build writes manifest.json last',
    });
  });
  let manifest: Partial<Manifest>;
  try {
    manifest = JSON.parse(text) as Partial<Manifest>;
  } catch (error) {
    throw new KilnError('E_PUBLISH_INPUT', `${manifestPath} is not JSON`, { cause: error, hint: 'rebuild the image: kiln build --force' });
  }
  const listed = Array.isArray(manifest.files) ? manifest.files : [];
  if (listed.length === 0 || typeof manifest.name !== 'string') {
    throw new KilnError('E_PUBLISH_INPUT', `${manifestPath} records no built files`, { hint: 'rebuild the image with this kiln: kiln build --force' });
  }
  const files: BuiltFile[] = [];
  for (const entry of listed) {
    const { file, format, bytes, sha256 } = entry;
    if (typeof file !== 'string' || basename(file) !== file || file.startsWith('.') || typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) {
      throw new KilnError('E_PUBLISH_INPUT', `${manifestPath} records a file as ${JSON.stringify(file)} without a sha256`, { hint: 'rebuild the image with this kiln: kiln build --force' });
    }
    const path = join(outputDir, file);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile() || info.size !== bytes) {
      throw new KilnError('E_PUBLISH_INPUT', info ? `${path} is ${info.size} bytes, not the ${bytes} its build recorded` : `${outputDir} has no ${file}, which its manifest.json names`, {
        hint: 'the build output was changed after the build: rebuild it (kiln build --force)',
      });
    }
    files.push({ path, file, format: String(format), bytes, sha256 });
  }
  return { name: manifest.name, manifestPath, files };
}
