// How the fake fails, in VBoxManage's shapes (VBoxManageHelp.cpp, errorprint.cpp):
// - syntax errors: the logo, "VBoxManage: error: <msg>", a blank line and the usage, exit 2;
// - argument errors (errorArgument): just the error line, exit 2 when returned directly;
// - COM errors: the message, a "Details: code ..." line and a "Context: ..." line, exit 1;
// - plain failures (RTMsgError): "VBoxManage: error: <msg>", exit 1.
// Handlers throw Exit; main.ts prints nothing else and exits with its code.

import type { VersionInfo } from './grammar.js';

export class Exit {
  constructor(
    readonly code: number,
    readonly stderr = '',
    readonly stdout = '',
  ) {}
}

export const errorLine = (message: string): string => `VBoxManage: error: ${message}\n`;

export function logo(version: VersionInfo): string {
  return version.number >= 700
    ? `Oracle VM VirtualBox Command Line Management Interface Version ${version.base}\nCopyright (C) 2005-2024 Oracle and/or its affiliates\n\n`
    : `Oracle VM VirtualBox Command Line Management Interface Version ${version.base}\n(C) 2005-2023 Oracle Corporation\nAll rights reserved.\n\n`;
}

/** errorSyntax: logo, error, usage of the command; exit 2 unless the handler turns it into 1. */
export function syntaxError(version: VersionInfo, usage: string, message: string, code = 2): Exit {
  return new Exit(code, `${logo(version)}${errorLine(message)}\n${usage}`);
}

/** errorArgument / RTMsgError: one error line. */
export function plainError(message: string, code: number): Exit {
  return new Exit(code, errorLine(message));
}

export interface ComError {
  message: string;
  /** e.g. VBOX_E_OBJECT_NOT_FOUND */
  result: keyof typeof RESULT_CODES;
  component: string;
  iface: string;
  context: string;
  file: string;
}

export const RESULT_CODES = {
  VBOX_E_OBJECT_NOT_FOUND: '0x80bb0001',
  VBOX_E_INVALID_VM_STATE: '0x80bb0002',
  VBOX_E_VM_ERROR: '0x80bb0003',
  VBOX_E_FILE_ERROR: '0x80bb0004',
  VBOX_E_IPRT_ERROR: '0x80bb0005',
  VBOX_E_PDM_ERROR: '0x80bb0006',
  VBOX_E_INVALID_OBJECT_STATE: '0x80bb0007',
  VBOX_E_OBJECT_IN_USE: '0x80bb000c',
  E_INVALIDARG: '0x80070057',
  NS_ERROR_FAILURE: '0x80004005',
} as const;

/** The three lines GlueHandleComError prints; `line` is a plausible source line number. */
export function comErrorText(e: ComError): string {
  return (
    errorLine(e.message) +
    errorLine(`Details: code ${e.result} (${RESULT_CODES[e.result]}), component ${e.component}, interface ${e.iface}, callee nsISupports`) +
    errorLine(`Context: "${e.context}" at line ${100 + (e.context.length % 900)} of file ${e.file}`)
  );
}

export const comError = (e: ComError, prefix = ''): Exit => new Exit(1, prefix + comErrorText(e));

/** FindMachine failing: what every command says for an unknown VM. */
export function machineNotFound(name: string, file: string): Exit {
  return comError({
    message: `Could not find a registered machine named '${name}'`,
    result: 'VBOX_E_OBJECT_NOT_FOUND',
    component: 'VirtualBoxWrap',
    iface: 'IVirtualBox',
    context: 'FindMachine(Bstr(a->argv[0]).raw(), machine.asOutParam())',
    file,
  });
}

/** showProgress: VBoxManage prints the percentages of a long operation. */
export const PROGRESS = '0%...10%...20%...30%...40%...50%...60%...70%...80%...90%...100%\n';
