// The boot command as validation sees it: with {{ .Name }} and {{ .OutputDir }} filled,
// and keys left held reported as warnings (the template still loads).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateCommand } from '../../lib/cli/commands/validate.js';
import { issuesOf, lines, load, removeScratch, scratch } from './scratch.js';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';

test.after(removeScratch);

const template = (command: string, output = 'out/{{ .Name }}') =>
  lines('name: t', 'source: { iso: { url: x.iso, checksum: none } }', 'ssh: none', `output: { directory: "${output}" }`, 'boot:', `  command: ["ok ", ${JSON.stringify(command)}]`);

test('a placeholder whose known value cannot be typed is an error at the placeholder', async () => {
  const issues = await issuesOf(template('cd {{ .OutputDir }}<enter>', 'out/josé'));
  assert.is(issues.length, 1);
  assert.is(issues[0]!.path, 'boot.command[1]');
  assert.is(issues[0]!.line, 6);
  assert.is(issues[0]!.column, 24);
  assert.match(issues[0]!.message, /^\{\{ \.OutputDir \}\} is ".*out\/josé": "é" \(U\+00E9\) is not on the US keyboard/);
});

test('typeable values pass; a problem after a placeholder is still located as written', async () => {
  await load(template('{{ .Name }} {{ .OutputDir }} {{ .HTTPIP }}:{{ .HTTPPort }} {{ .SSHPublicKey }}<enter>'));
  const issues = await issuesOf(template('{{ .OutputDir }}<entr>'));
  assert.is(issues[0]!.column, 37);
  assert.match(issues[0]!.message, /^unknown special key <entr>/);
});

test('the template records which kinds of wait its boot command uses, each once', async () => {
  assert.equal((await load(template('<wait5s><waitSerial "login:"><wait><waitScreen "boot:"><enter>'))).boot.waits, ['wait', 'waitSerial', 'waitScreen']);
  assert.equal((await load(template('plain<enter>'))).boot.waits, []);
});

test('a key held and never released is a warning with its position; the template loads', async () => {
  const t = await load(template('<leftCtrlOn>c<leftAltOn>x<leftAltOff>'));
  assert.equal(
    (t.warnings ?? []).map((w) => [w.path, w.line, w.column, w.message]),
    [['boot.command[1]', 6, 21, '<leftCtrlOn> is never released: the guest sees the key held until the command ends; add <leftCtrlOff> where the hold should end']],
  );
  assert.is((await load(template('<leftCtrlOn>c<leftCtrlOff>'))).warnings, undefined);
});

test('kiln validate shows warnings on stderr and succeeds', async () => {
  const dir = await scratch({ 'x.iso': '' });
  await writeFile(join(dir, 'kiln.yaml'), template('<aOn>'));
  let out = '';
  let err = '';
  const code = await validateCommand(
    { file: join(dir, 'kiln.yaml'), vars: {}, varFiles: [], only: [], except: [] },
    { write: (s: string) => ((out += s), true) } as unknown as NodeJS.WritableStream,
    { write: (s: string) => ((err += s), true) } as unknown as NodeJS.WritableStream,
  );
  assert.is(code, 0);
  assert.match(out, 'is valid');
  assert.match(err, /kiln\.yaml:6:\d+: boot\.command\[1\]: warning: <aOn> is never released: .* add <aOff>/);
});

test.run();
