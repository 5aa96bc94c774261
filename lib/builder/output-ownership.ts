// What kiln may delete in an output directory: only what a kiln build wrote there. A
// marker file names those entries; it is written when the directory is claimed and
// brought up to date after every step and at the end, so even an interrupted build
// leaves a record. --force removes the recorded entries and refuses, naming them, when
// anything else is there: kiln never deletes a file it did not write.
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { KilnError } from '../errors.js';
import { writeJsonAtomic } from '../util/write-atomic.js';

export const OUTPUT_MARKER = '.kiln-output.json';
/** Work files (the VM's disk, EFI vars, sockets) live here, on the same filesystem as the outputs. */
export const WORK_DIR_NAME = '.kiln-work';

interface Marker {
  kiln: string;
  /** Names of the entries kiln wrote, directly inside the directory. */
  entries: string[];
}

/**
 * Makes `dir` kiln's to write in: creates it, or empties an earlier kiln build's outputs
 * there when `force` is set. Throws E_OUTPUT_EXISTS for a non-empty directory without
 * --force, and E_OUTPUT_FOREIGN when it holds anything kiln did not write.
 */
export async function claimOutputDir(dir: string, options: { force: boolean; kilnVersion: string }): Promise<void> {
  const existing = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw new KilnError('E_OUTPUT_EXISTS', `output directory ${dir} cannot be read: ${error.code ?? error.message}`, {
      cause: error,
      hint: error.code === 'ENOTDIR' ? 'it is a file: set output.directory to a folder' : 'check its permissions, or set output.directory to another path',
    });
  });
  if (existing.length > 0) {
    if (!options.force) {
      throw new KilnError('E_OUTPUT_EXISTS', `output directory ${dir} already exists and is not empty`, {
        hint: 'pass --force to replace an earlier build there, or set output.directory to another path',
      });
    }
    const recorded = new Set(await readMarker(dir));
    const foreign = existing.filter((name) => name !== OUTPUT_MARKER && name !== WORK_DIR_NAME && !recorded.has(name));
    if (foreign.length > 0) {
      const listed = foreign.slice(0, 5).join(', ') + (foreign.length > 5 ? `, and ${foreign.length - 5} more` : '');
      throw new KilnError('E_OUTPUT_FOREIGN', `output directory ${dir} holds files kiln did not write: ${listed}`, {
        hint: '--force replaces only what an earlier kiln build wrote there: move those files away, or set output.directory to a folder of its own',
      });
    }
    for (const name of existing) await rm(join(dir, name), { recursive: true, force: true });
  }
  await mkdir(dir, { recursive: true });
  await recordOutputs(dir, options.kilnVersion);
}

/** Brings the marker up to date with what is in `dir` now (all of it kiln's, once claimed). */
export async function recordOutputs(dir: string, kilnVersion: string): Promise<void> {
  const entries = (await readdir(dir).catch(() => [] as string[])).filter((name) => name !== OUTPUT_MARKER).sort();
  const marker: Marker = { kiln: kilnVersion, entries };
  await writeJsonAtomic(join(dir, OUTPUT_MARKER), marker);
}

/**
 * The entries a marker names; none when there is no marker. Only used to tell which of
 * the directory's own entries are kiln's: what is removed is always read from the
 * directory, so a hand-edited marker cannot name anything outside it.
 */
async function readMarker(dir: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(join(dir, OUTPUT_MARKER), 'utf8');
  } catch {
    return [];
  }
  try {
    const entries = (JSON.parse(text) as Partial<Marker>).entries;
    return Array.isArray(entries) ? entries.filter((name): name is string => typeof name === 'string') : [];
  } catch {
    return [];
  }
}
