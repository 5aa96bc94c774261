// What `kiln init NAME` writes: the files of each shared layer the boot-config names
// (boot-configs/_shared/LAYER, in order), then the boot-config's own files, which win
// over a shared file of the same path. So scripts every distribution uses exist once
// in the package, and the user still gets one self-contained folder.
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { KilnError } from '../errors.js';
import { INIT_MANIFEST, type BootConfig } from './catalog.js';

/** Destination path (relative, "/"-separated on POSIX) -> the file to copy it from. */
export type FileTree = Map<string, string>;

export async function assembleBootConfig(config: BootConfig): Promise<FileTree> {
  const tree: FileTree = new Map();
  for (const layer of config.shared) {
    const files = await listFiles(layer).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
      throw new KilnError('E_TEMPLATE', `boot-config ${config.name}: its ${INIT_MANIFEST} names a shared layer that does not exist: ${layer}`);
    });
    for (const file of files) tree.set(file, join(layer, file));
  }
  for (const file of await listFiles(config.dir)) if (file !== INIT_MANIFEST) tree.set(file, join(config.dir, file));
  return tree;
}

/** Every file under `root`, relative, sorted. */
async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) out.push(relative(root, full));
    }
  };
  await walk(root);
  return out.sort();
}
