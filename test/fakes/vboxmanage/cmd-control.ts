// startvm (VBoxManageMisc.cpp) and controlvm (VBoxManageControlVM.cpp). controlvm
// finds the VM and needs it running before it even looks at the subcommand, and its
// errors after that exit 1, syntax errors included.

import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { requireVm, type Ctx } from './context.js';
import { guestPoweredOn, guestTyped } from './guest.js';
import { STARTVM_OPTIONS } from './grammar.js';
import { USAGE } from './usage.js';
import { getopt, GetoptError } from './getopt.js';
import { comError, errorLine, Exit, plainError, PROGRESS, syntaxError } from './output.js';
import { decodeScancodes } from './scancode-decoder.js';
import { appendTo, guestStopped, isLocked, setVmState, type FakeVm } from './state.js';

export function startvm(ctx: Ctx, args: string[]): void {
  const names: string[] = [];
  let type = 'gui';
  try {
    for (const a of getopt(args, STARTVM_OPTIONS, ctx.version.number)) {
      if ('positional' in a) names.push(a.positional);
      else if (a.option.def.key === 'type') type = a.option.value!;
    }
  } catch (error) {
    if (error instanceof GetoptError && error.kind === 'unknown') throw syntaxError(ctx.version, USAGE.startvm!, `unknown option: ${error.arg}\n`);
    if (error instanceof GetoptError) throw syntaxError(ctx.version, USAGE.startvm!, error.message);
    throw error;
  }
  if (names.length === 0) throw syntaxError(ctx.version, USAGE.startvm!, 'at least one VM name or uuid required');
  for (const name of names) {
    const vm = requireVm(ctx, name, 'VBoxManageMisc.cpp');
    const launch = { component: 'MachineWrap', iface: 'IMachine', context: 'LaunchVMProcess(a->session, sessionType.raw(), ComSafeArrayAsInParam(aBstrEnv), progress.asOutParam())', file: 'VBoxManageMisc.cpp' };
    if (!/^(gui|headless|sdl|separate|capture)$/i.test(type)) throw comError({ ...launch, result: 'E_INVALIDARG', message: `Invalid session type: '${type}'` });
    if (isLocked(vm, ctx.now)) throw comError({ ...launch, result: 'VBOX_E_INVALID_OBJECT_STATE', message: `The machine '${vm.name}' is already locked by a session (or being locked or unlocked)` });
    ctx.stdout += `Waiting for VM "${name}" to power on...\n`;
    const missing = vm.attachments.find((a) => a.medium && !existsSync(a.medium));
    if (missing) {
      throw new Exit(
        1,
        errorLine(`Could not open the medium '${missing.medium}'.`) +
          errorLine(`VD: error VERR_FILE_NOT_FOUND opening image file '${missing.medium}' (VERR_FILE_NOT_FOUND)`) +
          errorLine('Details: code NS_ERROR_FAILURE (0x80004005), component ConsoleWrap, interface IConsole'),
        ctx.stdout,
      );
    }
    setVmState(vm, 'running', ctx.now);
    vm.powerOffAt = undefined;
    vm.lockedUntil = undefined;
    const serial = serialFile(vm);
    if (serial) writeFileSync(serial, ''); // VirtualBox opens the raw file afresh at power-on
    guestPoweredOn(ctx, vm);
    ctx.stdout += `VM "${name}" has been successfully started.\n`;
  }
}

/** The file COM1 writes to, when the UART is on and in file mode. */
export function serialFile(vm: FakeVm): string | undefined {
  const mode = vm.settings.uartmode1 ?? '';
  return vm.settings.uart1 && vm.settings.uart1 !== 'off' && mode.startsWith('file,') ? mode.slice(5) : undefined;
}

