// reboot, breakpoint and shell-local as provisioners, and pause_before/max_retries/timeout
// on file: what they resolve to and the problems they can have.
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { stageDefinitions } from '../../lib/cache/stage-inputs.js';
import { issuesOf, lines, load, MINIMAL, removeScratch } from './scratch.js';

test.after(removeScratch);

test('defaults: reboot with sudo reboot and 5m, breakpoint enabled, shell-local scripts resolved, file with no pause or retries', async () => {
  const t = await load(
    MINIMAL +
      lines(
        'provision:',
        '  - reboot: {}',
        '  - breakpoint: { note: check it }',
        '  - shell-local: { script: hooks/up.sh, env: { A: 1 }, timeout: 1m }',
        '  - file: { source: hooks/up.sh, destination: /tmp/up.sh, pause_before: 2s, max_retries: 1 }',
      ),
    { files: { 'hooks/up.sh': '' } },
  );
  const dir = dirname(t.file);
  assert.equal(t.provision, [
    { type: 'reboot', command: 'sudo reboot', timeout_ms: 300_000, pause_before_ms: 0 },
    { type: 'breakpoint', note: 'check it', disable: false },
    { type: 'shell-local', scripts: [join(dir, 'hooks/up.sh')], env: { A: '1' }, pause_before_ms: 0, max_retries: 0, timeout_ms: 60_000 },
    { type: 'file', direction: 'upload', source: join(dir, 'hooks/up.sh'), destination: '/tmp/up.sh', pause_before_ms: 2000, max_retries: 1 },
  ]);
});

test('breakpoint and shell-local always run: they and every later stage are not resumed from the cache; reboot is', async () => {
  const t = await load(MINIMAL + lines('provision:', '  - reboot: {}', '  - breakpoint: {}', '  - reboot: {}'));
  assert.equal((await stageDefinitions(t, 'sha256:x')).map((s) => s.cacheable), [true, true, false, false, false]);
  const u = await load(MINIMAL + lines('provision:', '  - shell-local: { inline: [date] }'));
  assert.equal((await stageDefinitions(u, 'sha256:x')).map((s) => s.cacheable), [true, false, false]);
});

const cases: [string, string[], string, RegExp][] = [
  ['reboot: a bad timeout', ['  - reboot: { timeout: 0s }'], 'provision[0].reboot.timeout', /must be longer than 0/],
  ['reboot: an empty command', ['  - reboot: { command: "" }'], 'provision[0].reboot.command', /the command is empty/],
  ['breakpoint: an unknown key', ['  - breakpoint: { disabled: true }'], 'provision[0].breakpoint.disabled', /did you mean "disable"\?/],
  ['shell-local: nothing to run', ['  - shell-local: { env: { A: 1 } }'], 'provision[0].shell-local', /missing "inline", "script" or "scripts"/],
  ['shell-local: empty inline', ['  - shell-local: { inline: [] }'], 'provision[0].shell-local.inline', /remove this provisioner/],
  ['file: a bad pause_before', ['  - file: { source: kiln.yaml, destination: /x, pause_before: later }'], 'provision[0].file.pause_before', /"later" is not a duration/],
  ['file: max_retries out of range', ['  - file: { source: kiln.yaml, destination: /x, max_retries: -1 }'], 'provision[0].file.max_retries', /must be at least 0/],
];
for (const [name, body, path, message] of cases) {
  test(`problem: ${name}`, async () => {
    const issues = await issuesOf(MINIMAL + lines('provision:', ...body));
    assert.ok(issues.some((i) => i.path === path && message.test(i.message)), issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  });
}

test.run();
