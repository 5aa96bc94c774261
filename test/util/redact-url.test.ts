import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hasSecrets, redactUrl, redactUrlsIn } from '../../lib/util/redact-url.js';

const cases: [string, string][] = [
  ['https://mirror.example/debian/disc.iso', 'https://mirror.example/debian/disc.iso'],
  ['https://user:pa%40ss@host.example/a.iso', 'https://***:***@host.example/a.iso'],
  ['https://token@host.example/a.iso', 'https://***@host.example/a.iso'],
  ['https://s3.example/a.iso?X-Amz-Signature=abc&X-Amz-Expires=60&flag', 'https://s3.example/a.iso?X-Amz-Signature=***&X-Amz-Expires=***&flag'],
  ['https://host.example/a.iso#key=abc', 'https://host.example/a.iso#***'],
  // Not parsable as a URL: masked all the same (the text is never parsed).
  ['http://user:secret@[bad/a.iso?token=abc', 'http://***:***@[bad/a.iso?token=***'],
];
for (const [url, shown] of cases) {
  test(`redactUrl(${url})`, () => {
    assert.is(redactUrl(url), shown);
    assert.is(hasSecrets(url), url !== shown);
  });
}

test('redactUrlsIn: every URL inside a message', () => {
  assert.is(
    redactUrlsIn('Request cannot be constructed from a URL that includes credentials: http://u:p@h/x?t=1, then "https://a:b@c/"'),
    'Request cannot be constructed from a URL that includes credentials: http://***:***@h/x?t=***, then "https://***:***@c/"',
  );
});

test('a URL with nothing to mask is left exactly as written (no normalising)', () => {
  for (const text of ['http://{{\\ .HTTPIP }}:{{ .HTTPPort }}/seed/', 'HTTP://Example.COM:80/a/../b', 'https://x.example/a b']) {
    assert.is(redactUrlsIn(`see ${text} now`), `see ${text} now`);
  }
});

test.run();
