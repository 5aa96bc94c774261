// Names like Object.prototype's members (constructor, toString, valueOf, __proto__) are
// ordinary names wherever a user picks them: variables, --var, var files, keys.
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCommandArgs } from '../../lib/cli/args.js';
import { cimOsType } from '../../lib/export/ovf.js';
import { parseBootCommand } from '../../lib/keyboard/parse.js';
import { lintKickstart } from '../../lib/lint/kickstart.js';
import { lintUserData } from '../../lib/lint/user-data.js';
import { schemaAt } from '../../lib/template/schema.js';
import { issuesOf, lines, load, removeScratch, scratch } from './scratch.js';

test.after(removeScratch);

const NAMES = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'];

const template = (name: string, declare: boolean) =>
  lines(
    'name: t',
    ...(declare ? [`variables: { ${name}: declared }`] : []),
    'source: { iso: { url: x.iso, checksum: none } }',
    'ssh: none',
    `http: { content: { /v: "[{{ var \`${name}\` }}]" } }`,
  );

for (const name of NAMES) {
  test(`an undeclared variable "${name}" is reported, not taken from Object.prototype`, async () => {
    const issues = await issuesOf(template(name, false));
    assert.is(issues.length, 1);
    assert.match(issues[0]!.message, `variable "${name}" is not declared`);
    assert.is(issues[0]!.line, 4);
  });

  test(`a declared variable "${name}" takes its default, a var file's or --var's value`, async () => {
    assert.is((await load(template(name, true))).http.content['/v'], '[declared]');
    const dir = await scratch({ 'vars.json': JSON.stringify({ [name]: 'from-file' }) });
    assert.is((await load(template(name, true), { varFiles: [join(dir, 'vars.json')] })).http.content['/v'], '[from-file]');
    const vars = parseCommandArgs('validate', ['--var', `${name}=from-cli`, 'kiln.yaml']).vars;
    assert.ok(Object.hasOwn(vars, name));
    assert.is((await load(template(name, true), { vars })).http.content['/v'], '[from-cli]');
  });

  test(`--var ${name}=x for an undeclared variable is an issue`, async () => {
    const vars = parseCommandArgs('validate', ['--var', `${name}=x`, 'kiln.yaml']).vars;
    const issues = await issuesOf(template('other', true).replace('other', 'declared-one'), { vars });
    assert.ok(issues.some((i) => i.message.includes(`--var ${name} is not declared`)));
  });
}

test('boot command: <constructor x> is text, <toString> an unknown key, never an internal error', () => {
  assert.is(parseBootCommand('<constructor x>').length, 15);
  assert.throws(() => parseBootCommand('<toString>'), /unknown special key <toString>/);
  assert.throws(() => parseBootCommand('<valueOf>'), /unknown special key <valueOf>/);
});

test('answer-file lint: kickstart commands and autoinstall keys named like prototype members are unknown', () => {
  const ks = lintKickstart('constructor --x\ntoString\n%constructor\n').problems.map((p) => p.message);
  assert.equal(ks, ['unknown kickstart command "constructor"', 'unknown kickstart command "toString"', 'unknown section %constructor']);
  const ud = lintUserData('#cloud-config\nautoinstall:\n  version: 1\n  constructor: 1\n').problems.map((p) => p.message);
  assert.ok(ud.includes('unknown autoinstall key "constructor" (the installer ignores it)'), ud.join('\n'));
});

test('schema and OVF look-ups: a key "constructor" has no schema, an os_type "toString" no CIM number', () => {
  assert.is(schemaAt(['machine', 'constructor']), undefined);
  assert.is(cimOsType('toString'), 1);
  assert.is(cimOsType('constructor_64'), 102);
});

test.run();
