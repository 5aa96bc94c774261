// The template's proxy key (proxy: { upstream } or none), and {{ .HTTPProxy }}: rendered
// with the guest's view of the build's proxy, left as written in stage-cache keys.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { placeholderValues, type BuildContext } from '../../lib/builder/context.js';
import { stable } from '../../lib/cache/stage-inputs.js';
import { resolveProxySettings } from '../../lib/source/proxy-settings.js';
import { renderPlaceholders } from '../../lib/template/render.js';
import { issuesOf, lines, load, removeScratch } from '../template/scratch.js';

test.after(removeScratch);

const base = (...extra: string[]) =>
  lines('name: p', 'source:', '  iso: { url: "http://127.0.0.1:8000/x.iso", checksum: none }', 'ssh: { username: kiln, password: kiln }', ...extra);

test('proxy: absent, { upstream }, none', async () => {
  assert.is((await load(base())).proxy, undefined);
  assert.equal((await load(base('proxy: { upstream: "http://u:p@squid.lan:3128" }'))).proxy, { upstream: 'http://u:p@squid.lan:3128' });
  assert.is((await load(base('proxy: none'))).proxy, null);
});

test('a bad proxy key: schema and URL problems, the password masked', async () => {
  const bad = await issuesOf(base('proxy: { upstream: "socks5://u:hunter22@p:1" }'));
  assert.equal(bad.map((i) => i.path), ['proxy.upstream']);
  assert.match(bad[0]!.message, 'socks5://***:***@p:1 is not a proxy URL');
  assert.not.match(bad[0]!.message, 'hunter22');
  assert.ok((await issuesOf(base('proxy: { host: x }'))).some((i) => i.path.startsWith('proxy')));
  assert.ok((await issuesOf(base('proxy: direct'))).some((i) => i.path === 'proxy'));
});

test('{{ .HTTPProxy }}: the build proxy as the guest reaches it, or empty', async () => {
  const t = await load(base());
  const ctx = (flag?: string) =>
    ({ template: t, outputDir: '/out', options: { ...(flag ? { proxy: resolveProxySettings({ flag, env: {} }) } : {}) } }) as unknown as BuildContext;
  const text = 'd-i mirror/http/proxy string {{ .HTTPProxy }}';
  assert.is(renderPlaceholders(text, placeholderValues(ctx('http://127.0.0.1:3128'))), 'd-i mirror/http/proxy string http://10.0.2.2:3128');
  assert.is(renderPlaceholders(text, placeholderValues(ctx('http://squid.lan:3128'))), 'd-i mirror/http/proxy string http://squid.lan:3128');
  assert.is(renderPlaceholders(text, placeholderValues(ctx())), 'd-i mirror/http/proxy string ');
  // Like {{ .HTTPPort }}, it is no part of what the stage cache keys on.
  assert.is(stable(t, text), text);
});

test.run();
