// A template's plugins: loaded from a path or an npm package beside the template, their
// kinds validated by their own schemas at file:line:col, and every way a plugin can be
// wrong reported at its entry in the plugins list.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { stageDefinitions } from '../../lib/cache/stage-inputs.js';
import type { PluginStep } from '../../lib/template/types.js';
import { REPO } from '../helpers/run-kiln.js';
import { issuesOf, lines, load, MINIMAL, removeScratch, scratch } from '../template/scratch.js';
import { loadTemplate } from '../../lib/template/load.js';

test.after(removeScratch);

const fixture = (name: string) => readFileSync(join(REPO, 'test/fixtures/plugins', name), 'utf8');
const PLUGINS = {
  'plugins/guest-file.mjs': fixture('guest-file.mjs'),
  'plugins/no-kinds.mjs': fixture('no-kinds.mjs'),
  'plugins/clashing.mjs': fixture('clashing.mjs'),
  'plugins/cached-inputs.mjs': fixture('cached-inputs.mjs'),
};
const HOST_ONLY = "export const kinds = [{ name: 'host-only', stage: 'provision', schema: { type: 'object' }, cache: false, async run() {} }];\n";
const withPlugins = (list: string[], ...rest: string[]) => lines(MINIMAL.trimEnd(), `plugins: [${list.join(', ')}]`, ...rest);

test('a plugin kind becomes a provision and a post_process item, its options kept as written', async () => {
  const t = await load(
    withPlugins(['./plugins/guest-file.mjs'], 'provision:', '  - guest-file: { path: /etc/motd, content: hello }', 'post_process:', '  - artifact-list: {}'),
    { files: PLUGINS },
  );
  const step = t.provision[0] as PluginStep;
  assert.equal({ ...step, module: step.module.endsWith('/plugins/guest-file.mjs') }, {
    type: 'plugin',
    kind: 'guest-file',
    module: true,
    options: { path: '/etc/motd', content: 'hello' },
    cache: { files: [step.module], values: null },
  });
  assert.equal(t.post_process[0], { type: 'plugin', kind: 'artifact-list', module: step.module, options: {}, cache: false });
});

test('an npm package resolves from the template folder\'s node_modules', async () => {
  const t = await load(withPlugins(['kiln-plugin-demo'], 'provision:', '  - guest-file: { path: /x, content: y }'), {
    files: {
      'node_modules/kiln-plugin-demo/package.json': JSON.stringify({ name: 'kiln-plugin-demo', type: 'module', main: 'index.mjs' }),
      'node_modules/kiln-plugin-demo/index.mjs': fixture('guest-file.mjs'),
    },
  });
  assert.match((t.provision[0] as PluginStep).module, /node_modules\/kiln-plugin-demo\/index\.mjs$/);
});

