#!/usr/bin/env node
// Runs the uvu suites compiled to dist/test and ends with the line CI reads:
// "N passed, N failed". `--unit` leaves out test/e2e (the suites that boot QEMU).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const unitOnly = process.argv.includes('--unit');
// uvu's package exports hide bin.js; it sits at the package root, above its entry point.
const entry = createRequire(import.meta.url).resolve('uvu');
const uvu = entry.slice(0, entry.lastIndexOf('/node_modules/uvu/') + '/node_modules/uvu/'.length) + 'bin.js';
const args = [uvu, 'dist/test', '\\.test\\.js$'];
if (unitOnly) args.push('-i', 'e2e');

// No colours in the log: --no-color, or uvu sets FORCE_COLOR=1 for itself and every
// process the tests spawn. Not NO_COLOR: beside FORCE_COLOR, node warns about it on the
// stderr of every spawned kiln, which tests read.
args.push('--no-color');
const env = { ...process.env, FORCE_COLOR: '0' };
delete env.NO_COLOR;
const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env });
let out = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  out += chunk.toString();
});
child.on('close', (code, signal) => {
  const count = (label) => Number(/* uvu prints e.g. "  Passed:    12" */ (out.match(new RegExp(`${label}:\\s+(\\d+)`)) ?? [])[1] ?? 0);
  const total = count('Total');
  const passed = count('Passed');
  const skipped = count('Skipped');
  // A crash before uvu's summary still has to count as a failure.
  const failed = total === 0 || code !== 0 ? Math.max(total - passed - skipped, 1) : total - passed - skipped;
  const failures = failureReports(out);
  // CI keeps only the tail of the output: repeat each failure there, above the count.
  if (failures.length) console.log(`\nFailures (${failures.length}), repeated from above:\n\n${failures.join('\n\n')}\n`);
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exitCode = failed > 0 || code !== 0 || signal ? 1 : 0;
});

/** uvu's failure reports ("FAIL suite "test"" and the lines after it), one string each. */
function failureReports(text) {
  // eslint-disable-next-line no-control-regex
  const lines = text.replace(/\x1b\[[0-9;]*m/g, '').split('\n');
  const reports = [];
  let current;
  let file = '';
  for (const line of lines) {
    if (/\.test\.js$/.test(line.trim())) file = line.trim();
    if (/^\s*FAIL\s/.test(line)) {
      current = [`${file}: ${line.trim()}`];
      reports.push(current);
    } else if (current && (/\.test\.js$/.test(line.trim()) || /^\s*Total:/.test(line))) {
      current = undefined;
    } else if (current && current.length < 40) {
      current.push(line);
    }
  }
  return reports.map((report) => report.join('\n').trimEnd());
}
