// kiln publish as a user meets it: spawned, reading exit codes and messages; two
// publishes started at once, as two processes.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runKiln, spawnKiln } from '../helpers/run-kiln.js';
import { removeScratch, scratch } from '../helpers/scratch-dir.js';
import { fixtureOutput, type FixtureOutput } from '../publish/build-output-fixture.js';

let root = '';
let out: FixtureOutput;
let other: FixtureOutput;

test.before(async () => {
  root = await scratch({}, 'kiln-cli-publish-');
  out = await fixtureOutput(join(root, 'out'), 'one');
  other = await fixtureOutput(join(root, 'other'), 'two');
});
test.after(() => removeScratch());

const publishArgs = (output: string, catalog: string, version: string, ...extra: string[]) => ['publish', output, '--to', `catalog:${catalog}`, '--name', 'acme/demo', '--version', version, ...extra];

test('--help lists kiln publish', async () => {
  const help = await runKiln(['--help']);
  assert.match(help.stdout, /kiln publish OUTPUT_DIR --to catalog:DIR --name ORG\/BOX --version X\.Y\.Z/);
});

test('publishing prints where the box went and how to add it; exit 0', async () => {
  const catalog = join(root, 'c1');
  const run = await runKiln(publishArgs(out.dir, catalog, '1.0.0', '--url-base', 'https://boxes.example.com'));
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stdout, `published acme/demo 1.0.0 (libvirt, amd64) in ${join(catalog, 'acme/demo/metadata.json')}`);
  assert.match(run.stdout, `sha256:${out.sha256}`);
  assert.match(run.stdout, 'url: https://boxes.example.com/acme/demo/1.0.0/libvirt-amd64.box');
  assert.match(run.stdout, 'add it with: vagrant box add https://boxes.example.com/acme/demo/metadata.json --provider libvirt');

  // The same version again: refused, exit 2, the fix named; with --force: replaced.
  const again = await runKiln(publishArgs(other.dir, catalog, '1.0.0'));
  assert.is(again.code, 2);
  assert.match(again.stderr, 'kiln: error: acme/demo 1.0.0 already has a libvirt box for amd64 [E_CATALOG_EXISTS]');
  assert.match(again.stderr, /hint: .*--force/);
  const forced = await runKiln(publishArgs(other.dir, catalog, '1.0.0', '--force'));
  assert.is(forced.code, 0, forced.stderr);
  assert.match(forced.stdout, /^replaced acme\/demo 1\.0\.0/);
});

const usage: [string, string[], RegExp][] = [
  ['no output directory', ['publish', '--to', 'catalog:x', '--name', 'a/b', '--version', '1.0.0'], /takes one build output directory, got 0/],
  ['no --to', ['publish', 'out', '--name', 'a/b', '--version', '1.0.0'], /needs --to/],
  ['no --name', ['publish', 'out', '--to', 'catalog:x', '--version', '1.0.0'], /needs --name/],
  ['no --version', ['publish', 'out', '--to', 'catalog:x', '--name', 'a/b'], /needs --version/],
  ['an unknown flag', ['publish', 'out', '--to', 'catalog:x', '--name', 'a/b', '--version', '1.0.0', '--bogus'], /Unknown option '--bogus'/],
  ['a target that is not a catalog', ['publish', 'out', '--to', 'x', '--name', 'a/b', '--version', '1.0.0'], /--to "x" is not a publish target/],
  ['a name without org', ['publish', 'out', '--to', 'catalog:x', '--name', 'box', '--version', '1.0.0'], /box name "box" is not org\/name/],
  ['a version Vagrant Cloud would refuse', ['publish', 'out', '--to', 'catalog:x', '--name', 'a/b', '--version', 'v1.2'], /box version "v1\.2" is not X\.Y\.Z/],
  ['a catalog flag with an OCI target', ['publish', 'out', '--to', 'oci://r.io/a:1', '--name', 'a/b'], /--name is for box catalogs, not --to oci:\/\//],
  ['an OCI flag with a catalog target', ['publish', 'out', '--to', 'catalog:x', '--name', 'a/b', '--version', '1.0.0', '--containerdisk'], /--containerdisk is for --to oci:\/\//],
  ['a malformed OCI reference', ['publish', 'out', '--to', 'oci://r.io/Upper:1'], /has the part "Upper"/],
  ['a chunk size under 1K', ['publish', 'out', '--to', 'oci://r.io/a:1', '--chunk-size', '100b'], /--chunk-size "100b" is not a size of at least 1K/],
  ['--password-stdin without --username', ['publish', 'out', '--to', 'oci://r.io/a:1', '--password-stdin'], /--password-stdin needs --username/],
  ['kiln pull without a directory', ['pull', 'oci://r.io/a:1'], /kiln pull takes a reference and a directory, got 1/],
  ['a --cache-to with a tag', ['build', 'kiln.yaml', '--cache-to', 'oci://r.io/cache:v1'], /--cache-to "oci:\/\/r\.io\/cache:v1" names a tag or digest/],
  ['--cache-from on validate', ['validate', 'kiln.yaml', '--cache-from', 'oci://r.io/cache'], /--cache-from applies to kiln build only/],
];
for (const [what, args, message] of usage) {
  test(`usage: ${what} is exit 2 with a hint`, async () => {
    const run = await runKiln(args, { cwd: root });
    assert.is(run.code, 2, run.stderr);
    assert.match(run.stderr, message);
    assert.match(run.stderr, /hint: /);
  });
}

test('an output directory without manifest.json is exit 2, naming it and the fix', async () => {
  const run = await runKiln(publishArgs(root, join(root, 'c2'), '1.0.0'));
  assert.is(run.code, 2);
  assert.match(run.stderr, `${root} has no manifest.json: it is not the output of a finished kiln build [E_PUBLISH_INPUT]`);
  assert.match(run.stderr, /hint: give kiln publish the output directory of a build that succeeded/);
});

test('two publishes of different versions started at once both end up in metadata.json', async () => {
  const catalog = join(root, 'c3');
  for (let round = 0; round < 5; round++) {
    const versions = [`${round}.1.0`, `${round}.2.0`];
    const runs = await Promise.all([spawnKiln(publishArgs(out.dir, catalog, versions[0]!)).done, spawnKiln(publishArgs(other.dir, catalog, versions[1]!)).done]);
    for (const run of runs) assert.is(run.code, 0, run.stderr);
  }
  const metadata = JSON.parse(await readFile(join(catalog, 'acme/demo/metadata.json'), 'utf8'));
  assert.equal(metadata.versions.map((v: { version: string }) => v.version), [0, 1, 2, 3, 4].flatMap((r) => [`${r}.1.0`, `${r}.2.0`]));
});

test.run();
