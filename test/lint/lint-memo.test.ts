// The builds of one Packer template share their scripts: with a memo, each script is
// linted once per run, its external checkers started once, and every build still gets
// the problem.
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lintAnswerFiles, type LintMemo } from '../../lib/lint/lint-template.js';
import { loadParsedTemplate } from '../../lib/template/load.js';

test('a memo lints a shared script once; each build gets its problem', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-lint-memo-'));
  const path = process.env.PATH;
  try {
    // A shellcheck stand-in that records each start and reports one error.
    await mkdir(join(dir, 'bin'));
    const log = join(dir, 'shellcheck.log');
    await writeFile(join(dir, 'bin', 'shellcheck'), `#!/bin/sh\necho run >> ${log}\necho "x.sh:2:1: error: a stand-in error [SC9999]"\nexit 1\n`);
    await chmod(join(dir, 'bin', 'shellcheck'), 0o755);
    process.env.PATH = `${join(dir, 'bin')}:${path}`;
    await writeFile(join(dir, 'x.iso'), '');
    await writeFile(join(dir, 'setup.sh'), '#!/bin/sh\necho hi\n');
    await writeFile(join(dir, 'kiln.yaml'), 'name: m\nsource: { iso: { url: x.iso, checksum: none } }\nssh: { username: u, password: p }\nprovision:\n  - shell: { script: setup.sh }\n');
    const { template, source } = await loadParsedTemplate(join(dir, 'kiln.yaml'));
    const memo: LintMemo = new Map();
    const first = await lintAnswerFiles(template, { source, memo });
    const second = await lintAnswerFiles(template, { source, memo });
    assert.equal(first.map((i) => i.message), ['shellcheck: a stand-in error [SC9999]']);
    assert.equal(second, first);
    assert.is((await readFile(log, 'utf8')).trim().split('\n').length, 1, 'shellcheck ran more than once');
    await lintAnswerFiles(template, { source });
    assert.is((await readFile(log, 'utf8')).trim().split('\n').length, 2, 'without a memo each call lints');
  } finally {
    process.env.PATH = path;
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
