// Locals: dependency order across files and block forms, cycles with their chain,
// unknown references with did-you-mean, sensitive local blocks, data sources kiln lacks.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { issueMatching, issuesOf, loadFiles, NULL_BUILD, removeScratch } from './load.js';

/** A template whose null source shows `local.<name>` for each name, so the test can read the values. */
function showing(names: string[]): string {
  const settings = names.map((name) => `  ${name} = local.${name}`).join('\n');
  return `source "null" "x" {\n${settings}\n}\nbuild {\n  sources = ["source.null.x"]\n}\n`;
}

test('locals are evaluated in dependency order, wherever they are written', async () => {
  const template = await loadFiles({
    'a.pkr.hcl': 'locals {\n  box = "${local.name}-${var.arch}.box"\n}\n',
    'b.pkr.hcl': 'variable "arch" {\n  default = "amd64"\n}\nlocal "name" {\n  expression = upper(local.os)\n}\nlocals {\n  os = "debian"\n  parts = split("-", local.box)\n}\n',
    'c.pkr.hcl': showing(['box', 'parts']),
  });
  const settings = template.builds[0]!.source.settings;
  assert.equal([settings.box?.value, settings.parts?.value], ['DEBIAN-amd64.box', ['DEBIAN', 'amd64.box']]);
});

test('try() on a data source kiln does not run falls back; a bare use is an error at the reference', async () => {
  const data = 'data "host-info" "this" {}\nlocals {\n  os = try(data.host-info.this.os_type, "unknown")\n  ok = can(data.host-info.this.os_type)\n}\n';
  const template = await loadFiles({ 'main.pkr.hcl': data + showing(['os', 'ok']) });
  const settings = template.builds[0]!.source.settings;
  assert.equal([settings.os?.value, settings.ok?.value], ['unknown', false]);

  const issues = await issuesOf({ 'main.pkr.hcl': 'data "host-info" "this" {}\nlocals {\n  os = data.host-info.this.os_type\n}\n' + NULL_BUILD });
  const issue = issueMatching(issues, /^data source host-info is not supported by kiln$/);
  assert.equal([issue.line, issue.column, issue.path], [3, 8, 'local.os']);
});

test('a sensitive local block is masked like a sensitive variable', async () => {
  const template = await loadFiles({ 'main.pkr.hcl': 'local "token" {\n  expression = "s3cr3t-${1 + 1}"\n  sensitive  = true\n}\n' + showing(['token']) });
  assert.equal(template.builds[0]!.sensitive, ['s3cr3t-2']);
});

interface ErrorCase {
  name: string;
  files: Record<string, string>;
  message: RegExp;
  at: [number, number];
  /** How many issues in all: a failed local does not make its users fail again. */
  count?: number;
}

const errors: ErrorCase[] = [
  {
    name: 'a cycle, with its chain',
    files: { 'main.pkr.hcl': 'locals {\n  a = local.b\n  b = "${local.c}-x"\n  c = local.a\n  d = local.a\n}\n' + NULL_BUILD },
    message: /^local "a" depends on itself: local\.a -> local\.b -> local\.c -> local\.a$/,
    at: [2, 3],
    count: 1,
  },
  {
    name: 'an unknown local, with did-you-mean',
    files: { 'main.pkr.hcl': 'locals {\n  vm_name = "x"\n  box = "${local.vm_nme}.box"\n}\n' + NULL_BUILD },
    message: /^unknown local "local\.vm_nme": did you mean "local\.vm_name"\?$/,
    at: [3, 12],
  },
  {
    name: 'an unknown variable, with did-you-mean',
    files: { 'main.pkr.hcl': 'variable "os_name" {\n  default = "debian"\n}\nlocals {\n  x = var.os_nme\n}\n' + NULL_BUILD },
    message: /^unknown variable "var\.os_nme": did you mean "var\.os_name"\?$/,
    at: [5, 7],
  },
  {
    name: 'a failing local, whose users say nothing more',
    files: { 'main.pkr.hcl': 'locals {\n  a = 1 + "x"\n  b = local.a\n  c = [local.b]\n}\n' + showing(['c']) },
    message: /./,
    at: [2, 11],
    count: 1,
  },
  {
    name: 'a local defined twice',
    files: { 'a.pkr.hcl': 'locals {\n  a = 1\n}\n' + NULL_BUILD, 'b.pkr.hcl': 'local "a" {\n  expression = 2\n}\n' },
    message: /^local "a" is defined twice \(first at .*a\.pkr\.hcl:2:3\)$/,
    at: [1, 1],
  },
  {
    name: 'source.name outside a build block',
    files: { 'main.pkr.hcl': 'locals {\n  a = source.name\n}\n' + NULL_BUILD },
    message: /^source\.name and source\.type can only be used inside a build block$/,
    at: [2, 7],
  },
  {
    name: 'a path attribute that does not exist',
    files: { 'main.pkr.hcl': 'locals {\n  a = path.rot\n}\n' + NULL_BUILD },
    message: /^"path\.rot" does not exist: path has path\.root and path\.cwd: did you mean "path\.root"\?$/,
    at: [2, 7],
  },
];

for (const c of errors) {
  test(`error: ${c.name}`, async () => {
    const issues = await issuesOf(c.files);
    const issue = issueMatching(issues, c.message);
    assert.equal([issue.line, issue.column], c.at);
    if (c.count !== undefined) assert.equal(issues.length, c.count, JSON.stringify(issues));
  });
}

test('path.root is the template folder and path.cwd the working directory', async () => {
  const template = await loadFiles({ 'main.pkr.hcl': 'locals {\n  root = path.root\n  cwd = path.cwd\n}\n' + showing(['root', 'cwd']) });
  const settings = template.builds[0]!.source.settings;
  assert.equal([settings.root?.value, settings.cwd?.value], [template.dir, process.cwd()]);
});

test.after.each(removeScratch);
test.run();
