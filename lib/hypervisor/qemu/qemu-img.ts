// Disk images through qemu-img: create, inspect, check. Every call goes through
// runQemuImg (conversions, which stream progress, build the same error with qemuImgError)
// so a missing tool or a failure reads the same everywhere.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Result } from 'execa';
import { CancelledError, KilnError, type ErrorCode } from '../../errors.js';

export const QEMU_IMG = 'qemu-img';
export const QEMU_IMG_HINT = 'install qemu-img (Debian/Ubuntu: apt-get install qemu-utils; Fedora: dnf install qemu-img; macOS: brew install qemu)';

export interface ImageInfo {
  format: string;
  /** Bytes the guest sees. */
  virtualSize: number;
  /** Bytes the file takes on the host disk. */
  actualSize: number;
  backingFile?: string;
}

export interface ImageCheck {
  /** false for formats qemu-img cannot check (raw). */
  supported: boolean;
  /** No corruption and no leaked clusters. */
  ok: boolean;
  corruptions: number;
  leaks: number;
}

/** What a failed qemu-img run is called; export conversions say what to check. */
export interface FailureWording {
  code?: ErrorCode;
  hint?: string;
}

/** The KilnError for qemu-img that did not run, or ran and failed. */
export function qemuImgError(result: Result, what: string, signal?: AbortSignal, wording: FailureWording = {}): KilnError {
  if (result.code === 'ENOENT') return new KilnError('E_TOOL', `${QEMU_IMG} was not found`, { hint: QEMU_IMG_HINT });
  if (result.isCanceled || signal?.aborted) return new CancelledError();
  const said = String(result.stderr ?? '').trim().replace(/^qemu-img: /gm, '') || result.shortMessage;
  return new KilnError(wording.code ?? 'E_TOOL', `${what} failed: ${said}`, { cause: result, hint: wording.hint ?? 'qemu-img said why above' });
}

export interface RunQemuImgOptions {
  signal?: AbortSignal;
  /** Exit codes that are answers, not failures (qemu-img check's 2, 3 and 63). */
  okCodes?: number[];
}

/** Runs qemu-img to completion; a missing tool, a failure or a cancel comes back as its KilnError. */
export async function runQemuImg(args: string[], what: string, options: RunQemuImgOptions = {}): Promise<Result> {
  const { signal, okCodes = [0] } = options;
  if (signal?.aborted) throw new CancelledError();
  // Imported on first use: `kiln validate` loads this module without running anything.
  const { execa } = await import('execa');
  const result = await execa(QEMU_IMG, args, { reject: false, cancelSignal: signal, stdin: 'ignore' });
  if (result.exitCode !== undefined && okCodes.includes(result.exitCode) && !result.isCanceled) return result;
  throw qemuImgError(result, what, signal);
}

export interface CreateDiskOptions {
  /**
   * A qcow2 overlay on top of this image instead of an empty disk. `unsafe`: record the
   * backing file without opening it (-u), for a parent a running VM is still writing.
   */
  backing?: { path: string; format: string; unsafe?: boolean };
  signal?: AbortSignal;
}

/** Creates a sparse disk image of sizeBytes (an overlay grows its backing image to that size). */
export async function createDisk(path: string, sizeBytes: number, format: 'qcow2' | 'raw', options: CreateDiskOptions = {}): Promise<void> {
  const args = ['create', '-q', '-f', format];
  if (options.backing) {
    if (format !== 'qcow2') throw new KilnError('E_TOOL', 'only qcow2 images can have a backing file', { hint: 'create the overlay as qcow2' });
    args.push('-b', options.backing.path, '-F', options.backing.format, ...(options.backing.unsafe ? ['-u'] : []));
  }
  args.push(path, String(sizeBytes));
  await runQemuImg(args, `creating ${path}`, { signal: options.signal });
}

export async function imageInfo(path: string, signal?: AbortSignal): Promise<ImageInfo> {
  // -U: readable while a running QEMU holds the image's lock.
  const result = await runQemuImg(['info', '-U', '--output=json', path], `reading image info of ${path}`, { signal });
  const info = JSON.parse(String(result.stdout)) as Record<string, unknown>;
  return {
    format: String(info['format']),
    virtualSize: Number(info['virtual-size']),
    actualSize: Number(info['actual-size']),
    ...(typeof info['backing-filename'] === 'string' ? { backingFile: info['backing-filename'] } : {}),
  };
}

export async function checkImage(path: string, signal?: AbortSignal): Promise<ImageCheck> {
  // Exit codes: 0 clean, 2 corrupted, 3 leaked clusters, 63 format cannot be checked.
  const result = await runQemuImg(['check', '--output=json', path], `checking ${path}`, { signal, okCodes: [0, 2, 3, 63] });
  if (result.exitCode === 63) return { supported: false, ok: true, corruptions: 0, leaks: 0 };
  const report = JSON.parse(String(result.stdout)) as Record<string, unknown>;
  const corruptions = Number(report['corruptions'] ?? 0) + Number(report['check-errors'] ?? 0);
  const leaks = Number(report['leaks'] ?? 0);
  return { supported: true, ok: corruptions === 0 && leaks === 0, corruptions, leaks };
}

let zstd: Promise<boolean> | undefined;

/** Whether this qemu-img writes zstd-compressed qcow2 (QEMU 5.1+ built with zstd); probed once. */
export function qemuImgSupportsZstd(): Promise<boolean> {
  zstd ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiln-zstd-'));
    try {
      const args = ['create', '-q', '-f', 'qcow2', '-o', 'compression_type=zstd', join(dir, 'probe.qcow2'), '1M'];
      // 1 is the answer "no zstd here"; a missing qemu-img still fails.
      return (await runQemuImg(args, 'probing zstd', { okCodes: [0, 1] })).exitCode === 0;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  })();
  return zstd;
}
