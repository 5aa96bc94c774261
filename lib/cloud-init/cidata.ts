// The NoCloud seed as a CIDATA volume (an ISO 9660 CD that cloud-init finds by its
// label): made with xorriso or genisoimage when one is installed, else with the
// built-in writer. Written under a temporary name and renamed, so a half-written
// image never carries the final name.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { execa } from 'execa';
import { CancelledError, KilnError, throwIfAborted } from '../errors.js';
import { findExecutable } from '../util/find-executable.js';
import { buildIso9660, checkIsoFiles } from './iso9660.js';

export type IsoTool = 'xorriso' | 'genisoimage' | 'builtin';

/** cloud-init looks for a filesystem labelled CIDATA (or cidata). */
export const CIDATA_LABEL = 'CIDATA';

export interface CidataOptions {
  /** Default 'auto': xorriso, else genisoimage, else the built-in writer. */
  tool?: IsoTool | 'auto';
  signal?: AbortSignal;
  /** PATH to look tools up in (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Creation time recorded by the built-in writer (default now). */
  date?: Date;
}

export interface CidataResult {
  tool: IsoTool;
  bytes: number;
}

/** The command that makes a CIDATA image from the files in `dir` (pure; tested by table). */
export function isoToolArgv(tool: Exclude<IsoTool, 'builtin'>, dir: string, output: string): { command: string; args: string[] } {
  // -J Joliet and -r Rock Ridge keep the exact lower-case names; -V sets the label.
  const common = ['-quiet', '-input-charset', 'utf-8', '-V', CIDATA_LABEL, '-J', '-r', '-o', output, dir];
  return tool === 'xorriso' ? { command: 'xorriso', args: ['-as', 'mkisofs', ...common] } : { command: 'genisoimage', args: common };
}

export function chooseIsoTool(env: NodeJS.ProcessEnv = process.env): IsoTool {
  if (findExecutable('xorriso', env)) return 'xorriso';
  if (findExecutable('genisoimage', env)) return 'genisoimage';
  return 'builtin';
}

/**
 * Writes `files` (name -> content; typically user-data, meta-data, network-config) as
 * a CIDATA ISO 9660 image at `path`.
 */
export async function writeCidataIso(files: Readonly<Record<string, string | Uint8Array>>, path: string, options: CidataOptions = {}): Promise<CidataResult> {
  const { signal } = options;
  throwIfAborted(signal);
  const entries = Object.entries(files).map(([name, content]) => ({ name, data: typeof content === 'string' ? Buffer.from(content, 'utf8') : content }));
  checkIsoFiles(entries);
  const tool = !options.tool || options.tool === 'auto' ? chooseIsoTool(options.env) : options.tool;
  const partial = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.partial`);
  try {
    if (tool === 'builtin') {
      await writeFile(partial, buildIso9660(entries, { volumeId: CIDATA_LABEL, ...(options.date ? { date: options.date } : {}) }), { signal });
    } else {
      await runIsoTool(tool, entries, partial, options);
    }
    throwIfAborted(signal);
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true });
    if (signal?.aborted && !(error instanceof CancelledError)) throw new CancelledError();
    if (error instanceof KilnError) throw error;
    throw new KilnError('E_TOOL', `cannot write the CIDATA image ${path}: ${(error as Error).message}`, { cause: error, hint: 'check that the directory exists and is writable' });
  }
  return { tool, bytes: (await stat(path)).size };
}

async function runIsoTool(tool: Exclude<IsoTool, 'builtin'>, entries: { name: string; data: Uint8Array }[], output: string, options: CidataOptions): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-cidata-'));
  try {
    for (const { name, data } of entries) await writeFile(join(dir, name), data);
    const { command, args } = isoToolArgv(tool, dir, output);
    const result = await execa(command, args, { reject: false, cancelSignal: options.signal, stdin: 'ignore', ...(options.env ? { env: options.env } : {}) });
    if (result.isCanceled || options.signal?.aborted) throw new CancelledError();
    if (result.code === 'ENOENT') {
      throw new KilnError('E_TOOL', `${command} was not found`, { hint: 'install xorriso or genisoimage, or let kiln use its built-in ISO writer (tool: auto)' });
    }
    if (result.exitCode !== 0) {
      const said = String(result.stderr ?? '').trim().split('\n').slice(-3).join(' ') || result.shortMessage;
      throw new KilnError('E_TOOL', `${command} could not make the CIDATA image: ${said}`, { cause: result, hint: `${command} said why; the built-in writer is used when neither xorriso nor genisoimage is installed` });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
