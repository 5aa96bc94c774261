import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isStopped, parseMachineReadable, vmState } from '../../../lib/hypervisor/virtualbox/vm-info.js';

// Shaped like `VBoxManage showvminfo VM --machinereadable` of 7.0 (trimmed).
const OUTPUT = [
  'name="kiln-demo-0a1b2c3d"',
  'Encryption:     disabled',
  'groups="/"',
  'ostype="Debian (64-bit)"',
  'UUID="5b4c3c7e-1d2f-4e8a-9a0b-0c1d2e3f4a5b"',
  'CfgFile="/w/vbox/kiln-demo-0a1b2c3d/kiln-demo-0a1b2c3d.vbox"',
  'memory=2048',
  'cpus=2',
  'VMState="running"',
  'VMStateChangeTime="2024-05-01T10:00:00.000000000"',
  '"SATA Controller-0-0"="/w/vbox/disk.vdi"',
  '"IDE Controller-ImageUUID-0-0"="1a2b"',
  'Forwarding(0)="ssh,tcp,127.0.0.1,40022,,22"',
  'Forwarding(1)="http,tcp,,8080,,80"',
  'description="a \\"quoted\\" word and a back\\\\slash"',
  'uartmode1="file,/out/serial log.txt"',
  'wrapped description line without an equals sign',
  'broken="unterminated',
  '',
].join('\r\n');

test('parses keys, quoted keys, numbers and escapes; skips other lines', () => {
  const info = parseMachineReadable(OUTPUT);
  assert.is(info.get('name'), 'kiln-demo-0a1b2c3d');
  assert.is(info.get('memory'), '2048');
  assert.is(info.get('SATA Controller-0-0'), '/w/vbox/disk.vdi');
  assert.is(info.get('IDE Controller-ImageUUID-0-0'), '1a2b');
  assert.is(info.get('description'), 'a "quoted" word and a back\\slash');
  assert.is(info.get('uartmode1'), 'file,/out/serial log.txt');
  assert.is(info.has('broken'), false);
  assert.is(info.has('Encryption:     disabled'), false);
  assert.is(vmState(info), 'running');
  assert.is(info.get('Forwarding(0)'), 'ssh,tcp,127.0.0.1,40022,,22');
});

test('no VMState line is an error', () => {
  assert.throws(() => vmState(parseMachineReadable('name="x"\n')), /VMState/);
});

const STATES: [string, boolean][] = [
  ['poweroff', true],
  ['aborted', true],
  ['saved', true],
  ['aborted-saved', true],
  ['teleported', true],
  ['running', false],
  ['paused', false],
  ['starting', false],
  ['stopping', false],
  ['gurumeditation', false],
  ['saving', false],
  ['restoring', false],
];
for (const [state, stopped] of STATES) {
  test(`${state} is ${stopped ? '' : 'not '}stopped`, () => assert.is(isStopped(state), stopped));
}

test.run();
