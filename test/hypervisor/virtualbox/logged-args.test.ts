// VBoxManage calls are logged at debug level, except the scancodes a boot command types:
// a password typed there would reach build.log in a form no masking recognises.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { keyboardPutScancodeArgs } from '../../../lib/hypervisor/virtualbox/control-argv.js';
import { loggedArgs } from '../../../lib/hypervisor/virtualbox/run.js';

test('scancodes are logged as a count; other calls as they are', () => {
  assert.equal(loggedArgs(keyboardPutScancodeArgs('vm', ['2a', '19', 'aa'])), ['controlvm', 'vm', 'keyboardputscancode', '<3 scancodes>']);
  assert.equal(loggedArgs(['showvminfo', 'vm', '--machinereadable']), ['showvminfo', 'vm', '--machinereadable']);
});

test.run();
