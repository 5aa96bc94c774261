import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseBootLines } from '../../lib/builder/boot-lines.js';

test('parseBootLines: where each boot.command line ends among the actions', () => {
  const table: [string, string[], (number | undefined)[]][] = [
    ['one line', ['ab<enter>'], [3]],
    ['lines with waits', ['<waitSerial "boot:">', 'install<enter>', '<waitHttp /ks.cfg>'], [1, 9, 10]],
    ['an empty line ends where the previous did', ['ab', '', 'c'], [2, 2, 3]],
    ['a form split over lines has no boundary there', ['a<wai', 't5>b'], [undefined, 3]],
    ['a quoted wait split over lines', ['<waitSerial "lo', 'gin:">x'], [undefined, 2]],
    ['a hold across lines is fine', ['<leftCtrlOn>', 'x<leftCtrlOff>'], [1, 3]],
  ];
  for (const [name, lines, want] of table) assert.equal(parseBootLines(lines).lineEnds, want, name);
});

test('parseBootLines renders placeholders before parsing', () => {
  const { actions, lineEnds } = parseBootLines(['{{ .X }}', '<enter>'], (t) => t.replace('{{ .X }}', 'ab'));
  assert.is(actions.length, 3);
  assert.equal(lineEnds, [2, 3]);
});

test.run();