// [label, template text, [line, column, message] of each issue]
const cases: [string, string, [number, number, RegExp][]][] = [
  [
    'the kind\'s schema checks its options, at their positions',
    withPlugins(['./plugins/guest-file.mjs'], 'provision:', '  - guest-file: { path: etc/motd, mode: 1000, extra: 1 }'),
    [
      [10, 5, /missing required key "content": add the text to write/],
      [10, 25, /"etc\/motd" is not valid here: expected an absolute path in the guest/],
      [10, 41, /1000 is out of range: must be at most 511/],
      [10, 47, /unknown key "extra": remove it \(known keys here: path, content, mode\)/],
    ],
  ],
  [
    'a plugin that is not there, by path and by package name',
    withPlugins(['./plugins/gone.mjs', 'kiln-plugin-gone']),
    [
      [8, 11, /plugin "\.\/plugins\/gone\.mjs": .*plugins\/gone\.mjs does not exist: give a path relative to the template/],
      [8, 31, /plugin "kiln-plugin-gone": not found from .*: install it there \(npm install kiln-plugin-gone\)/],
    ],
  ],
  ['a module that exports no kinds', withPlugins(['./plugins/no-kinds.mjs']), [[8, 11, /plugin "\.\/plugins\/no-kinds\.mjs": exports no kinds: export `kinds`/]]],
  [
    'a kind named like kiln\'s own, and a kind without run',
    withPlugins(['./plugins/clashing.mjs']),
    [
      [8, 11, /its provisioner "shell" clashes with kiln's own provisioner: rename it in the plugin/],
      [8, 11, /kinds\[1\] "half-done" has no run function/],
    ],
  ],
  [
    'the same kind from two plugins',
    withPlugins(['./plugins/guest-file.mjs', './plugins/copy.mjs']),
    [
      [8, 37, /plugin "\.\/plugins\/copy\.mjs": its provisioner "guest-file" clashes with the one plugin "\.\/plugins\/guest-file\.mjs" gives/],
      [8, 37, /plugin "\.\/plugins\/copy\.mjs": its post-processor "artifact-list" clashes with/],
    ],
  ],
  [
    'a plugin kind used without its plugin is an unknown kind',
    lines(MINIMAL.trimEnd(), 'provision:', '  - guest-file: { path: /x, content: y }'),
    [[9, 5, /unknown key "guest-file": remove it \(known keys here: shell, file,/]],
  ],
];
for (const [label, text, want] of cases) {
  test(`plugins: ${label}`, async () => {
    const issues = await issuesOf(text, { files: { ...PLUGINS, 'plugins/copy.mjs': fixture('guest-file.mjs') } });
    const got = issues.map((i) => `${i.line}:${i.column} ${i.message}`);
    assert.is(issues.length, want.length, got.join('\n'));
    for (const [line, column, message] of want) {
      assert.ok(issues.some((i) => i.line === line && i.column === column && message.test(i.message)), `no ${line}:${column} ${message}; got:\n${got.join('\n')}`);
    }
  });
}

test('cache: a kind\'s declared files and its options are in the stage key; an uncacheable kind makes later stages always run', async () => {
  const dir = await scratch({ ...PLUGINS, 'images/base.qcow2': '', 'data.txt': 'one' });
  const write = async (options: string, files: Record<string, string> = {}) => {
    const { writeFile } = await import('node:fs/promises');
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    await writeFile(join(dir, 'kiln.yaml'), withPlugins(['./plugins/cached-inputs.mjs', './plugins/guest-file.mjs'], 'provision:', `  - from-file: ${options}`, '  - shell: { inline: ["true"] }'));
    const stages = await stageDefinitions(await loadTemplate(join(dir, 'kiln.yaml')), 'sha256:source');
    return stages[1]!;
  };
  const first = await write('{ source: data.txt }');
  assert.ok(first.cacheable);
  assert.ok(Object.keys(first.inputs).some((k) => k.endsWith('data.txt')), Object.keys(first.inputs).join(', '));
  assert.ok(Object.keys(first.inputs).some((k) => k.endsWith('cached-inputs.mjs')), 'the plugin module is an input');
  const edited = await write('{ source: data.txt }', { 'data.txt': 'two' });
  assert.is.not(edited.inputs[Object.keys(edited.inputs).find((k) => k.endsWith('data.txt'))!], first.inputs[Object.keys(first.inputs).find((k) => k.endsWith('data.txt'))!]);
  assert.equal(edited.inputs.options, first.inputs.options);
  const { writeFile } = await import('node:fs/promises');
  await writeFile(join(dir, 'plugins/host-only.mjs'), HOST_ONLY);
  await writeFile(join(dir, 'kiln.yaml'), withPlugins(['./plugins/host-only.mjs'], 'provision:', '  - shell: { inline: ["true"] }', '  - host-only: {}', '  - shell: { inline: ["true"] }'));
  const stages = await stageDefinitions(await loadTemplate(join(dir, 'kiln.yaml')), 'sha256:s');
  assert.equal(stages.map((s) => [s.label, s.cacheable]), [['install', true], ['provision[0]', true], ['provision[1]', false], ['provision[2]', false], ['shutdown', false]]);
});

test.run();
