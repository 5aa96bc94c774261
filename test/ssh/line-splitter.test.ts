import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LineSplitter, LineTail } from '../../lib/ssh/line-splitter.js';

const split = (chunks: (string | Buffer)[], maxLength?: number) => {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line), maxLength);
  for (const chunk of chunks) splitter.push(chunk);
  splitter.flush();
  return lines;
};

const cases: [string, (string | Buffer)[], string[]][] = [
  ['one line', ['hello\n'], ['hello']],
  ['no final newline', ['a\nb'], ['a', 'b']],
  ['line split across chunks', ['he', 'll', 'o\nwor', 'ld\n'], ['hello', 'world']],
  ['CRLF endings', ['a\r\nb\r\n'], ['a', 'b']],
  ['CR split from LF', ['a\r', '\nb'], ['a', 'b']],
  ['empty lines kept', ['\n\nx\n'], ['', '', 'x']],
  ['nothing', [], []],
  ['UTF-8 character split between chunks', [Buffer.from([0x68, 0xc3]), Buffer.from([0xa9, 0x0a])], ['hé']],
];
for (const [name, chunks, want] of cases) {
  test(`LineSplitter: ${name}`, () => assert.equal(split(chunks), want));
}

test('LineSplitter: a line longer than the limit is cut, not buffered forever', () => {
  assert.equal(split(['abcdefgh', 'ij\n'], 4), ['abcd', 'efgh', 'ij']);
});

test('LineTail keeps the last N lines', () => {
  const tail = new LineTail(3);
  for (const line of ['1', '2', '3', '4', '5']) tail.push(line);
  assert.equal(tail.lines, ['3', '4', '5']);
});

test('LineTail with fewer lines than the limit', () => {
  const tail = new LineTail(3);
  tail.push('only');
  assert.equal(tail.lines, ['only']);
});

test.run();
