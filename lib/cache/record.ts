// layer.json: what a layer is, what made it and how to tell it is intact. Written
// after the layer's disk was checked and hashed, via a temp file and rename, so a
// directory either has a complete record (a usable layer) or none.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic } from '../util/write-atomic.js';
import type { StageKind } from './keys.js';
import { RECORD_FILE } from './layout.js';

export interface LayerRecord {
  /** CACHE_FORMAT of the kiln that wrote it; records of another format are never used. */
  format: number;
  id: string;
  key: string;
  /** Template name and stage label, for messages and `kiln cache ls`. */
  template: string;
  stage: string;
  kind: StageKind;
  state: 'running' | 'stopped';
  /** The layer under this one (its disk is this disk's backing file), and that disk's sha256. */
  parent: string | null;
  parentSha256: string | null;
  /**
   * A root layer of a cloud-image build with `backing: true` overlays the source image
   * (a hard link to it in the layer's directory, absolute path) instead of a converted
   * copy; the source key says its content, size and mtime that it was not written since.
   */
  baseImage?: { path: string; size: number; mtimeMs: number };
  /** sha256 of disk.qcow2, and its size in bytes. */
  sha256: string;
  bytes: number;
  /** sha256 of efi-vars.fd when the layer keeps the guest's UEFI NVRAM. */
  efiVarsSha256?: string;
  /** True when ssh-key holds the generated login key the guest was installed with. */
  sshKey?: boolean;
  /**
   * The cloud-init instance-id of the install: a resumed guest is given the same one, so
   * cloud-init does not configure it again as a new instance (users, runcmd, host keys).
   */
  instanceId?: string;
  /**
   * Live checkpoints that kept the guest's memory (state.zst): its sha256 and size, how
   * long the guest was paused to save it, and the machine it loads into (compared before
   * a restore; a mismatch boots the disk).
   */
  memory?: { sha256: string; bytes: number; pauseMs: number; fingerprint: Record<string, string> };
  /**
   * True when the checkpoint kept no memory because an earlier one's was still being
   * written: the stage ran in less time than a state takes to write, so a build that
   * would resume from this layer resumes from the memory below it and runs the stage
   * again (memory-resume.ts).
   */
  memorySkipped?: true;
  /** The stage's input digests (never values: they may hold secrets), to say what changed. */
  inputs: Record<string, string>;
  created: string;
  kiln: string;
}

/** The record in `dir`, or undefined when there is none or it cannot be read (not a layer). */
export async function readLayerRecord(dir: string): Promise<LayerRecord | undefined> {
  try {
    const record = JSON.parse(await readFile(join(dir, RECORD_FILE), 'utf8')) as LayerRecord;
    return typeof record.key === 'string' && typeof record.sha256 === 'string' ? record : undefined;
  } catch {
    return undefined;
  }
}

export async function writeLayerRecord(dir: string, record: LayerRecord): Promise<void> {
  await writeJsonAtomic(join(dir, RECORD_FILE), record);
}
