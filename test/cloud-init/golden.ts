// Golden files for seed rendering: test/cloud-init/golden/NAME. KILN_UPDATE_GOLDEN=1
// rewrites them from the current output (review the diff before committing).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as assert from 'uvu/assert';
import { REPO } from '../helpers/run-kiln.js';

export const GOLDEN_DIR = join(REPO, 'test/cloud-init/golden');

export async function matchesGolden(name: string, actual: string): Promise<void> {
  const file = join(GOLDEN_DIR, name);
  if (process.env['KILN_UPDATE_GOLDEN'] === '1') {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, actual);
    return;
  }
  const expected = await readFile(file, 'utf8').catch(() => {
    throw new Error(`golden file ${file} is missing: run the test with KILN_UPDATE_GOLDEN=1 and review it`);
  });
  assert.fixture(actual, expected, `differs from ${file}`);
}
