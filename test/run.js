#!/usr/bin/env node
// Runs the uvu suites compiled to dist/test and ends with the line CI reads:
// "N passed, N failed". The unit suites run in one uvu process, then each e2e suite (the
// ones that boot QEMU) in its own, one after another: a crash costs one suite, and each
// suite's time is printed at the end, since the e2e builds are most of CI's time.
// `--unit` runs the unit suites only.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const unitOnly = process.argv.includes('--unit');
// uvu's package exports hide bin.js; it sits at the package root, above its entry point.
const entry = createRequire(import.meta.url).resolve('uvu');
const uvu = entry.slice(0, entry.lastIndexOf('/node_modules/uvu/') + '/node_modules/uvu/'.length) + 'bin.js';

// No colours in the log: --no-color, or uvu sets FORCE_COLOR=1 for itself and every
// process the tests spawn. Not NO_COLOR: beside FORCE_COLOR, node warns about it on the
// stderr of every spawned kiln, which tests read.
const env = { ...process.env, FORCE_COLOR: '0' };
delete env.NO_COLOR;

const E2E_DIR = 'dist/test/e2e';
const e2eSuites = unitOnly || !existsSync(E2E_DIR) ? [] : readdirSync(E2E_DIR).filter((f) => f.endsWith('.test.js')).sort();
const runs = [
  // Only the folder: hypervisor/virtualbox/manual-e2e.test.js is a unit suite.
  { name: 'unit suites', args: ['dist/test', '\\.test\\.js$', '-i', '^e2e(/|$)'] },
  ...e2eSuites.map((f) => ({ name: `e2e/${f}`, args: ['dist/test', `^e2e/${f.replaceAll('.', '\\.')}$`] })),
];

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
const times = [];
for (const run of runs) {
  const begin = Date.now();
  const { out, code, signal } = await runUvu(run.args);
  times.push(`${run.name} ${((Date.now() - begin) / 1000).toFixed(0)} s`);
  const count = (label) => Number(/* uvu prints e.g. "  Passed:    12" */ (out.match(new RegExp(`${label}:\\s+(\\d+)`)) ?? [])[1] ?? 0);
  const total = count('Total');
  passed += count('Passed');
  skipped += count('Skipped');
  // A crash before uvu's summary still has to count as a failure.
  const runFailed = total - count('Passed') - count('Skipped');
  failed += total === 0 || code !== 0 || signal ? Math.max(runFailed, 1) : runFailed;
  failures.push(...failureReports(out));
  if ((total === 0 || code !== 0 || signal) && runFailed === 0) failures.push(`${run.name}: uvu exited with ${signal ?? `code ${code}`} before finishing (see above)`);
}

console.log(`\nTime: ${times.join(', ')}`);
// CI keeps only the tail of the output: repeat each failure there, above the count.
if (failures.length) console.log(`\nFailures (${failures.length}), repeated from above:\n\n${failures.join('\n\n')}\n`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed > 0 ? 1 : 0;

function runUvu(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [uvu, ...args, '--no-color'], { stdio: ['ignore', 'pipe', 'inherit'], env });
    let out = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      out += chunk.toString();
    });
    child.on('close', (code, signal) => resolve({ out, code, signal }));
  });
}

/** uvu's failure reports ("FAIL suite "test"" and the lines after it), one string each. */
function failureReports(text) {
  const lines = text.split('\n');
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
