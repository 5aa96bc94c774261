// The manifest post-processor, in the shape Packer's own writes, so tools that read
// packer-manifest.json read kiln's: { builds: [...], last_run_uuid }. A build is appended
// to the builds an existing file holds, as Packer does across runs.
import { readFile } from 'node:fs/promises';
import { basename, relative } from 'node:path';
import { KilnError } from '../errors.js';
import { withFileLock } from '../util/file-lock.js';
import { writeJsonAtomic } from '../util/write-atomic.js';

export interface PackerBuild {
  name: string;
  builder_type: string;
  /** Unix seconds. */
  build_time: number;
  files: { name: string; size: number }[];
  artifact_id: string;
  packer_run_uuid: string;
  /** null when the template gives none (Packer writes a nil map as null). */
  custom_data: Record<string, string> | null;
}

export interface PackerManifest {
  builds: PackerBuild[];
  last_run_uuid: string;
}

export interface AppendBuildOptions {
  /** Absolute path of the manifest file. */
  path: string;
  /** File names are written relative to this directory (Packer's are relative to where it ran), or bare with stripPath. */
  baseDir: string;
  stripPath: boolean;
  build: Omit<PackerBuild, 'files'> & { files: { path: string; size: number }[] };
  signal?: AbortSignal;
}

/** Adds the build to the manifest at `path` (created if missing), atomically, under a lock. */
export async function appendPackerBuild(options: AppendBuildOptions): Promise<PackerManifest> {
  const { path, baseDir, stripPath, build } = options;
  const entry: PackerBuild = {
    ...build,
    files: build.files.map((f) => ({ name: stripPath ? basename(f.path) : relative(baseDir, f.path), size: f.size })),
  };
  return withFileLock(
    `${path}.lock`,
    async () => {
      const previous = await readManifest(path);
      const manifest: PackerManifest = { builds: [...previous.builds, entry], last_run_uuid: build.packer_run_uuid };
      await writeJsonAtomic(path, manifest);
      return manifest;
    },
    options.signal ? { signal: options.signal } : {},
  );
}

async function readManifest(path: string): Promise<{ builds: PackerBuild[] }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { builds: [] };
    throw new KilnError('E_POST_PROCESS', `cannot read the manifest ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (!text.trim()) return { builds: [] };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw notAManifest(path, `it is not JSON (${(error as Error).message})`, error);
  }
  const builds = (data as { builds?: unknown } | null)?.builds;
  if (typeof data !== 'object' || data === null || Array.isArray(data) || (builds !== undefined && !Array.isArray(builds))) {
    throw notAManifest(path, 'it has no "builds" list');
  }
  return { builds: (builds ?? []) as PackerBuild[] };
}

const notAManifest = (path: string, why: string, cause?: unknown) =>
  new KilnError('E_POST_PROCESS', `${path} is not a Packer manifest: ${why}`, {
    hint: 'remove or move the file, or set manifest.output to another path',
    ...(cause !== undefined ? { cause } : {}),
  });
