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

const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, FORCE_COLOR: '0' } });
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
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exitCode = failed > 0 || code !== 0 || signal ? 1 : 0;
});
