import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { OutputTail } from '../../lib/util/output-tail.js';

test('push returns completed lines, across chunk boundaries and CRLF', () => {
  const tail = new OutputTail();
  assert.equal(tail.push('qemu-system-x86_64: -dri'), []);
  assert.equal(tail.push('ve: bad\r\nnext'), ['qemu-system-x86_64: -drive: bad']);
  assert.is(tail.text(), 'qemu-system-x86_64: -drive: bad\nnext', 'the unfinished line counts too');
});

test('only the last lines are kept; blank lines are dropped', () => {
  const tail = new OutputTail(2);
  tail.push('one\n\ntwo\nthree\n   \n');
  assert.is(tail.text(), 'two\nthree');
});

test.run();
