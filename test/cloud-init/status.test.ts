// `cloud-init status --wait --format json` verdicts. The fixtures are the output of
// cloud-init 22.4's own status command (Debian 12's), for the states a build meets.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cloudInitStatusError, parseCloudInitStatus } from '../../lib/cloud-init/status.js';
import { REPO } from '../helpers/run-kiln.js';

const fixture = (name: string) => readFile(join(REPO, 'test/cloud-init/fixtures', `status-22.4-${name}.json`), 'utf8');

test('done: no error', async () => {
  const out = await fixture('done');
  assert.equal(parseCloudInitStatus(out), { status: 'done', datasource: 'nocloud', errors: [], warnings: [], detail: 'DataSourceNoCloud [seed=/dev/sr0][dsmode=net]' });
  assert.is(cloudInitStatusError(out, 0), undefined);
});

test('no seed found: DataSourceNone is named, with the nocloud-net hint', async () => {
  const error = cloudInitStatusError(await fixture('none'), 1)!;
  assert.is(error.code, 'E_PROVISION');
  assert.match(error.message, /found no NoCloud seed .*DataSourceNone/);
  assert.match(error.hint!, /ds=nocloud-net;s=URL/);
});

test('module errors are listed', async () => {
  const error = cloudInitStatusError(await fixture('error'), 1)!;
  assert.is(
    error.message,
    "cloud-init reported errors in the guest: ('runcmd', ProcessExecutionError('Unexpected error')); ('scripts-user', RuntimeError('Runparts: 1 failures (part-002) in 1 attempted commands'))",
  );
  assert.match(error.hint!, /cloud-init-output\.log/);
});

test('disabled by its generator', async () => {
  assert.match(cloudInitStatusError(await fixture('disabled'), 0)!.message, /^cloud-init is disabled in the guest: Cloud-init disabled by cloud-init-generator$/);
});

test('later versions: warnings only (exit 2) pass; dots before the JSON; no JSON at all', () => {
  const degraded = JSON.stringify({ status: 'done', extended_status: 'degraded done', datasource: 'nocloud', errors: [], recoverable_errors: { DEPRECATED: ['Key "ssh_authorized_keys" is deprecated'] }, detail: 'DataSourceNoCloud' });
  assert.equal(parseCloudInitStatus(degraded)?.warnings, ['Key "ssh_authorized_keys" is deprecated']);
  assert.is(cloudInitStatusError(degraded, 2), undefined);
  assert.is(parseCloudInitStatus(`...${degraded}`)?.status, 'done');
  assert.is(cloudInitStatusError('', 0), undefined);
  assert.match(cloudInitStatusError('bash: cloud-init: command not found', 127)!.message, /failed with exit code 127: bash: cloud-init: command not found/);
  assert.is(parseCloudInitStatus('{not json'), undefined);
});

test.run();
