// The output directory may never be, or contain, what the user keeps: --force deletes in it.
import { symlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ValidationError } from '../../lib/errors.js';
import { contains, outputDirConflict } from '../../lib/template/check-output-dir.js';
import { loadTemplate } from '../../lib/template/load.js';
import { kilnRejection } from '../helpers/rejection.js';
import { issuesOf, lines, load, MINIMAL, removeScratch, scratch } from './scratch.js';

test.after(removeScratch);

const withOutput = (directory: string) => MINIMAL + `output: { directory: ${JSON.stringify(directory)} }\n`;

test('contains: the same path or below it, never a sibling with a shared prefix', () => {
  const table: [string, string, boolean][] = [
    ['/a', '/a', true],
    ['/a', '/a/b/c', true],
    ['/a/b', '/a', false],
    ['/a/b', '/a/bc', false],
    ['/', '/anything', true],
    ['/a', '/b/../a/x', true],
  ];
  for (const [outer, inner, expected] of table) assert.is(contains(outer, inner), expected, `${outer} contains ${inner}`);
});

for (const [directory, says] of [
  ['.', "is the template's folder"],
  ['..', "contains the template's folder"],
  ['/', 'is the filesystem root'],
  [homedir(), 'is your home directory'],
] as const) {
  test(`output.directory ${directory} is refused with its position`, async () => {
    const issues = await issuesOf(withOutput(directory));
    const issue = issues.find((i) => i.path === 'output.directory');
    assert.ok(issue, JSON.stringify(issues));
    assert.ok(issue.message.includes(says), issue.message);
    assert.match(issue.message, /Choose a folder of its own/);
    assert.is(issue.line, 8);
    assert.is(issue.column, 22);
  });
}

test('the working directory, the cache and the inputs are guarded too', async () => {
  const dir = await scratch({ 'www/': '', 'cache/': '', 'elsewhere/': '' });
  const cases: [string, string][] = [
    [join(dir, 'elsewhere'), 'the working directory'],
    [join(dir, 'www'), "one of the build's inputs"],
    [join(dir, 'cache'), "kiln's cache"],
  ];
  const cwd = process.cwd();
  process.chdir(join(dir, 'elsewhere'));
  try {
    for (const [directory, what] of cases) {
      await writeFile(join(dir, 'kiln.yaml'), withOutput(directory) + 'http: { directory: www }\n');
      const error = (await kilnRejection(loadTemplate(join(dir, 'kiln.yaml'), { cacheDir: join(dir, 'cache') }))) as ValidationError;
      assert.ok(error.issues.some((i) => i.path === 'output.directory' && i.message.includes(`is ${what}`)), `${directory}: ${JSON.stringify(error.issues)}`);
    }
  } finally {
    process.chdir(cwd);
  }
});

test('a symlink to the template folder is seen through; a folder yet to be made below the template is fine', async () => {
  const dir = await scratch({ 'project/kiln.yaml': withOutput('../link') });
  await symlink(join(dir, 'project'), join(dir, 'link'));
  const error = await kilnRejection(loadTemplate(join(dir, 'project/kiln.yaml')));
  assert.instance(error, ValidationError);
  const issues = (error as ValidationError).issues;
  assert.ok(issues.some((i) => i.path === 'output.directory' && i.message.includes("is the template's folder")), JSON.stringify(issues));
  const fine = await load(withOutput('out/new/deeper'));
  assert.match(fine.output.directory, /out\/new\/deeper$/);
});

test('the default output/{{ .Name }} is fine; a name is never a path', async () => {
  const t = await load(MINIMAL);
  assert.match(t.output.directory, /output\/tiny$/);
  const issues = await issuesOf(lines('name: ..', 'source: { disk: { path: x.qcow2, checksum: none } }', 'ssh: { username: u }'));
  assert.ok(issues.some((i) => i.path === 'name'), JSON.stringify(issues));
});

test('outputDirConflict names the first guarded directory it would delete', async () => {
  const dir = await scratch({ 'keep/': '' });
  assert.is(await outputDirConflict(join(dir, 'out'), [{ path: join(dir, 'keep'), what: 'a thing' }]), undefined);
  const message = await outputDirConflict(dir, [{ path: join(dir, 'keep'), what: 'a thing' }]);
  assert.match(message ?? '', /contains a thing/);
});

test.run();
