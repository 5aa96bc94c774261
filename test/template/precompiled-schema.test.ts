// The build-time validator (generate-validator.ts) against one compiled at run time: the
// same findings for every template, a digest that matches the current schema, and a
// compile at run time whenever the digest does not.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkSchema, schemaFindings } from '../../lib/template/check-schema.js';
import { writePrecompiled } from '../../lib/template/generate-validator.js';
import { templateSchema } from '../../lib/template/schema.js';
import type { SchemaNode } from '../../lib/template/schema-nodes.js';
import { compileSchema, loadPrecompiled, schemaDigest, validatorFor, type Precompiled } from '../../lib/template/schema-validator.js';

const base = { name: 't', source: { iso: { url: 'x.iso', checksum: 'none' } }, ssh: { username: 'u' } };
const shell = (options: Record<string, unknown>) => ({ ...base, provision: [{ shell: { inline: ['true'] } }, { shell: { inline: ['true'], ...options } }] });

interface Case {
  name: string;
  data: unknown;
  /** One finding's message matches each; none for a valid template. */
  messages: RegExp[];
}

const cases: Case[] = [
  { name: 'minimal template', data: base, messages: [] },
  {
    name: 'every section, valid',
    data: {
      ...base,
      hypervisor: 'qemu',
      variables: { pw: { default: 'x', sensitive: true }, n: 2 },
      matrix: { firmware: ['bios', 'efi'] },
      machine: { cpus: 2, memory: '2G', firmware: 'efi', qemu: { cpu_model: 'host', cpu_level: 'x86-64-v3' } },
      boot: { wait: '5s', command: ['<enter>'] },
      proxy: 'cache',
      provision: [{ shell: { inline: ['true'], sudo: true } }, { file: { source: 'a', destination: '/tmp/a' } }],
      post_process: [{ checksum: { types: ['sha256'] } }],
      output: { formats: ['qcow2'] },
    },
    messages: [],
  },
  { name: 'unknown top-level key, with a suggestion', data: { ...base, machne: { cpus: 2 } }, messages: [/^unknown key "machne": did you mean "machine"\?$/] },
  { name: 'unknown nested key, nothing close', data: { ...base, boot: { zzzzzz: 1 } }, messages: [/^unknown key "zzzzzz": remove it \(known keys here: wait, key_interval, command\)$/] },
  { name: 'unknown key in a variable', data: { ...base, variables: { pw: { defualt: 'x' } } }, messages: [/did you mean "default"\?/] },
  { name: 'wrong type: string for a number', data: { ...base, machine: { cpus: 'two' } }, messages: [/^expected a number of CPUs, got "two"$/] },
  { name: 'wrong type with quote hint', data: { ...base, ssh: { username: 'u', password: 1234 } }, messages: [/\(quote it: "1234"\)/] },
  { name: 'wrong type hides the enum', data: { ...base, hypervisor: 3 }, messages: [/got 3/] },
  { name: 'enum violation with a suggestion', data: { ...base, hypervisor: 'qemuu' }, messages: [/^"qemuu" is not one of qemu, virtualbox: did you mean "qemu"\?$/] },
  { name: 'pattern', data: { ...base, name: 'Debian 12' }, messages: [/is not valid here: expected a lowercase name/] },
  { name: 'out of range', data: { ...base, ssh: { username: 'u', port: 70000 } }, messages: [/70000 is out of range: must be at most 65535/] },
  { name: 'empty list', data: { ...base, output: { formats: [] } }, messages: [/^must not be empty/] },
  { name: 'an x86-64 level kiln does not know', data: { ...base, machine: { qemu: { cpu_level: 'x86-64-v4' } } }, messages: [/^"x86-64-v4" is not one of x86-64, x86-64-v2, x86-64-v3/] },
  { name: 'missing required keys', data: { name: 't' }, messages: [/^missing required key "source"/, /^missing required key "ssh"/] },
  { name: 'missing nested required key', data: { ...base, ssh: { password: 'p' } }, messages: [/^missing required key "username"/] },
  { name: 'two sources', data: { ...base, source: { iso: { url: 'x', checksum: 'none' }, disk: { url: 'y', checksum: 'none' } } }, messages: [/found iso and disk/] },
  { name: 'nested provisioner: unknown key', data: shell({ sudoo: true }), messages: [/^unknown key "sudoo": did you mean "sudo"\?$/] },
  { name: 'nested provisioner: wrong type', data: shell({ inline: 'true' }), messages: [/got "true"/] },
  { name: 'provisioner of no known kind', data: { ...base, provision: [{ shel: { inline: ['x'] } }] }, messages: [/shel/] },
  {
    name: 'many problems at once',
    data: { name: 'X', source: { iso: {} }, machine: { cpus: 0, firmware: 'uefi' }, post_process: [{ compress: { format: 'zip' } }] },
    messages: [/missing required key "ssh"/, /missing required key "checksum"/, /at least 1/, /"uefi" is not one of/, /"zip" is not one of/],
  },
];

