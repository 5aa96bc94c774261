// Loading: path resolution, variables and placeholders, unreadable files.
import { join, relative } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadTemplate } from '../../lib/template/load.js';
import { lines, load, MINIMAL, removeScratch, scratch } from './scratch.js';
import { kilnRejection } from '../helpers/rejection.js';

test.after(removeScratch);

test('relative paths resolve against the template directory, not the working directory', async () => {
  const dir = await scratch({ 'sub/kiln.yaml': MINIMAL + 'http: { directory: www }\noutput: { directory: ../build }\n', 'sub/www/': '', 'sub/images/base.qcow2': '' });
  const t = await loadTemplate(relative(process.cwd(), join(dir, 'sub/kiln.yaml')));
  assert.is(t.file, join(dir, 'sub/kiln.yaml'));
  assert.is(t.dir, join(dir, 'sub'));
  assert.is(t.http.directory, join(dir, 'sub/www'));
  assert.equal(t.source.urls, [join(dir, 'sub/images/base.qcow2')]);
  assert.is(t.output.directory, join(dir, 'build'));
});

test('absolute paths and file:// URLs stay absolute paths', async () => {
  const t = await load(MINIMAL.replace('path: images/base.qcow2', 'urls: [/srv/base.qcow2, "file:///srv/other.qcow2"]'));
  assert.equal(t.source.urls, ['/srv/base.qcow2', '/srv/other.qcow2']);
});

test('variable precedence: --var > later var file > earlier var file > default', async () => {
  const dir = await scratch({
    'a.yaml': 'a: from-a\nb: from-a\nc: from-a\n',
    'b.json': '{ "b": "from-b", "c": "from-b" }',
  });
  const t = await load(
    lines(
      'name: t',
      'variables: { a: default, b: default, c: default, d: default }',
      'source: { iso: { url: x.iso, checksum: none } }',
      'ssh: { username: u }',
      'http: { content: { /v: "{{ var `a` }} {{ var `b` }} {{ var `c` }} {{ user `d` }}" } }',
    ),
    { varFiles: [join(dir, 'a.yaml'), join(dir, 'b.json')], vars: { c: 'from-cli' } },
  );
  assert.equal(t.variables, { a: 'from-a', b: 'from-b', c: 'from-cli', d: 'default' });
  assert.is(t.http.content['/v'], 'from-a from-b from-cli default');
});

test('a variable without a default can be given on the command line; numbers re-type', async () => {
  const t = await load(
    lines(
      'name: t',
      'variables: { user: , cpus: , efi: }',
      'source: { iso: { url: x.iso, checksum: none } }',
      'ssh: { username: "{{ var `user` }}", port: "{{ var `cpus` }}" }',
      'machine: { cpus: "{{ var `cpus` }}", memory: "{{ var `cpus` }}G" }',
      'output: { compress: "{{ var `efi` }}" }',
    ),
    { vars: { user: 'admin', cpus: '8', efi: 'false' } },
  );
  assert.is(t.ssh!.username, 'admin');
  assert.is(t.ssh!.port, 8);
  assert.is(t.machine.cpus, 8);
  assert.is(t.machine.memory_mib, 8192);
  assert.is(t.output.compress, false);
});

test('build-time placeholders stay; {{ .Name }} is rendered only in output.directory', async () => {
  const t = await load(
    lines(
      'name: t',
      'source: { iso: { url: x.iso, checksum: none } }',
      'ssh: { username: u }',
      'http: { content: { /a: "{{ .Name }} {{ .SSHPublicKey }} {{ .OutputDir }} {{ .CloudInitURL }} {{ \\"{{\\" }}" } }',
      'provision: [ { shell: { inline: ["echo {{ .Name }}"] } } ]',
      'cloud_init: {}', // {{ .CloudInitURL }} needs a seed served over HTTP
    ),
  );
  assert.is(t.http.content['/a'], '{{ .Name }} {{ .SSHPublicKey }} {{ .OutputDir }} {{ .CloudInitURL }} {{ "{{" }}');
  assert.equal((t.provision[0] as { inline: string[] }).inline, ['echo {{ .Name }}']);
  assert.is(t.output.directory, join(t.dir, 'output/t'));
});

test('variables: section values are taken literally', async () => {
  const t = await load(
    lines('name: t', 'variables: { greeting: "hi {{ .Name }}" }', 'source: { iso: { url: x.iso, checksum: none } }', 'ssh: { username: u }'),
  );
  assert.is(t.variables.greeting, 'hi {{ .Name }}');
});

test('content starting with { is read as JSON whatever the extension', async () => {
  const t = await load('{"name": "j", "source": {"iso": {"url": "x.iso", "checksum": "none"}}, "ssh": "none"}', { name: 'template.txt' });
  assert.is(t.name, 'j');
});

const unreadable: [string, string, RegExp][] = [
  ['a YAML syntax error', 'name: t\nsource: [\n', /kiln\.yaml:3:1: YAML syntax error: /],
  ['a duplicate key', 'name: t\nname: u\n', /kiln\.yaml:2:1: YAML syntax error: Map keys must be unique/],
  ['a JSON syntax error', '{\n  "name": "t",,\n}', /kiln\.yaml:2:15: JSON syntax error: /],
];
for (const [what, text, message] of unreadable) {
  test(`${what} is KilnError E_TEMPLATE with file:line:col`, async () => {
    const error = await kilnRejection(load(text));
    assert.is(error.code, 'E_TEMPLATE');
    assert.match(error.message, message);
    assert.ok(error.hint);
  });
}

test('a missing template or var file is KilnError E_TEMPLATE', async () => {
  const dir = await scratch({ 'kiln.yaml': MINIMAL });
  for (const attempt of [
    () => loadTemplate(join(dir, 'nope.yaml')),
    () => loadTemplate(join(dir, 'kiln.yaml'), { varFiles: [join(dir, 'vars.yaml')] }),
  ]) {
    const error = await kilnRejection(attempt());
    assert.is(error.code, 'E_TEMPLATE');
    assert.match(error.message, /no such file/);
  }
});

test.run();