export function controlvm(ctx: Ctx, args: string[]): void {
  if (args.length < 2) throw syntaxError(ctx.version, USAGE.controlvm!, 'Not enough parameters.');
  const vm = requireVm(ctx, args[0], 'VBoxManageControlVM.cpp');
  if (vm.state !== 'running' && vm.state !== 'paused') throw plainError(`Machine '${args[0]}' is not currently running.`, 1);
  const sub = args[1]!;
  const fail = (message: string) => syntaxError(ctx.version, USAGE.controlvm!, message, 1);
  switch (sub) {
    case 'pause':
    case 'resume':
      setVmState(vm, sub === 'pause' ? 'paused' : 'running', ctx.now);
      return;
    case 'reset':
      return;
    case 'poweroff':
      setVmState(vm, 'poweroff', ctx.now);
      guestStopped(vm);
      vm.powerOffAt = undefined;
      vm.lockedUntil = ctx.now + ctx.state.config.unlockDelayMs;
      ctx.stderr += PROGRESS;
      return;
    case 'acpipowerbutton':
      if (vm.settings.acpi === 'off') {
        throw comError({ message: 'Controlled power off failed (VERR_PDM_NO_ACPI)', result: 'VBOX_E_PDM_ERROR', component: 'ConsoleWrap', iface: 'IConsole', context: 'PowerButton()', file: 'VBoxManageControlVM.cpp' });
      }
      if (ctx.state.config.acpi === 'obey' && vm.powerOffAt === undefined) {
        vm.powerOffAt = ctx.now + ctx.state.config.acpiDelayMs;
        const serial = serialFile(vm);
        if (serial && ctx.state.config.guest === 'kiln-fixture') appendTo(serial, 'KILN-FIXTURE: shutting down\r\n');
      }
      return;
    case 'keyboardputscancode': {
      if (args.length <= 2) throw fail(`Missing argument to '${sub}'. Expected IBM PC AT set 2 keyboard scancode(s).`);
      const bad = args.slice(2).find((b) => !/^[0-9a-fA-F]{2}$/.test(b));
      if (bad !== undefined) throw plainError(`'${bad}' is not a hex byte!`, 1);
      const bytes = args.slice(2).map((b) => parseInt(b, 16));
      const before = vm.typed.length;
      vm.typed = decodeScancodes(vm.typed, bytes, vm.keyboard);
      vm.scancodes.push(...args.slice(2).map((b) => b.toLowerCase()));
      typedLog(ctx, vm, vm.typed.slice(before));
      guestTyped(ctx, vm);
      return;
    }
    case 'keyboardputstring':
      if (args.length <= 2) throw fail(`Missing argument to '${sub}'. Expected ASCII string(s).`);
      vm.typed += args.slice(2).join(' ');
      typedLog(ctx, vm, args.slice(2).join(' '));
      guestTyped(ctx, vm);
      return;
    case 'screenshotpng':
      if (args.length < 3 || args.length > 4) throw fail('Incorrect number of parameters.');
      return screenshot(vm, args[2]!);
    default:
      throw fail(`Invalid parameter '${sub}'.`);
  }
}

function typedLog(ctx: Ctx, vm: FakeVm, text: string): void {
  const log = ctx.env.FAKE_VBOX_TYPED_LOG;
  if (log && text) appendTo(log, `${vm.name}\t${JSON.stringify(text)}\n`);
}

/** A small PNG whose colour follows how much was typed, so consecutive screens differ. */
function screenshot(vm: FakeVm, path: string): void {
  // Loaded only here: every call starts a process, and most never take a screenshot.
  const { PNG } = createRequire(import.meta.url)('pngjs') as typeof import('pngjs');
  const png = new PNG({ width: 64, height: 48 });
  const shade = (vm.typed.length * 7) % 256;
  for (let i = 0; i < png.data.length; i += 4) png.data.set([shade, 32, 96, 255], i);
  try {
    writeFileSync(path, PNG.sync.write(png));
  } catch (error) {
    throw plainError(`Failed to create file '${path}' (${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'VERR_PATH_NOT_FOUND' : 'VERR_ACCESS_DENIED'}).`, 1);
  }
}
