import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseVBoxError, VBoxManageError } from '../../../lib/hypervisor/virtualbox/errors.js';

const NOT_FOUND = `VBoxManage: error: Could not find a registered machine named 'kiln-x'
VBoxManage: error: Details: code VBOX_E_OBJECT_NOT_FOUND (0x80bb0001), component VirtualBoxWrap, interface IVirtualBox, callee nsISupports
VBoxManage: error: Context: "FindMachine(Bstr(a->argv[0]).raw(), machine.asOutParam())" at line 2811 of file VBoxManageInfo.cpp
`;
const LOCKED = `VBoxManage: error: Cannot unregister the machine 'kiln-x' while it is locked
VBoxManage: error: Details: code VBOX_E_INVALID_OBJECT_STATE (0x80bb0007), component MachineWrap, interface IMachine, callee nsISupports
VBoxManage: error: Context: "Unregister(CleanupMode_DetachAllReturnHardDisksOnly, ComSafeArrayAsOutParam(aMedia))" at line 154 of file VBoxManageMisc.cpp
`;
const NOT_RUNNING = "VBoxManage: error: Machine 'kiln-x' is not currently running.\n";
const SYNTAX = `Oracle VM VirtualBox Command Line Management Interface Version 7.0.14
Copyright (C) 2005-2024 Oracle and/or its affiliates

VBoxManage: error: Unknown option: --bogus

Usage - Change settings for a virtual machine that is stopped:
`;

const CASES: [string, string, string | undefined, { notFound: boolean; locked: boolean; notRunning: boolean }][] = [
  ['machine not found', NOT_FOUND, 'VBOX_E_OBJECT_NOT_FOUND', { notFound: true, locked: false, notRunning: false }],
  ['locked', LOCKED, 'VBOX_E_INVALID_OBJECT_STATE', { notFound: false, locked: true, notRunning: false }],
  ['not running', NOT_RUNNING, undefined, { notFound: false, locked: false, notRunning: true }],
  ['syntax error', SYNTAX, undefined, { notFound: false, locked: false, notRunning: false }],
  ['Windows binary name', "VBoxManage.exe: error: Machine 'w' is not currently running.\r\n", undefined, { notFound: false, locked: false, notRunning: true }],
];
for (const [label, stderr, code, flags] of CASES) {
  test(`${label}: message, code and flags`, () => {
    const info = parseVBoxError(stderr);
    assert.is(info.resultCode, code);
    assert.not.match(info.message, /^(Details|Context):/);
    assert.not.match(info.message, /VBoxManage/);
    const error = new VBoxManageError(['showvminfo', 'kiln-x'], code ? 1 : 2, stderr);
    assert.is(error.code, 'E_TOOL');
    assert.ok(error.message.includes(info.message), error.message);
    assert.is(error.machineNotFound, flags.notFound);
    assert.is(error.locked, flags.locked);
    assert.is(error.notRunning, flags.notRunning);
  });
}

test('the first error line is the message; all lines are kept', () => {
  const info = parseVBoxError(LOCKED);
  assert.is(info.message, "Cannot unregister the machine 'kiln-x' while it is locked");
  assert.is(info.lines.length, 3);
});

test('exit 2 hints at the escape hatch, exit 1 at build.log', () => {
  assert.match(new VBoxManageError(['modifyvm'], 2, SYNTAX).hint ?? '', /modifyvm/);
  assert.match(new VBoxManageError(['startvm'], 1, NOT_FOUND).hint ?? '', /build\.log/);
});

test('no error lines: the end of stderr stands in', () => {
  const error = new VBoxManageError(['startvm'], 1, 'something odd\nhappened here\n');
  assert.match(error.message, /something odd happened here/);
});

test.run();
