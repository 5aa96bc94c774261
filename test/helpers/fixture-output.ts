import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/**
 * A getter for what a fixture build script makes: the script prints progress, then the
 * path of its result (built, or found in the fixture cache) as its last line. It runs
 * once per test process, on the first call; later calls share that run, failure included
 * (a second try would only take minutes to fail the same way).
 */
export function fixtureOutput(script: string): () => Promise<string> {
  let result: Promise<string> | undefined;
  return () =>
    (result ??= exec('bash', [script], { maxBuffer: 64 << 20 }).then(({ stdout }) => {
      const last = stdout.trim().split('\n').pop()!.trim();
      if (!last) throw new Error(`${script} printed no path`);
      return last;
    }));
}
