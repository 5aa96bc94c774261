// Every file a finished kiln build recorded in its manifest.json (disk images, boxes,
// OVAs), checked to still be there at the size recorded; with the manifest itself.
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { KilnError } from '../errors.js';
import { readBuildManifest } from './build-output.js';

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
  const { manifest, manifestPath } = await readBuildManifest(outputDir);
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
