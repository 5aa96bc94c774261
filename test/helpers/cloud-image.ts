import { fixtureOutput } from './fixture-output.js';
import { REPO } from './run-kiln.js';

/**
 * The kiln test cloud image (Debian 12, cloud-init, NoCloud): built by
 * fixtures/build-cloud-image.sh, or found in the fixture cache. Building it needs root.
 */
export const cloudImage = fixtureOutput(`${REPO}fixtures/build-cloud-image.sh`);
