import { mkdtemp, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { recognizeText } from '../../lib/screen/ocr.js';
import { findExecutable } from '../../lib/util/find-executable.js';
import { screenShows } from '../../lib/screen/text-match.js';
import { kilnRejection } from '../helpers/rejection.js';
import { REPO } from '../helpers/run-kiln.js';

test('findExecutable looks along PATH for an executable file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-ocr-test-'));
  try {
    await writeFile(join(dir, 'tool'), '#!/bin/sh\n');
    await writeFile(join(dir, 'data'), 'not executable');
    await chmod(join(dir, 'tool'), 0o755);
    assert.is(findExecutable('tool', { PATH: `/nonexistent:${dir}` }), join(dir, 'tool'));
    assert.is(findExecutable('data', { PATH: dir }), undefined);
    assert.is(findExecutable('tool', {}), undefined);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('recognizeText names the package to install when tesseract is missing', async () => {
  const error = await kilnRejection(recognizeText('/nonexistent.png', { binary: 'kiln-no-such-tesseract' }));
  assert.is(error.code, 'E_TOOL');
  assert.match(error.message, /tesseract, which is not installed/);
  assert.match(error.hint ?? '', /apt install tesseract-ocr tesseract-ocr-eng/);
});

test('recognizeText reports what a failing tesseract said', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-ocr-test-'));
  try {
    const fake = join(dir, 'tesseract');
    await writeFile(fake, '#!/bin/sh\necho "Error opening data file eng.traineddata" >&2\nexit 1\n');
    await chmod(fake, 0o755);
    const error = await kilnRejection(recognizeText('/x.png', { binary: fake }));
    assert.is(error.code, 'E_TOOL');
    assert.match(error.message, /exit 1\): Error opening data file/);
    assert.match(error.hint ?? '', /language data is missing/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("real tesseract reads the fixture installer's boot screen (a saved kiln screenshot)", async () => {
  assert.ok(findExecutable('tesseract'), 'tesseract is missing: run fixtures/install-host-deps.sh');
  const text = await recognizeText(join(REPO, 'test/screen/fixtures/isolinux-boot-prompt.png'));
  assert.ok(screenShows(text, 'kiln test installer'), text);
  assert.ok(screenShows(text, 'boot the first hard disk'), text);
  assert.not.ok(screenShows(text, 'login:'), text);
});

test.run();
