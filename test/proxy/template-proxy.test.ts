// The template's proxy key (proxy: { upstream, cache }, cache or none), {{ .HTTPProxy }}
// and {{ .ProxyURL }}: rendered with the guest's view of the build's proxy and package
// cache, left as written in stage-cache keys.
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

test('proxy: absent, { upstream }, none, cache, { upstream, cache }', async () => {
  assert.is((await load(base())).proxy, undefined);
  assert.equal((await load(base('proxy: { upstream: "http://u:p@squid.lan:3128" }'))).proxy, { upstream: 'http://u:p@squid.lan:3128', cache: false });
  assert.is((await load(base('proxy: none'))).proxy, null);
  assert.equal((await load(base('proxy: cache'))).proxy, { cache: true });
  assert.equal((await load(base('proxy: { upstream: "http://squid.lan:3128", cache: true }'))).proxy, { upstream: 'http://squid.lan:3128', cache: true });
});

const badValues: [string, string, RegExp][] = [
  ['proxy: cached', 'proxy', /cache, none, or a mapping/],
  ['proxy: {}', 'proxy', /./],
  ['proxy: { cache: yes please }', 'proxy.cache', /./],
  ['proxy: { cache: true, mirror: x }', 'proxy.mirror', /unknown key "mirror".*upstream, cache/],
];
for (const [line, path, message] of badValues) {
  test(`${line}: one problem at ${path}, on line 5`, async () => {
    const issues = await issuesOf(base(line));
    assert.equal(issues.map((i) => i.path), [path], JSON.stringify(issues));
    assert.match(issues[0]!.message, message);
    assert.is(issues[0]!.line, 5);
  });
}

test('with proxy: cache the build starts the package cache before the http server renders anything', async () => {
  const { stepsFor } = await import('../../lib/builder/step-lists.js');
  const { driverFor } = await import('../../lib/hypervisor/drivers.js');
  const names = (extra: string[]) =>
    load(base(...extra, 'http: { content: { "/a": "{{ .ProxyURL }}" } }')).then((t) =>
      stepsFor(t, { force: false, onError: 'cleanup', cacheDir: '/c', kilnVersion: '0', templateSha256: '' }, driverFor(t.hypervisor)).map((s) => s.name),
    );
  const cached = await names(['proxy: cache']);
  assert.ok(cached.indexOf('package-cache') >= 0 && cached.indexOf('package-cache') < cached.indexOf('http-server'), cached.join(' '));
  assert.not.ok((await names([])).includes('package-cache'));
  assert.not.ok((await names(['proxy: { upstream: "http://squid.lan:3128" }'])).includes('package-cache'));
});

test('{{ .ProxyURL }}: the package cache at 10.0.2.2 and its port, empty without one; no part of stage keys', async () => {
  const t = await load(base('proxy: cache'));
  const ctx = (port?: number) => ({ template: t, outputDir: '/out', options: {}, ...(port ? { packageCache: { port } } : {}) }) as unknown as BuildContext;
  const text = 'Acquire::http::Proxy "{{ .ProxyURL }}";';
  assert.is(renderPlaceholders(text, placeholderValues(ctx(3142))), 'Acquire::http::Proxy "http://10.0.2.2:3142";');
  assert.is(renderPlaceholders(text, placeholderValues(ctx())), 'Acquire::http::Proxy "";');
  assert.is(stable(t, text), text);
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
