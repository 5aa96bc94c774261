// Which proxy a download uses: precedence (--proxy > template > environment), the
// environment's variables, loopback, NO_PROXY; proxy URLs; the guest's view; the log line.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  describeProxySettings,
  guestProxyUrl,
  parseProxyUrl,
  proxyFor,
  proxySecrets,
  resolveProxySettings,
  type ProxyInputs,
} from '../../lib/source/proxy-settings.js';
import { ProxyRoutes } from '../../lib/source/proxy-routes.js';
import { kilnThrown } from '../helpers/rejection.js';

const FLAG = 'http://flag:3128';
const TEMPLATE = { upstream: 'http://template:3128' };
const ENV = { HTTP_PROXY: 'http://env-http:3128', HTTPS_PROXY: 'http://env-https:3128' };

type Row = [string, Omit<ProxyInputs, 'env'> & { env?: ProxyInputs['env'] }, string, string | undefined];
// [what, inputs, URL, proxy it goes through]
const ROWS: Row[] = [
  ['nothing set: direct', {}, 'http://deb.debian.org/x.iso', undefined],
  ['--proxy over template and environment', { flag: FLAG, template: TEMPLATE, env: ENV }, 'https://deb.debian.org/x.iso', FLAG],
  ['template over environment', { template: TEMPLATE, env: ENV }, 'https://deb.debian.org/x.iso', TEMPLATE.upstream],
  ['--proxy none over template and environment', { flag: 'none', template: TEMPLATE, env: ENV }, 'http://deb.debian.org/', undefined],
  ['template proxy: none over environment', { template: null, env: ENV }, 'http://deb.debian.org/', undefined],
  ['--proxy over template proxy: none', { flag: FLAG, template: null }, 'http://deb.debian.org/', FLAG],
  ['environment: HTTP_PROXY for http://', { env: ENV }, 'http://deb.debian.org/', 'http://env-http:3128'],
  ['environment: HTTPS_PROXY for https://', { env: ENV }, 'https://deb.debian.org/', 'http://env-https:3128'],
  ['environment: no HTTPS_PROXY, https:// goes direct (curl, Go)', { env: { HTTP_PROXY: 'http://p:1' } }, 'https://deb.debian.org/', undefined],
  ['environment: lower case first', { env: { http_proxy: 'http://lower:1', HTTP_PROXY: 'http://upper:1' } }, 'http://deb.debian.org/', 'http://lower:1'],
  ['environment: an empty lower-case variable is unset', { env: { http_proxy: '', HTTP_PROXY: 'http://upper:1' } }, 'http://deb.debian.org/', 'http://upper:1'],
  ['environment: a bare host:port is http://', { env: { https_proxy: 'squid.lan:3128' } }, 'https://deb.debian.org/', 'http://squid.lan:3128'],
  // loopback: not through an environment proxy, through a named one
  ['environment: loopback goes direct', { env: ENV }, 'http://127.0.0.1:8000/x.iso', undefined],
  ['environment: localhost goes direct', { env: ENV }, 'https://localhost/x.iso', undefined],
  ['environment: ::1 goes direct', { env: ENV }, 'http://[::1]:8000/x.iso', undefined],
  ['--proxy: loopback goes through it', { flag: FLAG }, 'http://127.0.0.1:8000/x.iso', FLAG],
  ['template: loopback goes through it', { template: TEMPLATE }, 'http://localhost:8000/x.iso', TEMPLATE.upstream],
  // NO_PROXY applies whatever named the proxy, as in curl
  ['NO_PROXY with --proxy', { flag: FLAG, env: { NO_PROXY: '.debian.org' } }, 'http://deb.debian.org/', undefined],
  ['NO_PROXY with the template', { template: TEMPLATE, env: { no_proxy: '127.0.0.1' } }, 'http://127.0.0.1:9/', undefined],
  ['NO_PROXY lower case first', { flag: FLAG, env: { no_proxy: 'other.org', NO_PROXY: 'deb.debian.org' } }, 'http://deb.debian.org/', FLAG],
  ['NO_PROXY not matching', { env: { ...ENV, NO_PROXY: 'example.com' } }, 'https://deb.debian.org/', 'http://env-https:3128'],
  ['NO_PROXY=*', { flag: FLAG, env: { NO_PROXY: '*' } }, 'https://deb.debian.org/', undefined],
  ['credentials are kept for the proxy', { flag: 'http://u:p%40ss@proxy:3128' }, 'http://deb.debian.org/', 'http://u:p%40ss@proxy:3128'],
];

test('precedence, environment, loopback and NO_PROXY', () => {
  for (const [what, inputs, url, expected] of ROWS) {
    const settings = resolveProxySettings({ env: {}, ...inputs });
    assert.is(proxyFor(settings, new URL(url)), expected, what);
  }
});

