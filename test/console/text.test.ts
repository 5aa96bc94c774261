import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanConsoleText } from '../../lib/console/sanitize.js';
import { socketFromChardev } from '../../lib/hypervisor/qemu/serial-socket.js';

test('cleanConsoleText drops escape sequences and control characters, keeps text', () => {
  const table: [string, string][] = [
    ['plain text', 'plain text'],
    ['line\r\n', 'line\n'],
    ['\x1b[H\x1b[2Jkiln login: ', 'kiln login: '],
    ['\x1b[1;32mOK\x1b[0m done', 'OK done'],
    ['\x1b]0;title\x07prompt$ ', 'prompt$ '],
    ['\x1b(Bboot\x1bc', 'boot'],
    ['bell\x07 tab\there', 'bell tab\there'],
    ['progress\r50%\r100%', 'progress50%100%'],
    ['utf-8 ✓ stays', 'utf-8 ✓ stays'],
  ];
  for (const [input, want] of table) assert.is(cleanConsoleText(input), want, JSON.stringify(input));
});

test('socketFromChardev finds the path in QEMU query-chardev filenames', () => {
  const table: [string, string | undefined][] = [
    ['disconnected:unix:/tmp/kiln-run-x/serial.sock,server=on', '/tmp/kiln-run-x/serial.sock'],
    ['unix:/tmp/kiln-run-x/serial.sock,server=on', '/tmp/kiln-run-x/serial.sock'],
    ['unix:/tmp/a,,b/serial.sock,server=on', '/tmp/a,b/serial.sock'],
    ['unix:/tmp/s.sock', '/tmp/s.sock'],
    ['file:/tmp/serial.log', undefined],
    ['pty:/dev/pts/3', undefined],
  ];
  for (const [filename, want] of table) assert.is(socketFromChardev(filename), want, filename);
});

test.run();