async function generated(): Promise<Precompiled> {
  const precompiled = await loadPrecompiled();
  if (!precompiled) throw new Error('dist/lib/template/precompiled-schema.js is missing: run npm run build');
  return precompiled;
}

test('the generated module was generated from the current schema', async () => {
  assert.is((await generated()).schemaDigest, schemaDigest(templateSchema), 'dist is stale: run npm run build');
});

const compiled = compileSchema(templateSchema);
for (const c of cases) {
  test(`precompiled and compiled agree: ${c.name}`, async () => {
    const precompiled = schemaFindings((await generated()).validate, c.data);
    assert.equal(precompiled, schemaFindings(compiled, c.data));
    assert.equal(checkSchema(c.data), precompiled);
    assert.is(precompiled.length === 0, c.messages.length === 0, JSON.stringify(precompiled));
    for (const message of c.messages) assert.ok(precompiled.some((f) => message.test(f.message)), `no finding matches ${message}: ${JSON.stringify(precompiled)}`);
  });
}

test('a digest of another schema falls back to compiling at run time', () => {
  const stale: Precompiled = { schemaDigest: schemaDigest({ ...templateSchema, description: 'an older schema' }), validate: compiled };
  const validate = validatorFor(templateSchema, stale);
  assert.is.not(validate, compiled);
  assert.equal(schemaFindings(validate, { ...base, machne: {} }), schemaFindings(compiled, { ...base, machne: {} }));
  assert.is(validatorFor(templateSchema, { ...stale, schemaDigest: schemaDigest(templateSchema) }), compiled);
  assert.is.not(validatorFor(templateSchema, undefined), compiled);
});

test('no generated module (dist built by plain tsc) loads as none', async () => {
  assert.is(await loadPrecompiled(new URL('./no-such-precompiled-schema.js', import.meta.url)), undefined);
});

test('kiln validate with the generated module never loads ajv', () => {
  const script = `
    import { createRequire } from 'node:module';
    const { checkSchema } = await import(${JSON.stringify(new URL('../../lib/template/check-schema.js', import.meta.url).href)});
    const findings = checkSchema({ name: 't' });
    const loaded = Object.keys(createRequire(import.meta.url).cache).some((p) => p.includes('/node_modules/ajv/'));
    console.log(JSON.stringify({ findings: findings.length, loaded }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(JSON.parse(out), { findings: 2, loaded: false });
});

test('a generated module whose schema needs ajv runtime helpers loads as ESM', async () => {
  const schema: SchemaNode = {
    type: 'object',
    properties: { tags: { type: 'array', uniqueItems: true, items: { type: 'string', minLength: 2 } } },
    additionalProperties: false,
  } as SchemaNode;
  const url = new URL(`./precompiled-helpers-${process.pid}.js`, import.meta.url);
  try {
    writePrecompiled(schema, url);
    const precompiled = await loadPrecompiled(url);
    assert.ok(precompiled);
    assert.is(precompiled.schemaDigest, schemaDigest(schema));
    const data = { tags: ['a', 'bb', 'bb'] };
    assert.equal(schemaFindings(precompiled.validate, data), schemaFindings(compileSchema(schema), data));
    assert.is(schemaFindings(precompiled.validate, data).length, 2);
  } finally {
    rmSync(fileURLToPath(url), { force: true });
  }
});

test.run();
