import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findEfiFirmware, OVMF_CANDIDATES, prepareEfiVars } from '../../../lib/hypervisor/qemu/firmware.js';
import { kilnRejection } from '../../helpers/rejection.js';

const dir = mkdtempSync(join(tmpdir(), 'kiln-fw-'));
const file = (name: string, content = name) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};


test('the first pair with both files wins; half a pair does not count', async () => {
  const lonelyCode = file('a-code.fd');
  const code = file('b-code.fd');
  const vars = file('b-vars.fd');
  const found = await findEfiFirmware([
    { code: lonelyCode, vars: join(dir, 'missing-vars.fd') },
    { code, vars },
    { code: file('c-code.fd'), vars: file('c-vars.fd') },
  ]);
  assert.equal(found, { code, vars });
});

test('no firmware: E_TOOL listing where it looked and naming the package', async () => {
  const error = await kilnRejection(findEfiFirmware([{ code: join(dir, 'nope-code.fd'), vars: join(dir, 'nope-vars.fd') }]));
  assert.is(error.code, 'E_TOOL');
  assert.match(error.message, /nope-code\.fd/);
  assert.match(error.hint ?? '', /apt-get install ovmf/);
});

const debian = OVMF_CANDIDATES[0]!;
// Not a Debian host with ovmf: uvu counts it as skipped, and test/run.js says so.
(existsSync(debian.code) && existsSync(debian.vars) ? test : test.skip)('the default search finds Debian\'s OVMF when the package is installed [needs ovmf]', async () => {
  assert.equal(await findEfiFirmware(), debian);
});

test('prepareEfiVars copies a read-only template to a writable per-build file', async () => {
  const template = file('template-vars.fd', 'NVRAM');
  chmodSync(template, 0o444);
  const copy = await prepareEfiVars({ code: '/unused', vars: template }, join(dir, 'build-vars.fd'));
  assert.is(copy, join(dir, 'build-vars.fd'));
  assert.is(readFileSync(copy, 'utf8'), 'NVRAM');
  assert.is(statSync(copy).mode & 0o777, 0o644);
  assert.is(statSync(template).mode & 0o777, 0o444, 'the template is untouched');
});

test('prepareEfiVars into a missing directory is a clear error', async () => {
  const error = await kilnRejection(prepareEfiVars({ code: '/unused', vars: file('v.fd') }, join(dir, 'no/such/dir/vars.fd')));
  assert.is(error.code, 'E_QEMU');
  assert.match(error.message, /could not copy the UEFI vars/);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
