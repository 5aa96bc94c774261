// The external checkers: their output parsed into line-numbered problems (tables), and
// real runs of the ones installed here (sh and bash always; shellcheck and
// debconf-set-selections on Debian hosts, as in CI).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findExecutable } from '../../lib/util/find-executable.js';
import { lintShellText, shellOf } from '../../lib/lint/shell-script.js';
import { parseCloudInitOutput } from '../../lib/lint/tools/cloud-init.js';
import { checkDebconf, continuationStarts, parseDebconfOutput } from '../../lib/lint/tools/debconf.js';
import { checkShellcheck, parseShellcheckOutput } from '../../lib/lint/tools/shellcheck.js';
import { checkShellSyntax, parseShellSyntaxOutput } from '../../lib/lint/tools/shell-syntax.js';

let dir = '';
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-lint-tools-'));
});
test.after(async () => {
  await rm(dir, { recursive: true, force: true });
});
const file = async (name: string, text: string) => {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
};

test('shell output of dash and bash', () => {
  assert.equal(parseShellSyntaxOutput('s.sh: 4: Syntax error: "fi" unexpected\n', 5), [{ line: 4, message: 'Syntax error: "fi" unexpected' }]);
  assert.equal(
    parseShellSyntaxOutput("s.sh: line 4: syntax error near unexpected token `fi'\ns.sh: line 4: `fi fi'\n", 5),
    [{ line: 4, message: "syntax error near unexpected token `fi'" }],
  );
  // End of file is reported one past the last line.
  assert.equal(parseShellSyntaxOutput('s.sh: line 3: syntax error: unexpected end of file\n', 2), [{ line: 2, message: 'syntax error: unexpected end of file' }]);
});

test('shellcheck gcc output: errors only, without the "fix and try again" echo', () => {
  const out = [
    "s.sh:2:20: error: Couldn't parse this $((..)) expression. Fix to allow more checks. [SC1073]",
    's.sh:3:1: error:  Fix any mentioned problems and try again. [SC1072]',
    's.sh:5:1: warning: cd without || exit. [SC2164]',
  ].join('\n');
  assert.equal(parseShellcheckOutput(out), [
    { line: 2, column: 20, message: "shellcheck: Couldn't parse this $((..)) expression. Fix to allow more checks. [SC1073]" },
  ]);
});

test('debconf-set-selections output, continued lines mapped to their first line', () => {
  const text = 'd-i a/b string \\\n  x\nd-i foo\nd-i x/y boolen true\n';
  const out = "error: parse error on line 3: 'd-i foo'\nwarning: Unknown type boolen, skipping line 4\ndebconf: noise\n";
  assert.equal(parseDebconfOutput(out, continuationStarts(text)), [
    { line: 3, message: "debconf-set-selections: parse error: 'd-i foo'" },
    { line: 4, message: 'debconf-set-selections: Unknown type boolen' },
  ]);
  assert.equal([1, 2, 3, 4].map(continuationStarts(text)), [1, 1, 3, 4]);
});

test('cloud-init schema output: key paths mapped to lines', () => {
  const text = '#cloud-config\nusers:\n  - name: a\n    lock_passwd: maybe\npackages: 5\n';
  const out = "Error: Cloud config schema errors: users.0.lock_passwd: 'maybe' is not of type 'boolean', packages: 5 is not of type 'array'\n";
  assert.equal(parseCloudInitOutput(out, text), [
    { line: 4, message: "cloud-init schema: users.0.lock_passwd: 'maybe' is not of type 'boolean'" },
    { line: 5, message: "cloud-init schema: packages: 5 is not of type 'array'" },
  ]);
  assert.equal(parseCloudInitOutput('Error: something else went wrong\n', text), [{ line: 1, message: 'cloud-init schema: Error: something else went wrong' }]);
});

test('which shell reads a script, and CRLF or BOM', () => {
  assert.equal(shellOf('echo\n'), { shell: 'sh', shebang: false });
  assert.equal(shellOf('#!/bin/bash -eu\n'), { shell: 'bash', shebang: true });
  assert.equal(shellOf('#!/usr/bin/env bash\n'), { shell: 'bash', shebang: true });
  assert.equal(shellOf('#!/bin/sh -eux\n'), { shell: 'sh', shebang: true });
  assert.is(shellOf('#!/usr/bin/env python3\n'), undefined);
  assert.equal(lintShellText('#!/bin/sh\r\necho\r\n').map((p) => p.line), [1]);
  assert.equal(lintShellText('\uFEFF#!/bin/sh\n').map((p) => p.line), [1]);
  assert.equal(lintShellText('#!/bin/sh\necho\n'), []);
});

test('sh -n and bash -n run for real', async () => {
  const broken = await file('broken.sh', '#!/bin/sh\nif true; then\n  echo x\nfi fi\n');
  assert.equal(await checkShellSyntax(broken, 'sh', 4), [{ line: 4, message: 'sh -n: Syntax error: "fi" unexpected' }]);
  const bash = await checkShellSyntax(broken, 'bash', 4);
  assert.equal(bash.map((p) => p.line), [4]);
  assert.equal(await checkShellSyntax(await file('ok.sh', 'echo fine\n'), 'sh', 1), []);
});

test('shellcheck runs for real (a host test dependency)', async () => {
  assert.ok(findExecutable('shellcheck'), 'shellcheck is missing: run fixtures/install-host-deps.sh');
  const path = await file('sc.sh', 'echo "$((1 +"\n');
  const found = await checkShellcheck(path, 'sh');
  assert.ok(found.length > 0 && found.every((p) => p.line === 1 && /^shellcheck: .*\[SC\d+\]$/.test(p.message)), JSON.stringify(found));
  assert.equal(await checkShellcheck(await file('sc-ok.sh', '#!/bin/sh\ncd /tmp\necho $HOME\n'), undefined), []);
});

test('debconf-set-selections -c runs for real (Debian has it)', async () => {
  assert.ok(findExecutable('debconf-set-selections'), 'debconf-set-selections is missing: the tests run on Debian');
  const text = 'd-i a/b string x\nd-i foo\n';
  assert.equal(await checkDebconf(await file('p.cfg', text), text), [{ line: 2, message: "debconf-set-selections: parse error: 'd-i foo'" }]);
});

test.run();
