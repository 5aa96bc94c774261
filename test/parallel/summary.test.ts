import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { boardText } from '../../lib/parallel/live-board.js';
import { summaryLines } from '../../lib/parallel/summary.js';

test('the summary: one row per build with result, time and artifacts, then the count', () => {
  const lines = summaryLines([
    { name: 'debian-12-efi', status: 'ok', ms: 95_000, result: { outputDir: 'out/d', files: [{ file: 'd.qcow2' }, { file: 'd.libvirt.box' }] } },
    { name: 'alpine', status: 'failed', ms: 4_200, error: new Error('x') },
    { name: 'c', status: 'not-started', ms: 0 },
  ]);
  assert.equal(lines, [
    'build          result       time   artifacts',
    'debian-12-efi  ok           1m35s  out/d/d.qcow2',
    '                                   out/d/d.libvirt.box',
    'alpine         FAILED       4.2s   -',
    'c              not started  -      -',
    '1 of 3 builds succeeded',
  ]);
  assert.is(summaryLines([{ name: 'a', status: 'ok', ms: 10, result: { outputDir: 'o', files: [] } }]).at(-1), 'all 1 builds succeeded');
});

test('a board line: queued, running (step, its elapsed time, last message), ended', () => {
  const base = { name: 'a', stepBegin: 1000, begin: 0 };
  const cases: [Parameters<typeof boardText>[0], string][] = [
    [{ ...base, state: 'queued' }, '· a     queued'],
    [{ ...base, state: 'running' }, '* a     starting'],
    [{ ...base, state: 'running', step: 'provision', message: 'shell |  apt-get\tupdate' }, '* a     provision 2.0s  shell | apt-get update'],
    [{ ...base, state: 'ok', step: 'manifest', endedMs: 61_000 }, '✔ a     done in 1m1s'],
    [{ ...base, state: 'failed', step: 'wait-ssh', endedMs: 5_000 }, '✖ a     failed in 5.0s (wait-ssh)'],
  ];
  for (const [line, expected] of cases) assert.is(boardText(line, 4, 3000, '*'), expected);
});

test.run();
