// The masker hides a secret in every form an output can carry it in.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MASK, Masker } from '../../lib/log/mask.js';

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

test('every occurrence is hidden, the longest value first, so one that contains another goes whole', () => {
  assert.is(new Masker(['hunter', 'hunter2', '']).mask('pw=hunter2 again hunter2, hunter'), `pw=${MASK} again ${MASK}, ${MASK}`);
  assert.is(new Masker([]).mask('nothing here'), 'nothing here');
});

test('a prefix followed by other text is not a cut-off secret', () => {
  assert.is(m.mask(`${SECRET.slice(0, 6)}-other`), `${SECRET.slice(0, 6)}-other`);
});

test('URL credentials are masked whether or not they were declared (util/redact-url.ts)', () => {
  assert.is(new Masker([]).mask('from https://alice:hunter2@mirror.example/d.iso?token=abc'), 'from https://***:***@mirror.example/d.iso?token=***');
});

test('maskDeep masks every string of an event, keys included, and leaves other values', () => {
  const event = { type: 'log', message: `x ${SECRET}`, n: 3, list: [SECRET, { [SECRET]: true }] };
  assert.equal(m.maskDeep(event), { type: 'log', message: `x ${MASK}`, n: 3, list: [MASK, { [MASK]: true }] });
});

test.run();
