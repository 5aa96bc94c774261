// Reading MIME multi-part user-data written by others (cloud-init's make-mime, Python's
// email package, hand-written): CRLF, folded headers, unquoted boundaries, base64.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildMultipart, isMultipart, parseMultipart } from '../../lib/cloud-init/mime.js';

test('what cloud-init devel make-mime writes (Python email, CRLF here), folded header', () => {
  const text = [
    'Content-Type: multipart/mixed;',
    ' boundary="===============4291038100093149247=="',
    'MIME-Version: 1.0',
    '',
    '--===============4291038100093149247==',
    'Content-Type: text/cloud-config; charset="us-ascii"',
    'MIME-Version: 1.0',
    'Content-Transfer-Encoding: 7bit',
    'Content-Disposition: attachment; filename="config.yaml"',
    '',
    '#cloud-config',
    'packages: [htop]',
    '',
    '--===============4291038100093149247==',
    'Content-Type: text/x-shellscript; charset="us-ascii"',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from('#!/bin/sh\necho hi\n').toString('base64'),
    '',
    '--===============4291038100093149247==--',
    '',
  ].join('\r\n');
  assert.ok(isMultipart(text));
  const parts = parseMultipart(text)!;
  assert.equal(
    parts.map((p) => ({ ...p })),
    [
      { contentType: 'text/cloud-config', content: '#cloud-config\npackages: [htop]\n', filename: 'config.yaml', line: 11, encoded: false },
      { contentType: 'text/x-shellscript', content: '#!/bin/sh\necho hi\n', line: 18, encoded: true },
    ],
  );
});

test('unquoted boundary, no closing delimiter, no part type', () => {
  const parts = parseMultipart('Content-Type: multipart/mixed; boundary=XYZ\n\npreamble\n--XYZ\n\nplain text\n')!;
  assert.equal(parts, [{ contentType: 'text/plain', content: 'plain text\n', line: 6, encoded: false }]);
});

test('not a usable multi-part', () => {
  assert.is(parseMultipart('Content-Type: multipart/mixed\n\n--x\n\nhi\n'), undefined, 'no boundary');
  assert.is(parseMultipart('Content-Type: multipart/mixed; boundary=b\n\nno parts\n'), undefined, 'no part');
  assert.not.ok(isMultipart('#cloud-config\n'));
  assert.ok(isMultipart('\n content-type: Multipart/Mixed; boundary=a\n'));
});

test('round trip: what kiln writes reads back part by part', () => {
  const parts = [
    { contentType: 'text/cloud-config', content: '#cloud-config\n{}\n', filename: 'a' },
    { contentType: 'text/x-shellscript', content: '#!/bin/sh\necho "ünïcode"' },
    { contentType: 'text/x-include-url', content: 'http://x/\n', filename: 'c' },
  ];
  const back = parseMultipart(buildMultipart(parts))!;
  assert.equal(back.map(({ contentType, content, filename }) => ({ contentType, content, ...(filename ? { filename } : {}) })), parts);
  assert.equal(back.map((p) => p.encoded), [false, true, false]);
});

test.run();
