// Scans over user input stay linear: each of these took seconds (quadratic regexes) on
// 60,000 characters before, so on 240,000 a quadratic scan takes minutes. The bound is a
// runaway guard, not a speed target: a linear scan meets it on a machine loaded tenfold.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hostnameFor } from '../../lib/cloud-init/meta-data.js';
import { scanBootCommand } from '../../lib/lint/boot-references.js';
import { looksLike } from '../../lib/lint/classify.js';

const N = 240_000;
const RUNAWAY_MS = 20_000;
const within = (ms: number, what: string, run: () => unknown) => {
  const begin = performance.now();
  run();
  const took = performance.now() - begin;
  assert.ok(took < ms, `${what} took ${took.toFixed(0)} ms`);
};

test('boot command scan: long runs of host characters, ports, setup-alpine and <enter>s', () => {
  const commands = {
    letters: 'a'.repeat(N),
    digits: '1'.repeat(N),
    'one word of URLs': 'a:65535'.repeat(N / 7),
    'spaced URLs': ' a:65535/x'.repeat(N / 10),
    nocloud: `ds=nocloud;s=${'a:65535'.repeat(N / 7)}`,
    alpine: `${'x'.repeat(N)} setup-alpine -f a:65535/answers`,
    enters: '<enter>'.repeat(N / 7),
  };
  for (const [what, command] of Object.entries(commands)) within(RUNAWAY_MS, what, () => scanBootCommand([command]));
});

test('the linear scan finds what the regex found', () => {
  const scan = scanBootCommand([
    'linux /vmlinuz auto=true url=http://10.0.2.2:65535/preseed.cfg inst.ks=10.0.2.2:65535/ks.cfg ',
    'ds=nocloud-net;s=http://10.0.2.2:65535/seed/ xhttp://h:65535 a:65535b:65535/p<enter>',
    'setup-alpine -f http://10.0.2.2:65535/answers<enter>',
  ]);
  assert.equal(
    scan.references.map((r) => [r.path, r.kind ?? '-', r.strong, r.line]),
    [
      ['/preseed.cfg', 'preseed', true, 0],
      ['/ks.cfg', 'kickstart', true, 0],
      ['/seed/', 'nocloud', true, 1],
      ['/', '-', false, 1],
      ['/', '-', false, 1],
      ['/p', '-', false, 1],
      ['/answers', 'alpine-answers', true, 2],
    ],
  );
  assert.is(scan.references[3]!.word, 'xhttp://h:65535');
  assert.ok(scan.grub);
});

test('answer-file sniffing and the hostname stay linear', () => {
  within(RUNAWAY_MS, 'preseed sniffing', () => looksLike('preseed', '\n'.repeat(N)));
  within(RUNAWAY_MS, 'answers sniffing', () => looksLike('alpine-answers', ' \n'.repeat(N / 2)));
  assert.ok(looksLike('preseed', '\n\n  d-i debian-installer/locale string en_US\n'));
  assert.not.ok(looksLike('preseed', 'd-i\n  debian-installer/locale string'));
  within(RUNAWAY_MS, 'hostname', () => hostnameFor(`a${'-'.repeat(N)}b`));
  assert.is(hostnameFor('--Web_Server--'), 'web-server');
  assert.is(hostnameFor(`a${'-'.repeat(70)}b`), 'a');
  assert.is(hostnameFor('---'), 'kiln');
});

test.run();
