// How each hypervisor's keyboard calls cover a boot command: QEMU one call per key,
// VirtualBox as few keyboardputscancode calls as fit, never across a line end.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { TypingStep } from '../../../lib/hypervisor/build-vm.js';
import { scancodeTyping } from '../../../lib/hypervisor/virtualbox/scancode-typing.js';
import { MAX_SCANCODES_PER_CALL } from '../../../lib/hypervisor/virtualbox/scancode-calls.js';
import { parseBootCommand } from '../../../lib/keyboard/parse.js';
import { decodeScancodes } from '../../fakes/vboxmanage/scancode-decoder.js';

const noSend = async () => {};
const shape = (steps: TypingStep[]) => steps.map((s) => (s.kind === 'send' ? `keys ${s.keys} end ${s.end}` : `${s.action.kind} end ${s.end}`));

test('keys are batched into calls; waits stay in place with their positions', () => {
  const actions = parseBootCommand('ab<wait>cd<waitSerial "boot:">e');
  assert.equal(shape(scancodeTyping(actions, noSend)), ['keys 2 end 2', 'wait end 3', 'keys 2 end 5', 'waitSerial end 6', 'keys 1 end 7']);
});

test('a line end (break) closes a call, so per-line reports and screenshots are exact', () => {
  const actions = parseBootCommand('abcdef');
  assert.equal(shape(scancodeTyping(actions, noSend, [2, 5])), ['keys 2 end 2', 'keys 3 end 5', 'keys 1 end 6']);
  // Breaks at the ends, or out of range, change nothing.
  assert.equal(shape(scancodeTyping(actions, noSend, [0, 6, 9])), ['keys 6 end 6']);
});

test('the bytes sent, decoded by the fake, are the command; no call is over the limit', async () => {
  const command = 'install ks=http://10.0.2.2:8080/ks.cfg Mixed_Case-chars:/=+@,%~^.<enter>';
  const sent: string[][] = [];
  const steps = scancodeTyping(parseBootCommand(command), async (bytes) => void sent.push([...bytes]), [10]);
  for (const step of steps) if (step.kind === 'send') await step.send(new AbortController().signal);
  assert.ok(sent.every((call) => call.length <= MAX_SCANCODES_PER_CALL));
  const keyboard = { held: [] };
  const typed = sent.reduce((text, call) => decodeScancodes(text, call.map((b) => parseInt(b, 16)), keyboard), '');
  assert.is(typed, command);
});

test.run();
