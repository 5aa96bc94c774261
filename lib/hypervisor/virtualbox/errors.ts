// VBoxManage's error output, made into typed errors. VBoxManage prints
//   VBoxManage: error: Could not find a registered machine named 'x'
//   VBoxManage: error: Details: code VBOX_E_OBJECT_NOT_FOUND (0x80bb0001), component ...
//   VBoxManage: error: Context: "FindMachine(...)" at line 2811 of file VBoxManageInfo.cpp
// and exits 1 for failed operations, 2 for syntax errors (with a usage text).

import { KilnError } from '../../errors.js';

export interface VBoxErrorInfo {
  /** Up to three error lines without their prefix, joined ('' when VBoxManage printed none). */
  message: string;
  /** The COM result name from the Details line, e.g. VBOX_E_OBJECT_NOT_FOUND. */
  resultCode?: string;
  /** Every error line without prefixes, for logs. */
  lines: string[];
}

const PREFIX = /^VBoxManage(?:\.exe)?: error: ?/;

export function parseVBoxError(stderr: string): VBoxErrorInfo {
  const lines = stderr
    .split(/\r?\n/)
    .filter((line) => PREFIX.test(line))
    .map((line) => line.replace(PREFIX, '').trim())
    .filter(Boolean);
  // VBoxManage may say what failed, then why, on the following lines ("Failed to create
  // medium" / "Could not create the medium storage unit ..." / "VDI: ... VERR_ALREADY_EXISTS").
  const message = lines
    .filter((l) => !l.startsWith('Details:') && !l.startsWith('Context:'))
    .slice(0, 3)
    .join('; ');
  const resultCode = /^Details: code (\w+)/.exec(lines.find((l) => l.startsWith('Details:')) ?? '')?.[1];
  return { message, resultCode, lines };
}

/** A VBoxManage call that exited non-zero. */
export class VBoxManageError extends KilnError {
  readonly args: readonly string[];
  readonly exitCode: number;
  readonly info: VBoxErrorInfo;

  constructor(args: readonly string[], exitCode: number, stderr: string, hint?: string) {
    const info = parseVBoxError(stderr);
    const said = info.message || stderr.trim().split(/\r?\n/).slice(-3).join(' ') || 'nothing';
    super('E_TOOL', `VBoxManage ${args[0] ?? ''} failed (exit ${exitCode}): ${said}`, {
      hint: hint ?? (exitCode === 2 ? 'VBoxManage rejected the command line; check machine.virtualbox.modifyvm (the full command is in build.log)' : 'the full VBoxManage command and output are in build.log'),
    });
    this.name = 'VBoxManageError';
    this.args = args;
    this.exitCode = exitCode;
    this.info = info;
  }

  /** True when VBoxManage said the machine is not registered (any more). */
  get machineNotFound(): boolean {
    return this.info.resultCode === 'VBOX_E_OBJECT_NOT_FOUND' && /registered machine/i.test(this.info.message);
  }

  /** True when a controlvm call found the machine powered off. */
  get notRunning(): boolean {
    return /is not currently running/.test(this.info.message);
  }

  /** True when the machine is locked by a session (running, or still being unlocked). */
  get locked(): boolean {
    return this.info.resultCode === 'VBOX_E_INVALID_OBJECT_STATE' && /locked/i.test(this.info.message);
  }
}
