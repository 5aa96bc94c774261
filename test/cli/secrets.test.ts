// A sensitive value threaded through every key that takes placeholders never reaches an
// output, in any form: not the terminal, not --json, not build.log, not an error, not
// the manifest. The build fails where a real one would first need the network.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runKiln } from '../helpers/run-kiln.js';
import { lines } from '../template/scratch.js';
import { removeScratch, scratch } from '../helpers/scratch-dir.js';

test.after(removeScratch);

// One that can stand in a URL's userinfo, and one with characters JSON and URLs escape.
const SECRET = 'Tok3n-with.odd_chars~and-length-40-xyz9';
const ODD = 'p4ss"wörd/+x=1 and more';
const formsOf = (s: string) => [s, JSON.stringify(s).slice(1, -1), encodeURIComponent(s), Buffer.from(s).toString('base64').slice(0, 20), s.slice(0, 8)];
const FORMS = [...formsOf(SECRET), ...formsOf(ODD)];
const v = '{{ var `token` }}';

const TEMPLATE = lines(
  'name: secrets',
  'variables:',
  `  token: { default: ${JSON.stringify(SECRET)}, sensitive: true }`,
  `  odd: { default: ${JSON.stringify(ODD)}, sensitive: true }`,
  'source:',
  `  iso: { url: "http://kiln:${v}@127.0.0.1:9/x.iso?token=${v}", checksum: none }`,
  `http: { content: { /ks.cfg: "password ${v} {{ var \`odd\` }}" } }`,
  'boot:',
  `  command: ["<esc>linux pw=${v}<enter>"]`,
  `ssh: { username: kiln, password: "${v}" }`,
  'provision:',
  `  - shell: { inline: ["echo ${v}"], env: { TOKEN: "${v}" } }`,
  `shutdown: { command: "echo ${v} | sudo -S poweroff" }`,
  'output: { directory: out }',
);

function assertNoSecret(where: string, text: string): void {
  for (const form of FORMS) assert.not.ok(text.includes(form), `${where} shows the secret as ${JSON.stringify(form)}:\n${text}`);
}

test('a failing build with --json: no form of the secret on stderr, stdout, build.log or in the error', async () => {
  const dir = await scratch({ 'kiln.yaml': TEMPLATE });
  const run = await runKiln(['build', 'kiln.yaml', '--json', '--verbose'], { cwd: dir });
  assert.is(run.code, 1, run.stderr);
  assertNoSecret('stderr', run.stderr);
  assertNoSecret('stdout (--json)', run.stdout);
  assertNoSecret('build.log', await readFile(join(dir, 'out', 'build.log'), 'utf8'));
  const error = run.stdout.trim().split('\n').map((l) => JSON.parse(l)).find((e) => e.type === 'error');
  assert.ok(error, run.stdout);
  assert.match(error.message, /http:\/\/\*\*\*:\*\*\*@127\.0\.0\.1:9/);
});

test('a value that fails validation is not quoted, whole or cut short', async () => {
  const dir = await scratch({ 'kiln.yaml': TEMPLATE.replace('name: secrets', `name: secrets\nmachine: { cpus: "{{ var \`odd\` }}", memory: "${v}" }`) });
  const run = await runKiln(['validate', 'kiln.yaml'], { cwd: dir });
  assert.is(run.code, 2, run.stderr);
  assert.match(run.stderr, /machine\.cpus/);
  assertNoSecret('validate stderr', run.stderr);
});

test('a sensitive value the keyboard cannot type is reported without its character or where in it', async () => {
  const typed = 'pass-wörd-1234';
  const template = lines(
    'name: keyboard',
    'variables:',
    `  pw: { default: ${JSON.stringify(typed)}, sensitive: true }`,
    'source: { iso: { url: x.iso, checksum: none } }',
    'boot: { command: ["<esc>linux pw={{ var `pw` }}<enter>"] }',
    'ssh: { username: u, password: p }',
  );
  const dir = await scratch({ 'kiln.yaml': template, 'x.iso': '' });
  const run = await runKiln(['validate', 'kiln.yaml'], { cwd: dir });
  assert.is(run.code, 2, run.stderr);
  assert.match(run.stderr, /kiln\.yaml:5:\d+: boot\.command\[0\]: the value of a sensitive variable cannot be typed as it is/);
  for (const leak of ['ö', 'U+00F6', typed.slice(0, 6)]) assert.not.ok(run.stderr.includes(leak), `${leak} in:\n${run.stderr}`);
});

test.run();
