#!/usr/bin/env node
// The fake VBoxManage as a program: install.ts puts a wrapper for it first on PATH.
import { runFake } from './fake.js';

// Killed (kiln aborts its VBoxManage calls on Ctrl-C), the fake ends between two ticks:
// never inside a locked, synchronous change of the state, which would lose that change.
for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) process.on(signal, () => process.exit(code));

runFake(process.argv.slice(2), process.env).then(
  ({ code, stdout, stderr }) => {
    process.stdout.write(stdout);
    process.stderr.write(stderr);
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`fake VBoxManage crashed: ${(error as Error).stack ?? error}\n`);
    process.exitCode = 99;
  },
);
