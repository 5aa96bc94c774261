// Every shipped template passes `kiln validate`, run as a user runs it: template,
// boot command, answer files and scripts (the external checkers installed here too).
import { relative } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO, runKiln } from '../helpers/run-kiln.js';
import { TEMPLATES } from './catalog.js';

test('there is a BIOS and an EFI template for each of the eight distributions', () => {
  assert.is(TEMPLATES.length, 16, TEMPLATES.map((t) => `${t[0]}/${t[1]}`).join(' '));
});

test('kiln validate passes for every template', async () => {
  // A few at a time: each run starts node and the shell checkers.
  const results: string[] = [];
  for (let i = 0; i < TEMPLATES.length; i += 4) {
    const batch = TEMPLATES.slice(i, i + 4);
    const runs = await Promise.all(batch.map(([, , path]) => runKiln(['validate', relative(REPO, path)])));
    runs.forEach((run, j) => {
      if (run.code !== 0) results.push(`${batch[j]![0]}/${batch[j]![1]} (exit ${run.code}):\n${run.stderr}`);
    });
  }
  assert.equal(results, [], results.join('\n'));
});

test.run();
