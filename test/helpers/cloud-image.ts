import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { REPO } from './run-kiln.js';

const exec = promisify(execFile);
let imagePath: Promise<string> | undefined;

/**
 * The kiln test cloud image (Debian 12, cloud-init, NoCloud): built by
 * fixtures/build-cloud-image.sh, or found in the fixture cache. Building it needs root.
 */
export function cloudImage(): Promise<string> {
  imagePath ??= exec('bash', [`${REPO}fixtures/build-cloud-image.sh`], { maxBuffer: 64 << 20 }).then(({ stdout }) =>
    stdout.trim().split('\n').pop()!.trim(),
  );
  return imagePath;
}
