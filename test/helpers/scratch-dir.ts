// Test helper: temporary directories with files in them, removed together after a suite.
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const made: string[] = [];

/** A fresh directory holding `files` (path -> content; a path ending in "/" is a directory). */
export async function scratch(files: Record<string, string> = {}, prefix = 'kiln-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.push(dir);
  await put(dir, files);
  return dir;
}

/** Writes `files` into `dir`; scripts (*.sh) are made executable. */
export async function put(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    if (name.endsWith('/')) await mkdir(path, { recursive: true });
    else {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, content);
      if (name.endsWith('.sh')) await chmod(path, 0o755);
    }
  }
}

/** Removes every directory scratch() made. */
export async function removeScratch(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}
