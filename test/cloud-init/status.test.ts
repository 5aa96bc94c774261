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

// /run/cloud-init/result.json, as cloud-init writes it at the end of its last stage
// (22.4: datasource and errors; 23.4 and later add recoverable_errors).
const result = (v1: Record<string, unknown>) => JSON.stringify({ v1 });

test('result.json: done, its data source as status names it', () => {
  const done = result({ datasource: 'DataSourceNoCloud [seed=/dev/sr0][dsmode=net]', errors: [] });
  assert.equal(parseCloudInitStatus(done), { status: 'done', datasource: 'nocloud', errors: [], warnings: [], detail: 'DataSourceNoCloud [seed=/dev/sr0][dsmode=net]' });
  assert.is(cloudInitStatusError(done, 0), undefined);
  assert.is(parseCloudInitStatus(result({ datasource: 'DataSourceNoCloudNet [seed=http://10.0.2.2:8080/]', errors: [] }))?.datasource, 'nocloudnet');
});

test('result.json: no seed, module errors, warnings of later versions, not a result', () => {
  assert.match(cloudInitStatusError(result({ datasource: 'DataSourceNone', errors: [] }), 0)!.message, /found no NoCloud seed/);
  const failed = result({ datasource: 'DataSourceNoCloud [seed=/dev/sr0]', errors: ["('runcmd', ProcessExecutionError('Unexpected error'))"] });
  assert.is(parseCloudInitStatus(failed)?.status, 'error');
  assert.match(cloudInitStatusError(failed, 0)!.message, /^cloud-init reported errors in the guest: \('runcmd'/);
  const warned = result({ datasource: 'DataSourceNoCloud', errors: [], recoverable_errors: { WARNING: ['Unused key "foo"'] } });
  assert.equal(parseCloudInitStatus(warned)?.warnings, ['Unused key "foo"']);
  assert.is(cloudInitStatusError(warned, 0), undefined);
  assert.is(parseCloudInitStatus(JSON.stringify({ v1: null })), undefined);
  assert.is(parseCloudInitStatus(JSON.stringify({ v2: {} })), undefined);
});

test.run();
