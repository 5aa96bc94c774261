import { PassThrough } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { JsonReporter } from '../../lib/cli/json-reporter.js';
import { KilnError, ValidationError } from '../../lib/errors.js';

test('one JSON object per line, each with type and time', () => {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d) => (text += d));
  const json = new JsonReporter(out, false, () => new Date('2024-05-01T12:00:00Z'));
  json.buildStarted({ name: 'demo', hypervisor: 'qemu', kiln_version: '0.1.0', template: '/t/kiln.yaml' });
  json.event({ type: 'step-started', step: 'boot-command' });
  json.event({ type: 'keys', line: 2, keys: 40, ms: 210 });
  json.info('typed 40 keys');
  json.debug('not shown without --verbose');
  json.output('provision[1] shell', 'hello "world"', 'stderr');
  json.output('qemu', 'warning: x');
  json.event({ type: 'step-finished', step: 'boot-command', ms: 1235, status: 'ok' });
  json.error(new KilnError('E_SSH_TIMEOUT', 'no SSH login\n\nlast lines', { hint: 'check' }), 1);
  json.buildFinished({ ms: 99.4, output_dir: '/o', files: [] });

  const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.map((l) => l.type), ['build-started', 'step-started', 'keys', 'log', 'provisioner-output', 'output', 'step-finished', 'error', 'build-finished']);
  assert.ok(lines.every((l) => l.time === '2024-05-01T12:00:00.000Z'));
  assert.equal(lines[2], { type: 'keys', time: '2024-05-01T12:00:00.000Z', line: 2, keys: 40, ms: 210 });
  assert.equal(lines[4], { type: 'provisioner-output', time: '2024-05-01T12:00:00.000Z', provisioner: 1, source: 'provision[1] shell', stream: 'stderr', line: 'hello "world"' });
  assert.is(lines[6].ms, 1235);
  assert.equal(lines[7], { type: 'error', time: '2024-05-01T12:00:00.000Z', code: 'E_SSH_TIMEOUT', message: 'no SSH login\n\nlast lines', hint: 'check', exit_code: 1 });
  assert.equal(lines[8].status, 'ok');
});

test('--verbose adds debug lines; an unexpected error is E_INTERNAL', () => {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d) => (text += d));
  const json = new JsonReporter(out, true);
  json.debug('detail');
  json.error(new TypeError('oops'), 1);
  const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.equal([lines[0].level, lines[1].code], ['debug', 'E_INTERNAL']);
});

test('an invalid template\'s error event carries every problem with its file and position', () => {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d) => (text += d));
  const error = new ValidationError(
    [
      { path: 'machine.cpus', message: '1e+23 is out of range: must be at most 256', line: 7, column: 9 },
      { path: '', message: 'includes x.cfg, which kiln does not serve', file: 'http/ks.cfg', line: 3 },
      { path: 'variables', message: '--var x is not declared in the template' },
      { path: 'name', message: 'expected a string', line: 1, column: 7 },
    ],
    'kiln.yaml',
  );
  new JsonReporter(out).error(error, 2);
  const event = JSON.parse(text);
  assert.is(event.message, 'kiln.yaml: 4 problems found');
  assert.is(event.exit_code, 2);
  assert.equal(event.issues, [
    { file: 'kiln.yaml', path: 'variables', message: '--var x is not declared in the template' },
    { file: 'kiln.yaml', line: 1, column: 7, path: 'name', message: 'expected a string' },
    { file: 'kiln.yaml', line: 7, column: 9, path: 'machine.cpus', message: '1e+23 is out of range: must be at most 256' },
    { file: 'http/ks.cfg', line: 3, column: 1, path: '', message: 'includes x.cfg, which kiln does not serve' },
  ]);
});

test.run();
