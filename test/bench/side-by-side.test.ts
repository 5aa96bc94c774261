import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { guestEvents } from '../../lib/bench/guest-phases.js';
import { hostSteps, kilnMarks, ownTime, packerMarks } from '../../lib/bench/host-steps.js';
import { formatSideBySide, sideBySide, type ToolRun } from '../../lib/bench/side-by-side.js';
import { parseStamped } from '../../lib/bench/stamped-lines.js';
import { REPO } from '../helpers/run-kiln.js';

// The same bench run as guest-phases.test.ts: kiln's --json lines and Packer's output, stamped.
const read = (name: string) => parseStamped(readFileSync(`${REPO}test/bench/fixtures/${name}`, 'utf8'));
const kiln: ToolRun = { wholeMs: 58_000, marks: kilnMarks(read('installer-kiln.out.txt')), guest: guestEvents(read('installer-kiln.serial.txt')) };
const packer: ToolRun = { wholeMs: 73_900, marks: packerMarks(read('installer-packer.out.txt')), guest: guestEvents(read('installer-packer.serial.txt')) };
const seconds = (steps: { label: string; ms: number }[]) => steps.map((s) => `${s.label} ${(s.ms / 1000).toFixed(1)}`);

test("kiln's host steps from its --json events: typing split from the boot command's waits", () => {
  assert.equal(seconds(hostSteps(kiln.marks, kiln.wholeMs)), [
    'prepare 1.7',
    'start VM 0.1',
    'boot wait 0.2',
    'typing 0.4',
    'wait for SSH 47.4',
    'checkpoint 0.2',
    'provision 2.5',
    'shrink 0.8',
    'shutdown 3.7',
    'checkpoint-final 0.0',
    'export 0.6',
    'box 0.2',
    'manifest 0.2',
  ]);
});

test("kiln's checkpoints inside provisioning, and a wait for a memory checkpoint before shutdown, count as its checkpoint step", () => {
  const json = (ms: number, event: Record<string, unknown>) => ({ ms, text: JSON.stringify(event) });
  const marks = kilnMarks([
    json(1000, { type: 'step-started', step: 'wait-ssh' }),
    json(10_000, { type: 'step-started', step: 'checkpoint' }),
    json(10_300, { type: 'snapshot', stage: 'install', ms: 250, paused_ms: 40, memory: 'background' }),
    json(10_300, { type: 'step-started', step: 'provision' }),
    json(13_000, { type: 'snapshot', stage: 'provision[0]', ms: 500, paused_ms: 60, memory: 'background' }),
    // The last provisioner's checkpoint and the next step's start, read in one batch.
    json(15_000, { type: 'snapshot', stage: 'provision[1]', ms: 400, paused_ms: 60, memory: 'background' }),
    json(15_000, { type: 'step-started', step: 'shrink' }),
    // Stamped 50 ms late: the wait seems to begin before the step that waited.
    json(16_050, { type: 'step-started', step: 'shutdown' }),
    json(16_700, { type: 'wait', kind: 'checkpoint', target: 'the last memory checkpoint', ms: 700 }),
  ]);
  assert.equal(hostSteps(marks, 20_000), [
    { label: 'prepare', ms: 1000 },
    { label: 'wait for SSH', ms: 9000 },
    { label: 'checkpoint', ms: 300 + 500 + 400 + 650 },
    { label: 'provision', ms: 2200 + 1600 },
    { label: 'shrink', ms: 1050 },
    { label: 'shutdown', ms: 3300 },
  ]);
  assert.is(ownTime(hostSteps(marks, 20_000), 20_000), 3900);
});

test("Packer's host steps from the lines that start them", () => {
  assert.equal(seconds(hostSteps(packer.marks, packer.wholeMs)), [
    'prepare 0.6',
    'start VM 2.0',
    'boot wait 10.0',
    'typing 8.8',
    'wait for SSH 44.4',
    'provision 1.5',
    'shutdown 3.6',
    'export 2.7',
    'box 0.2',
  ]);
});

test('own time is the whole build less the guest-bound steps (wait for SSH, cloud-init, provision, shutdown)', () => {
  const steps = [
    { label: 'prepare', ms: 1000 },
    { label: 'wait for SSH', ms: 40_000 },
    { label: 'wait-cloud-init', ms: 5000 },
    { label: 'provision', ms: 2000 },
    { label: 'shrink', ms: 800 },
    { label: 'shutdown', ms: 3000 },
    { label: 'export', ms: 600 },
  ];
  assert.is(ownTime(steps, 52_400), 2400);
});

test('the side-by-side table: guest phases from VM start, host steps of both tools, whole build and own time with ratios', () => {
  const table = sideBySide(kiln, packer);
  assert.equal(table.guest[0], { label: 'VM start → kernel', kiln: 4165, packer: 27_257 });
  assert.equal(table.whole, { label: 'whole build', kiln: 58_000, packer: 73_900 });
  assert.equal(table.host.find((r) => r.label === 'checkpoint'), { label: 'checkpoint', kiln: 211 });
  const text = formatSideBySide('fixture installer', table, 'Packer 1.6.6');
  const lines = text.split('\n');
  assert.is(lines[2], '| | kiln | Packer 1.6.6 | kiln / Packer 1.6.6 |');
  assert.ok(lines.includes('| kernel (boot 2) → init (boot 2) | 10.6 s | 5.0 s | 2.12 |'), text);
  assert.ok(lines.includes('| typing | 0.4 s | 8.8 s | 0.04 |'), text);
  assert.ok(lines.includes('| shrink | 0.8 s | — |  |'), text);
  // 0.0 s against 0.1 s is below the serial log's resolution: no ratio.
  assert.ok(lines.includes('| install complete → reboot | 0.0 s | 0.1 s |  |'), text);
  assert.ok(lines.includes('| **whole build** | 58.0 s | 73.9 s | 0.78 |'), text);
  assert.match(text, /\| \*\*own time \(whole build less the guest's steps\)\*\* \| 4\.\d s \| 24\.\d s \| 0\.\d\d \|/);
});

test('without Packer: kiln\'s column alone, no ratios', () => {
  const text = formatSideBySide('kiln bench', sideBySide(kiln));
  assert.ok(text.includes('| | kiln |\n| --- | ---: |\n| *guest phase (serial console)* | |\n'), text);
  assert.ok(text.includes('| kernel (boot 2) → init (boot 2) | 10.6 s |\n'), text);
  assert.ok(text.includes('| **whole build** | 58.0 s |\n'), text);
});

test.run();
