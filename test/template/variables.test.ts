import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { declarationsFrom, resolveVariables, sensitiveValues } from '../../lib/template/variables.js';

test('declarations: mappings, plain defaults and empty (required) variables', () => {
  const declared = declarationsFrom({
    password: { default: 'vagrant', sensitive: true },
    token: { sensitive: true },
    cpus: 2,
    efi: false,
    mirror: 'deb.debian.org',
    iso: null,
  });
  assert.equal(Object.fromEntries(declared), {
    password: { default: 'vagrant', sensitive: true },
    token: { sensitive: true },
    cpus: { default: '2', sensitive: false },
    efi: { default: 'false', sensitive: false },
    mirror: { default: 'deb.debian.org', sensitive: false },
    iso: { sensitive: false },
  });
  assert.equal(declarationsFrom(undefined).size, 0);
  assert.equal(declarationsFrom(['not', 'a', 'mapping']).size, 0);
});

test('resolution: --var over var files (later first) over defaults', () => {
  const declared = declarationsFrom({ a: 'd', b: 'd', c: 'd', d: 'd', e: null, token: { sensitive: true } });
  const resolved = resolveVariables(declared, { c: 'cli', token: 's3cret' }, [
    { file: 'one.yaml', values: { a: 'one', b: 'one', c: 'one' } },
    { file: 'two.yaml', values: { b: 'two' } },
  ]);
  assert.equal(resolved.values, { a: 'one', b: 'two', c: 'cli', d: 'd', token: 's3cret' });
  assert.equal(resolved.sensitive, ['token']);
  assert.equal(resolved.issues, []);
});

test('sensitiveValues lists the values to mask, skipping empty ones', () => {
  assert.equal(sensitiveValues({ password: 'vagrant', token: '', user: 'bob', key: 'k3y' }, ['password', 'token', 'key', 'unset']), ['vagrant', 'k3y']);
});

test.run();
