// Stepping a restored guest's clock: as root directly, else through sudo the way the
// provisioners use it (a password on stdin, never on the command line).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { clockCommand } from '../../lib/builder/steps/guest-clock.js';

const SET = "date -u -s @1765100000 >/dev/null";
const CASES: [name: string, login: Parameters<typeof clockCommand>[1], expected: ReturnType<typeof clockCommand>][] = [
  ['root: no sudo', { username: 'root' }, { command: `date +%s && ${SET}` }],
  ['a key login: sudo must not ask', { username: 'kiln' }, { command: `date +%s && sudo -n sh -c '${SET}'` }],
  ['a password login: sudo reads it from stdin', { username: 'vagrant', sudoPassword: 's3cret' }, { command: `date +%s && sudo -S -p '' sh -c '${SET}'`, stdin: 's3cret\n' }],
];

for (const [name, login, expected] of CASES) {
  test(name, () => assert.equal(clockCommand(1765100000.4, login), expected));
}

test('the password never appears in the command', () => {
  assert.not.match(clockCommand(1, { username: 'u', sudoPassword: 'hunter2' }).command, /hunter2/);
});

test.run();
