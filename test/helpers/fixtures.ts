import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fixtureOutput } from './fixture-output.js';
import { REPO } from './run-kiln.js';

const exec = promisify(execFile);

/** Builds (or finds in the fixture cache) the test installer ISO; its path. */
export const installerIso = fixtureOutput(`${REPO}fixtures/build-installer-iso.sh`);

/** The content of PATH on the root filesystem inside a disk image (no mounting needed). */
export async function readGuestFile(image: string, path: string): Promise<string> {
  const { stdout } = await exec('bash', [`${REPO}fixtures/read-guest-file.sh`, image, path], { maxBuffer: 64 << 20 });
  return stdout;
}

/** PIDs of QEMU processes whose command line contains `needle`. */
export async function qemuPids(needle: string): Promise<number[]> {
  try {
    const { stdout } = await exec('pgrep', ['-f', `qemu-system.*${needle}`]);
    return stdout.trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}
