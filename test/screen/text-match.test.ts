import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { allowedErrors, normaliseText, screenShows, substringDistance } from '../../lib/screen/text-match.js';

// What tesseract read off the fixture's ISOLINUX screen (note "DUD/CD" and "ETCD").
const ISOLINUX = `SeaBIOS (version 1.16.2-debian-1.16.2-1)
Booting from DUD/CD.
ISOLINUX 6.04 20200816 ETCD Copyright (C) 1994-2015 H. Peter Anvin et al

kiln test installer - type: install ks=http://HOST:PORT/ks.cfg
or: local (boot the first hard disk)

boot: _`;

test('substringDistance: fewest edits to some substring', () => {
  const table: [string, string, number][] = [
    ['hello world', 'world', 0],
    ['hello world', 'wrld', 0 + 1],
    ['hello world', 'word', 1],
    ['abc', '', 0],
    ['', 'abc', 3],
    ['booting from dud/cd', 'dvd/cd', 1],
    ['xyz', 'abc', 3],
  ];
  for (const [hay, needle, want] of table) assert.is(substringDistance(hay, needle), want, `${needle} in ${hay}`);
});

test('screenShows: case and spacing do not matter, small OCR slips are forgiven', () => {
  const table: [string, boolean][] = [
    ['kiln test installer', true],
    ['KILN   TEST\nINSTALLER', true],
    ['Booting from DVD/CD', true], // OCR read DUD: one error in 19 characters
    ['boot:', true],
    ['boot first hard disk', false], // words missing: not a misread
    ['kiln test uninstaller', false],
    ['login:', false],
    ['boat:', false], // short texts must match exactly
  ];
  for (const [wanted, want] of table) assert.is(screenShows(ISOLINUX, wanted), want, wanted);
});

test('allowedErrors and normaliseText', () => {
  assert.equal(['boot', 'login:', 'kiln test installer', 'x'.repeat(40)].map(allowedErrors), [0, 0, 1, 3]);
  assert.is(normaliseText('  A\tb\n\nC  '), 'a b c');
});

test.run();
