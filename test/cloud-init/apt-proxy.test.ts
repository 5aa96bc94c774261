// With proxy: cache kiln adds apt's proxy to the cloud-config it gives the guest, unless
// the template already names one; other forms of user_data are left as written.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { withBuildDefaults } from '../../lib/cloud-init/build-defaults.js';
import { renderSeed } from '../../lib/cloud-init/seed.js';
import type { BuildUser, UserDataSpec } from '../../lib/cloud-init/types.js';

const USER: BuildUser = { username: 'kiln', password: 'x' };
const PROXY = 'http://10.0.2.2:3142';
const extras = { aptProxy: PROXY };

const configs: [string, UserDataSpec, unknown][] = [
  ['keys without apt', { packages: ['hello'] }, { proxy: PROXY }],
  ['apt with other settings', { apt: { preserve_sources_list: true } }, { preserve_sources_list: true, proxy: PROXY }],
  ["the template's own apt proxy", { apt: { proxy: 'http://squid.lan:3128' } }, { proxy: 'http://squid.lan:3128' }],
  ["the template's apt http_proxy", { apt: { http_proxy: 'http://squid.lan:3128' } }, { http_proxy: 'http://squid.lan:3128' }],
];
for (const [name, spec, apt] of configs) {
  test(`cloud-config keys, ${name}`, () => {
    const out = withBuildDefaults(spec, USER, extras) as Record<string, unknown>;
    assert.equal(out.apt, apt);
  });
}

test('cloud-config text keeps its comments and gets apt: proxy', () => {
  const out = withBuildDefaults('#cloud-config\n# mine\npackages: [hello]\n', USER, extras) as string;
  assert.match(out, '# mine');
  assert.equal((parse(out) as { apt: unknown }).apt, { proxy: PROXY });
});

test('a script becomes a multi-part whose cloud-config has the proxy', () => {
  const out = withBuildDefaults('#!/bin/sh\napt-get install -y hello\n', USER, extras) as { cloud_config: { apt?: unknown } }[];
  assert.equal(out[0]!.cloud_config.apt, { proxy: PROXY });
});

test('without proxy: cache nothing is added for apt', () => {
  const out = withBuildDefaults({ packages: ['hello'] }, USER) as Record<string, unknown>;
  assert.is(out.apt, undefined);
});

test('the seed carries it in user-data', () => {
  const seed = renderSeed({ spec: { user_data: {}, meta_data: {}, via: ['cdrom'] }, user: USER, aptProxy: PROXY, instanceId: 'i', hostname: 'h' });
  assert.equal((parse(seed.userData) as { apt: unknown }).apt, { proxy: PROXY });
});

test.run();
