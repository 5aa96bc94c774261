// NO_PROXY matching as curl does it (plus host:port), and what counts as loopback: tables.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bypassesProxy, isLoopback, parseNoProxy } from '../../lib/source/no-proxy.js';

// [NO_PROXY, URL, goes direct]
const CASES: [string, string, boolean][] = [
  ['', 'http://example.com/', false],
  ['*', 'http://example.com/', true],
  ['*', 'https://[::1]:8443/', true],
  // a name matches itself and the names below it, at a dot
  ['example.com', 'http://example.com/x', true],
  ['example.com', 'http://www.example.com/x', true],
  ['example.com', 'http://a.b.example.com/x', true],
  ['example.com', 'http://notexample.com/x', false],
  ['example.com', 'http://example.com.evil.org/x', false],
  ['.example.com', 'http://example.com/', true],
  ['.example.com', 'http://www.example.com/', true],
  ['*.example.com', 'http://www.example.com/', true],
  ['EXAMPLE.com.', 'http://Www.Example.COM./', true],
  // lists: commas, spaces, both
  ['foo.org, example.com', 'http://example.com/', true],
  ['foo.org example.com', 'http://example.com/', true],
  ['foo.org,,  bar.org', 'http://example.com/', false],
  // ports: the URL's, or the scheme's default
  ['example.com:8080', 'http://example.com:8080/', true],
  ['example.com:8080', 'http://example.com/', false],
  ['example.com:443', 'https://example.com/', true],
  ['example.com:80', 'https://example.com/', false],
  // IP addresses: literal, CIDR, only for URLs naming an IP
  ['127.0.0.1', 'http://127.0.0.1:3000/', true],
  ['127.0.0.1', 'http://127.0.0.2/', false],
  ['127.0.0.1', 'http://localhost/', false],
  ['10.0.0.0/8', 'http://10.20.30.40/', true],
  ['10.0.0.0/8', 'http://11.0.0.1/', false],
  ['192.168.1.0/24', 'http://192.168.1.200/', true],
  ['192.168.1.0/24', 'http://192.168.2.1/', false],
  ['127.0.0.1:9000', 'http://127.0.0.1:9000/', true],
  ['127.0.0.1:9000', 'http://127.0.0.1:9001/', false],
  ['::1', 'http://[::1]:8000/', true],
  ['[::1]', 'http://[::1]/', true],
  ['[::1]:8000', 'http://[::1]:8000/', true],
  ['[::1]:8000', 'http://[::1]:8001/', false],
  ['fd00::/8', 'http://[fd12::1]/', true],
  ['fd00::/8', 'http://[fe80::1]/', false],
  ['0:0:0:0:0:0:0:1', 'http://[::1]/', true],
  // an IP never matches a name by suffix, nor a name an IP
  ['0.1', 'http://10.0.0.1/', false],
  ['1.2.3.4', 'http://1.2.3.4.example.com/', false],
  // a CIDR length out of range is no IP rule (and matches nothing)
  ['10.0.0.0/40', 'http://10.0.0.1/', false],
];

test('NO_PROXY matching', () => {
  for (const [noProxy, url, direct] of CASES) {
    assert.is(bypassesProxy(new URL(url), parseNoProxy(noProxy)), direct, `NO_PROXY=${JSON.stringify(noProxy)} ${url}`);
  }
});

const LOOPBACK: [string, boolean][] = [
  ['http://localhost/', true],
  ['http://LOCALHOST.:8080/', true],
  ['http://mirror.localhost/', true],
  ['http://127.0.0.1/', true],
  ['http://127.1.2.3/', true],
  ['http://[::1]/', true],
  ['http://[::ffff:127.0.0.1]/', true],
  ['http://2130706433/', true], // URL reads it as 127.0.0.1
  ['http://10.0.2.2/', false],
  ['http://localhost.example.com/', false],
  ['http://[::2]/', false],
  ['http://deb.debian.org/', false],
];

test('loopback hosts', () => {
  for (const [url, loopback] of LOOPBACK) assert.is(isLoopback(new URL(url)), loopback, url);
});

test.run();