test('the setting that named the proxy', () => {
  const routes = new ProxyRoutes(resolveProxySettings({ env: { https_proxy: 'http://u:secret@p:1' } }));
  assert.equal(routes.routeFor('https://deb.debian.org/'), { proxy: 'http://u:secret@p:1', shown: 'http://***:***@p:1', name: 'https_proxy' });
  assert.is(routes.routeFor('http://deb.debian.org/'), undefined);
  assert.is(routes.via('https://deb.debian.org/'), ' through proxy http://***:***@p:1');
  assert.is(new ProxyRoutes(resolveProxySettings({ flag: FLAG, env: {} })).routeFor('http://x/')?.name, '--proxy');
  assert.is(new ProxyRoutes(resolveProxySettings({ template: TEMPLATE, env: {} })).routeFor('http://x/')?.name, 'proxy.upstream');
  void routes.close();
});

const URLS: [string, string | RegExp][] = [
  ['http://proxy:3128', 'http://proxy:3128'],
  ['http://proxy:3128/', 'http://proxy:3128'],
  ['https://proxy', 'https://proxy'],
  ['proxy.lan:3128', 'http://proxy.lan:3128'],
  ['  http://proxy:3128  ', 'http://proxy:3128'],
  ['http://user:pa%3Ass@proxy:3128', 'http://user:pa%3Ass@proxy:3128'],
  ['http://user@proxy:3128', 'http://user@proxy:3128'],
  ['http://[::1]:3128', 'http://[::1]:3128'],
  ['socks5://proxy:1080', /http:\/\/ and https:\/\/ proxies, not socks5:/],
  ['http://proxy:3128/path', /no path, query or fragment/],
  ['http://proxy:3128?x=1', /no path, query or fragment/],
  ['http://proxy:99999', /does not parse/],
  ['http://', /does not parse/],
];

test('proxy URLs', () => {
  for (const [text, expected] of URLS) {
    const check = parseProxyUrl(text);
    if (typeof expected === 'string') assert.equal(check, { ok: true, url: expected }, text);
    else assert.ok(!check.ok && expected.test(check.reason), `${text}: ${JSON.stringify(check)}`);
  }
});

test('a malformed proxy URL is E_USAGE naming its setting, the password masked', () => {
  const cases: [ProxyInputs, RegExp][] = [
    [{ flag: 'socks5://u:hunter22@p:1', env: {} }, /^--proxy is not a proxy URL: socks5:\/\/\*\*\*:\*\*\*@p:1: /],
    [{ env: { HTTPS_PROXY: 'u:hunter22@p:1/x' } }, /^HTTPS_PROXY is not a proxy URL: http:\/\/\*\*\*:\*\*\*@p:1\/x: /],
    [{ template: { upstream: 'ftp://p' }, env: {} }, /^proxy\.upstream is not a proxy URL/],
  ];
  for (const [inputs, message] of cases) {
    const error = kilnThrown(() => resolveProxySettings(inputs));
    assert.is(error.code, 'E_USAGE');
    assert.match(error.message, message);
    assert.not.match(error.message, /hunter22/);
  }
});

test('{{ .HTTPProxy }}: the proxy as the guest reaches it', () => {
  const guest = (inputs: Partial<ProxyInputs>) => guestProxyUrl(resolveProxySettings({ env: {}, ...inputs }));
  assert.is(guest({}), '');
  assert.is(guest({ flag: 'none', env: ENV }), '');
  assert.is(guest({ flag: 'http://proxy.lan:3128' }), 'http://proxy.lan:3128');
  assert.is(guest({ flag: 'http://127.0.0.1:3128' }), 'http://10.0.2.2:3128');
  assert.is(guest({ flag: 'http://u:p@localhost:3128' }), 'http://u:p@10.0.2.2:3128');
  assert.is(guest({ flag: 'http://[::1]:3128' }), 'http://10.0.2.2:3128');
  assert.is(guest({ env: { HTTP_PROXY: 'http://127.0.0.1:8080', HTTPS_PROXY: 'http://other:1' } }), 'http://10.0.2.2:8080');
  assert.is(guest({ env: { HTTPS_PROXY: 'http://only-https:1' } }), 'http://only-https:1');
});

test('the log line names the proxy masked, and what goes direct', () => {
  assert.is(describeProxySettings(resolveProxySettings({ env: {} })), undefined);
  assert.is(
    describeProxySettings(resolveProxySettings({ flag: 'http://u:secret@127.0.0.1:3128', env: { NO_PROXY: 'lan' } })),
    'proxy: http://***:***@127.0.0.1:3128 (--proxy) for http and https; NO_PROXY (lan) go direct',
  );
  assert.is(
    describeProxySettings(resolveProxySettings({ env: { HTTPS_PROXY: 'http://p:1' } })),
    'proxy: http: direct, https: http://p:1 (HTTPS_PROXY); loopback hosts go direct',
  );
});

test('proxy passwords for the Masker: decoded, long enough to mask safely', () => {
  assert.equal(proxySecrets(resolveProxySettings({ flag: 'http://u:s3cr%40t@p:1', env: {} })), ['s3cr@t']);
  assert.equal(proxySecrets(resolveProxySettings({ flag: 'http://u:abc@p:1', env: {} })), []);
  assert.equal(proxySecrets(resolveProxySettings({ env: {} })), []);
});

test.run();
