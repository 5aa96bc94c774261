// The box a finished kiln build left in its output directory, as its manifest.json names
// it: `vagrant: { box, provider, checksum_type, checksum }`. A build writes the manifest
// last, so a failed or running build has none.
import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Manifest } from '../builder/steps/manifest.js';
import { KilnError } from '../errors.js';

export interface BuiltBox {
  /** Absolute path of NAME.<provider>.box. */
  path: string;
  provider: string;
  /** sha256 the build recorded, lower-case hex. */
  sha256: string;
  bytes: number;
}

const PROVIDER = /^[a-z0-9][a-z0-9_-]*$/;

/** A finished build's manifest.json; E_PUBLISH_INPUT naming the fix when there is none or it is not JSON. */
export async function readBuildManifest(outputDir: string): Promise<{ manifest: Partial<Manifest>; manifestPath: string }> {
  const manifestPath = join(outputDir, 'manifest.json');
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new KilnError('E_PUBLISH_INPUT', code === 'ENOENT' ? `${outputDir} has no manifest.json: it is not the output of a finished kiln build` : `cannot read ${manifestPath}`, {
      cause: error,
      hint: 'give kiln publish the output directory of a build that succeeded (output.directory in the template); a build writes manifest.json last',
    });
  }
  try {
    return { manifest: JSON.parse(text) as Partial<Manifest>, manifestPath };
  } catch (error) {
    throw new KilnError('E_PUBLISH_INPUT', `${manifestPath} is not JSON`, { cause: error, hint: 'rebuild the image: kiln build --force' });
  }
}

export async function builtBox(outputDir: string): Promise<BuiltBox> {
  const { manifest, manifestPath } = await readBuildManifest(outputDir);
  const vagrant = manifest?.vagrant;
  if (!vagrant || typeof vagrant !== 'object') {
    throw new KilnError('E_PUBLISH_INPUT', `${outputDir} holds no Vagrant box: its manifest.json records none`, {
      hint: 'add output.vagrant (provider: libvirt or virtualbox) to the template and build again',
    });
  }
  const { box, provider, checksum_type: type, checksum } = vagrant;
  if (typeof box !== 'string' || box === '' || basename(box) !== box || box.startsWith('.')) {
    throw new KilnError('E_PUBLISH_INPUT', `${manifestPath} names the box as ${JSON.stringify(box)}, not a file in the output directory`, {
      hint: 'rebuild the image with this kiln: kiln build --force',
    });
  }
  if (typeof provider !== 'string' || !PROVIDER.test(provider) || type !== 'sha256' || typeof checksum !== 'string' || !/^[0-9a-f]{64}$/i.test(checksum)) {
    throw new KilnError('E_PUBLISH_INPUT', `${manifestPath} records the box without a provider and sha256 checksum`, {
      hint: 'rebuild the image with this kiln: kiln build --force',
    });
  }
  const path = join(outputDir, box);
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new KilnError('E_PUBLISH_INPUT', `${outputDir} has no ${box}, the box its manifest.json names`, {
      cause: error,
      hint: 'the box was moved or deleted after the build: rebuild it (kiln build --force), or publish the directory that holds it',
    });
  }
  if (!info.isFile()) throw new KilnError('E_PUBLISH_INPUT', `${path} is not a file`, { hint: 'rebuild the image: kiln build --force' });
  return { path, provider, sha256: checksum.toLowerCase(), bytes: info.size };
}
