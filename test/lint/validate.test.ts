// Answer-file lint as users meet it: `kiln validate` (and `kiln build`, before anything
// starts) prints each problem with file:line:column and exits 2.
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runKiln } from '../helpers/run-kiln.js';

const made: string[] = [];
test.after(async () => {
  await Promise.all(made.map((d) => rm(d, { recursive: true, force: true })));
});

async function project(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-lint-'));
  made.push(dir);
  await writeFile(join(dir, 'x.iso'), '');
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
    if (name.endsWith('.sh')) await chmod(join(dir, name), 0o755);
  }
  return dir;
}

const template = (boot: string[], extra = '') => `name: lint
variables:
  password: { default: pw-Secret-7, sensitive: true }
source: { iso: { url: x.iso, checksum: none } }
http:
  directory: http
${extra}boot:
  command:
${boot.map((b) => `    - '${b}'`).join('\n')}
ssh: { username: vagrant, password: vagrant }
`;

/** The problem lines of a validate run, without the summary. */
const problems = (stderr: string) => stderr.trim().split('\n').filter((l) => !l.startsWith('kiln: '));

test('bad answer files of every format are reported with file:line:column', async () => {
  const dir = await project({
    'kiln.yaml':
      template(
        [
          '<esc>auto preseed/url=http://{{ .HTTPIP }}:{{ .HTTPPort }}/preseed.cfg<enter>',
          'inst.ks=http://{{ .HTTPIP }}:{{ .HTTPPort }}/ks.cfg<enter>',
          'c<wait>linux /casper/vmlinuz autoinstall ds=nocloud\\;s=http://{{ .HTTPIP }}:{{ .HTTPPort }}/seed/ ---<enter>',
          'setup-alpine -f http://{{ .HTTPIP }}:{{ .HTTPPort }}/answers<enter>',
        ],
        `  content:
    /ks.cfg: |
      text
      rootpw --plaintxt {{ var \`password\` }}
`,
      ) + 'provision:\n  - shell: { script: scripts/setup.sh }\n',
    'http/preseed.cfg': 'd-i debian-installer/locale string en_US\nd-i clock-setup/utc boolen true\n',
    'http/seed/user-data': '#cloud-config\nautoinstall:\n  version: 1\n  identity: { hostname: h, username: u, password: plain }\n',
    'http/seed/meta-data': '',
    'http/answers': 'KEYMAPOPTS=us us\n',
    'http/late.sh': '#!/bin/sh\nif true; then\n',
    'scripts/setup.sh': '#!/bin/sh\necho "unclosed\n',
  });
  const run = await runKiln(['validate', 'kiln.yaml'], { cwd: dir });
  assert.is(run.code, 2, run.stderr);
  const lines = problems(run.stderr);
  const expected = [
    /kiln\.yaml:10:14: http\.content\["\/ks\.cfg"\]: unknown option --plaintxt for rootpw: did you mean --plaintext\?$/,
    /^http\/answers:1:1: HOSTNAMEOPTS is not set, so setup-alpine would stop and ask/,
    /^http\/answers:1:15: the shell would run "us" as a command/,
    /^http\/late\.sh:2:1: sh -n: Syntax error: end of file unexpected/,
    /^http\/preseed\.cfg:2:21: unknown type "boolen": did you mean "boolean"\?/,
    /^http\/seed\/user-data:4:51: autoinstall\.identity\.password must be a crypted hash/,
    /^scripts\/setup\.sh:2:1: provision\[0\]\.shell\.script: sh -n: Syntax error: Unterminated quoted string$/,
  ];
  for (const pattern of expected) assert.ok(lines.some((l) => pattern.test(l)), `${pattern} not in:\n${lines.join('\n')}`);
  assert.not.ok(run.stderr.includes('pw-Secret-7'), 'a sensitive value was printed');
  assert.match(run.stderr, /kiln: .*kiln\.yaml: \d+ problems found/);
});

test('the boot command must fetch what kiln serves; GRUB needs ds=nocloud\\;s=', async () => {
  const dir = await project({
    'kiln.yaml': template([
      '<esc>auto url=http://{{ .HTTPIP }}:{{ .HTTPPort }}/presed.cfg<enter>',
      'c<wait>linux /casper/vmlinuz ds=nocloud;s=http://{{ .HTTPIP }}:{{ .HTTPPort }}/seed/ ---<enter><f10>',
      '<waitHttp /nothing.txt>',
    ]),
    'http/preseed.cfg': 'd-i debian-installer/locale string en_US\n',
    'http/seed/user-data': '#cloud-config\nautoinstall:\n  version: 1\n  identity: { hostname: h, username: u, password: "$6$x$y" }\n',
  });
  const run = await runKiln(['validate', 'kiln.yaml'], { cwd: dir });
  assert.is(run.code, 2, run.stderr);
  const lines = problems(run.stderr);
  const expected = [
    /kiln\.yaml:9:7: boot\.command\[0\]: the boot command fetches \/presed\.cfg, which kiln does not serve: did you mean \/preseed\.cfg\?$/,
    /kiln\.yaml:10:7: boot\.command\[1\]: the NoCloud seed needs \/seed\/meta-data, which kiln does not serve/,
    /kiln\.yaml:10:7: boot\.command\[1\]: GRUB ends a command at ";", so the linux line would stop before s=: write ds=nocloud\\;s=http:\/\/\{\{ \.HTTPIP \}\}:\{\{ \.HTTPPort \}\}\/seed\//,
    /kiln\.yaml:10:7: boot\.command\[1\]: \/seed\/user-data has an autoinstall section, but the boot command does not type the word autoinstall/,
    /kiln\.yaml:11:7: boot\.command\[2\]: <waitHttp \/nothing\.txt> waits for \/nothing\.txt, which kiln does not serve/,
  ];
  for (const pattern of expected) assert.ok(lines.some((l) => pattern.test(l)), `${pattern} not in:\n${lines.join('\n')}`);
  assert.is(lines.length, expected.length, lines.join('\n'));
});

test('good answer files pass; a file that only shares a name with a format is left alone', async () => {
  const dir = await project({
    'kiln.yaml': template(
      ['<esc>auto url=http://{{ .HTTPIP }}:{{ .HTTPPort }}/preseed.cfg<enter>', 'install ks=http://{{ .HTTPIP }}:{{ .HTTPPort }}/ks.cfg<enter>'],
      '  content:\n    /ks.cfg: |\n      hostname demo\n      user kiln\n      password {{ var `password` }}\n      authorized_key {{ .SSHPublicKey }}\n',
    ),
    'http/preseed.cfg': 'd-i debian-installer/locale string en_US\nd-i passwd/root-login boolean false\n',
  });
  const run = await runKiln(['validate', 'kiln.yaml'], { cwd: dir });
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stdout, /template "lint" is valid/);
});

test('dotfiles in http.directory: served (and linted) when the boot command names them, otherwise not', async () => {
  const dir = await project({
    'kiln.yaml': template(['<esc>auto url=http://{{ .HTTPIP }}:{{ .HTTPPort }}/.preseed.cfg<enter>']),
    'http/.preseed.cfg': 'd-i debian-installer/locale string en_US\nd-i preseed/include string .late.cfg\n',
    'http/.late.cfg': 'd-i passwd/root-login boolean false\n',
  });
  const run = await runKiln(['validate', 'kiln.yaml'], { cwd: dir });
  assert.is(run.code, 2, run.stderr);
  assert.equal(problems(run.stderr).map((l) => l.replace(/^.*?: /, '')), ['includes .late.cfg, which kiln does not serve at /.late.cfg']);
});

test.run();
