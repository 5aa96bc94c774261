// The masker hides a secret in every form an output can carry it in.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MASK, Masker, redactUrls } from '../../lib/log/mask.js';

const SECRET = 'p4ss"wörd/+x=1';
const m = new Masker([SECRET, 'ab']);

const FORMS: [string, string][] = [
  ['as written', `login with ${SECRET} now`],
  ['JSON-escaped (schema messages quote values)', `value ${JSON.stringify(SECRET)} is not allowed`],
  ['URL-encoded', `GET /x?q=${encodeURIComponent(SECRET)}`],
  ['base64', `Authorization: Basic ${Buffer.from(SECRET).toString('base64').replace(/=+$/, '')}`],
  ['cut short with ...', `must match pattern, got "${SECRET.slice(0, 9)}..."`],
  ['cut short with …', `${SECRET.slice(0, 7)}…`],
  ['cut off by the end of the text', `tail: ${SECRET.slice(0, 8)}`],
];
for (const [form, text] of FORMS) {
  test(`a secret ${form} is masked`, () => {
    const out = m.mask(text);
    assert.ok(out.includes(MASK), out);
    assert.not.ok(out.includes(SECRET.slice(0, 6)), out);
  });
}

test('a prefix followed by other text is not a cut-off secret', () => {
  assert.is(m.mask(`${SECRET.slice(0, 6)}-other`), `${SECRET.slice(0, 6)}-other`);
});

test('URL credentials are masked whether or not they were declared', () => {
  const table: [string, string][] = [
    ['https://alice:hunter2@mirror.example/debian.iso', `https://alice:${MASK}@mirror.example/debian.iso`],
    ['see http://u:p@h:3128 and https://x.example/a?token=abc&b=1', `see http://u:${MASK}@h:3128 and https://x.example/a?token=${MASK}&b=1`],
    ['https://s3.example/k?X-Amz-Signature=deadbeef&X-Amz-Date=1', `https://s3.example/k?X-Amz-Signature=${MASK}&X-Amz-Date=1`],
    ['https://glpat-0123456789abcdefghij@gitlab.example/x', `https://${MASK}@gitlab.example/x`],
    ['https://deb.debian.org/debian/?arch=amd64', 'https://deb.debian.org/debian/?arch=amd64'],
    ['ssh://vagrant@127.0.0.1:2222', 'ssh://vagrant@127.0.0.1:2222'],
  ];
  for (const [input, expected] of table) assert.is(redactUrls(input), expected, input);
});

test('maskDeep masks every string of an event, keys included, and leaves other values', () => {
  const event = { type: 'log', message: `x ${SECRET}`, n: 3, list: [SECRET, { [SECRET]: true }] };
  assert.equal(m.maskDeep(event), { type: 'log', message: `x ${MASK}`, n: 3, list: [MASK, { [MASK]: true }] });
});

test.run();
