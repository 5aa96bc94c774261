// Every shipped template passes `kiln validate`, run as a user runs it: `kiln init NAME`,
// then `kiln validate` in the new folder (template, boot command, answer files, a cloud
// image's seed and the scripts init brought from _shared; the external checkers
// installed here too, cloud-init's schema among them).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runKiln, type KilnRun } from '../helpers/run-kiln.js';
import { CLOUD_TEMPLATES, INSTALLER_TEMPLATES, NAMES, TEMPLATES } from './catalog.js';

/** Runs `kiln ARGS` for each item, a few at a time: each run starts node and the shell checkers. */
async function inBatches<T>(items: T[], args: (item: T) => { argv: string[]; cwd: string }): Promise<[T, KilnRun][]> {
  const done: [T, KilnRun][] = [];
  for (let i = 0; i < items.length; i += 4) {
    const batch = items.slice(i, i + 4);
    const runs = await Promise.all(batch.map((item) => runKiln(args(item).argv, { cwd: args(item).cwd })));
    runs.forEach((run, j) => done.push([batch[j]!, run]));
  }
  return done;
}

test('a BIOS and an EFI template for each of the eight installers, one template for each of the two cloud images', () => {
  const names = TEMPLATES.map((t) => `${t[0]}/${t[1]}`).join(' ');
  assert.is(INSTALLER_TEMPLATES.length, 16, names);
  assert.equal(CLOUD_TEMPLATES.map((t) => `${t[0]}/${t[1]}`), ['debian-12-cloud/kiln.yaml', 'ubuntu-24.04-cloud/kiln.yaml']);
  assert.is(TEMPLATES.length, 18, names);
});

test('kiln validate passes for every template in the folder kiln init makes', async () => {
  const work = await mkdtemp(join(tmpdir(), 'kiln-validate-configs-'));
  try {
    const inits = await inBatches(NAMES, (name) => ({ argv: ['init', name], cwd: work }));
    const failed = inits.filter(([, run]) => run.code !== 0).map(([name, run]) => `kiln init ${name} (exit ${run.code}):\n${run.stderr}`);
    assert.equal(failed, [], failed.join('\n'));
    const validations = await inBatches(TEMPLATES, ([name, file]) => ({ argv: ['validate', file], cwd: join(work, name) }));
    const problems = validations.filter(([, run]) => run.code !== 0).map(([[name, file], run]) => `${name}/${file} (exit ${run.code}):\n${run.stderr}`);
    assert.equal(problems, [], problems.join('\n'));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
});

test.run();
