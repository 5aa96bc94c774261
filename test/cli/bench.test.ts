import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runKiln } from '../helpers/run-kiln.js';

// What kiln bench refuses before it builds anything (a build is the bench's own run: docs/benchmarks.md).
const template = (extra = '') => `
name: bench
variables:
  flavour: { default: a }
${extra}
source:
  iso: { url: installer.iso, checksum: none }
boot:
  command: ["<enter>"]
ssh: { username: kiln, password: x }
output: { directory: "out-{{ var \`flavour\` }}" }
`;

test('kiln bench measures one build of one template, and prints its own table', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-bench-cli-'));
  try {
    await writeFile(join(dir, 'installer.iso'), 'not an ISO, never booted here');
    await writeFile(join(dir, 'one.yaml'), template());
    await writeFile(join(dir, 'matrix.yaml'), template('matrix:\n  flavour: [a, b]'));
    const cases: [string[], RegExp][] = [
      [['bench', 'one.yaml', 'matrix.yaml'], /one template's build/],
      [['bench', 'one.yaml', '--json'], /prints its own table/],
      [['bench', 'matrix.yaml'], /one build; matrix\.yaml has 2: bench-a, bench-b/],
      [['bench', 'missing.yaml'], /missing\.yaml/],
    ];
    for (const [args, message] of cases) {
      const run = await runKiln(args, { cwd: dir });
      assert.is(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message, args.join(' '));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
