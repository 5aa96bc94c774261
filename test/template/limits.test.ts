// Absurd values are refused at validation, each at its position: numbers out of range,
// waits past 24h, a missing local source, and http.directory serving / or a home.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { servedDirProblem } from '../../lib/template/check-served-dir.js';
import { issuesOf, lines, load, removeScratch, scratch } from './scratch.js';

test.after(removeScratch);

const base = (...extra: string[]) => lines('name: t', 'source: { iso: { url: x.iso, checksum: none } }', 'ssh: { username: u }', ...extra);

const cases: [string, string, number, RegExp][] = [
  ['cpus: 1e23', 'machine.cpus', 4, /1e\+23 is out of range: must be at most 256/],
  ['cpus: 0', 'machine.cpus', 4, /must be at least 1/],
  ['memory: 99999999999999999999999999G', 'machine.memory', 4, /is too large: give at most 4T/],
  ['disk: 1e300', 'machine.disk', 4, /1e\+300 is too large: give at most 64T/],
  ['memory: 5T', 'machine.memory', 4, /too large/],
];
for (const [machine, path, line, message] of cases) {
  test(`machine: { ${machine} } is refused`, async () => {
    const issues = await issuesOf(base(`machine: { ${machine} }`));
    assert.is(issues.length, 1, JSON.stringify(issues));
    assert.is(issues[0]!.path, path);
    assert.is(issues[0]!.line, line);
    assert.match(issues[0]!.message, message);
  });
}

test('the largest allowed sizes and counts load', async () => {
  const t = await load(base('machine: { cpus: 256, memory: 4T, disk: 64T }'));
  assert.is(t.machine.cpus, 256);
  assert.is(t.machine.memory_mib, 4 * 1024 * 1024);
});

test('waits and timeouts past 24h are refused where they are written', async () => {
  const issues = await issuesOf(
    base('boot: { wait: 600h, command: ["<esc><wait600h>"] }', 'shutdown: { timeout: 25h }').replace('ssh: { username: u }', 'ssh: { username: u, timeout: 99999999h }'),
  );
  const found = issues.map((i) => [i.path, i.line, i.column, i.message.replace(/:.*/, '')]);
  assert.equal(found, [
    ['ssh.timeout', 3, 30, '"99999999h" is longer than 24h, kiln\'s limit for waits and timeouts'],
    ['boot.wait', 4, 15, '"600h" is longer than 24h, kiln\'s limit for waits and timeouts'],
    ['boot.command[0]', 4, 37, '<wait600h> is longer than 24h, kiln\'s limit for waits and timeouts'],
    ['shutdown.timeout', 5, 22, '"25h" is longer than 24h, kiln\'s limit for waits and timeouts'],
  ]);
});

test('a missing local source or SUMS file is an error at its key; a urls list is not (later entries are fallbacks)', async () => {
  const text = lines('name: t', 'source:', '  iso:', '    path: isos/missing.iso', '    checksum: file:SUMS', 'ssh: none');
  const issues = await issuesOf(text);
  assert.equal(
    issues.map((i) => [i.path, i.line, i.column]),
    [
      ['source.iso.path', 4, 11],
      ['source.iso.checksum', 5, 15],
    ],
  );
  assert.match(issues[0]!.message, /isos\/missing\.iso does not exist: fix the path/);
  await load(lines('name: t', 'source: { iso: { urls: [gone.iso, "https://example.org/d.iso"], checksum: none } }', 'ssh: none'));
});

test('http.directory may not be / or a home directory (by real path)', async () => {
  const issues = await issuesOf(base('http: { directory: / }'));
  assert.is(issues.length, 1);
  assert.is(issues[0]!.path, 'http.directory');
  assert.is(issues[0]!.line, 4);
  assert.match(issues[0]!.message, '/ is the filesystem root: kiln would serve every file on this machine; serve a folder of its own');

  const dir = await scratch({ 'home/alice/.ssh/id_ed25519': 'secret', 'www/': '' });
  const home = join(dir, 'home/alice');
  assert.match((await servedDirProblem(home, home))!, 'is or contains a home directory');
  assert.match((await servedDirProblem(join(home, '..', 'alice', '.'), home))!, 'is or contains a home directory');
  assert.match((await servedDirProblem(join(dir, 'home'), home))!, 'is or contains a home directory');
  assert.is(await servedDirProblem(join(dir, 'www'), home), undefined);
  assert.is(await servedDirProblem(join(dir, 'missing'), home), undefined);
  await mkdir(join(home, 'project/http'), { recursive: true });
  assert.is(await servedDirProblem(join(home, 'project/http'), home), undefined, 'a folder below the home is fine');
});

test.run();
