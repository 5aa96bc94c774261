// createvm, unregistervm, list: the VM registry (VBoxManageMisc.cpp, VBoxManageList.cpp).

import { existsSync, mkdirSync, readdirSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { getoptExit, newUuid, OS_TYPES, requireVm, type Ctx } from './context.js';
import { CREATEVM_OPTIONS, LIST_OPTIONS, UNREGISTERVM_OPTIONS } from './grammar.js';
import { USAGE } from './usage.js';
import { getopt, GetoptError } from './getopt.js';
import { comError, Exit, plainError, PROGRESS, syntaxError } from './output.js';
import { removeGuestRoot } from './guest-root.js';
import { isLocked, newFakeVm, type FakeVm } from './state.js';

export function createvm(ctx: Ctx, args: string[]): void {
  const o: Record<string, string | true> = {};
  try {
    for (const a of getopt(args, CREATEVM_OPTIONS, ctx.version.number)) {
      if ('positional' in a) throw new GetoptError(`Invalid parameter '${a.positional}'`, 'unknown', a.positional);
      o[a.option.def.key] = a.option.value ?? true;
    }
  } catch (error) {
    throw getoptExit(ctx, USAGE.createvm!, error);
  }
  const name = typeof o.name === 'string' ? o.name : '';
  if (!name) throw syntaxError(ctx.version, USAGE.createvm!, 'Parameter --name is required');
  if (typeof o.platform === 'string' && !/^(x86|arm)$/i.test(o.platform)) {
    throw plainError(`Invalid --platform-architecture argument '${o.platform}'`, 2);
  }
  const ostype = typeof o.ostype === 'string' ? o.ostype : 'Other';
  if (!(ostype in OS_TYPES)) {
    if (ctx.version.number >= 701 && o.platform === undefined) throw plainError('Unknown or invalid guest OS type given.', 1);
    throw comError({
      message: `Guest OS type '${ostype}' is invalid`,
      result: 'E_INVALIDARG',
      component: 'VirtualBoxWrap',
      iface: 'IVirtualBox',
      context: 'CreateMachine(bstrSettingsFile.raw(), bstrName.raw(), ...)',
      file: 'VBoxManageMisc.cpp',
    });
  }
  const baseFolder = typeof o.basefolder === 'string' ? o.basefolder : join(process.env.HOME ?? '/root', 'VirtualBox VMs');
  const settingsFile = join(baseFolder, name, `${name}.vbox`);
  if (existsSync(settingsFile)) {
    throw comError({
      message: `Machine settings file '${settingsFile}' already exists`,
      result: 'VBOX_E_FILE_ERROR',
      component: 'VirtualBoxWrap',
      iface: 'IVirtualBox',
      context: 'CreateMachine(bstrSettingsFile.raw(), bstrName.raw(), ...)',
      file: 'VBoxManageMisc.cpp',
    });
  }
  const uuid = typeof o.uuid === 'string' ? o.uuid.replace(/[{}]/g, '').toLowerCase() : newUuid();
  mkdirSync(dirname(settingsFile), { recursive: true });
  writeFileSync(settingsFile, `<?xml version="1.0"?>\n<VirtualBox><Machine uuid="{${uuid}}" name="${name}" OSType="${ostype}"/></VirtualBox>\n`);
  if (o.register) {
    ctx.state.vms.push(newFakeVm({ uuid, name, ostype, settingsFile, at: ctx.now }));
  }
  ctx.stdout += `Virtual machine '${name}' is created${o.register ? ' and registered' : ''}.\nUUID: ${uuid}\nSettings file: '${settingsFile}'\n`;
}

export function unregistervm(ctx: Ctx, args: string[]): void {
  let name: string | undefined;
  let del = false;
  try {
    for (const a of getopt(args, UNREGISTERVM_OPTIONS, ctx.version.number)) {
      if ('positional' in a) {
        if (name !== undefined) throw syntaxError(ctx.version, USAGE.unregistervm!, `Invalid parameter '${a.positional}'`);
        name = a.positional;
      } else del = true;
    }
  } catch (error) {
    if (error instanceof Exit) throw error;
    // This handler still reports unknown options the old way (errorSyntax "unknown option: %s").
    if (error instanceof GetoptError && error.kind === 'unknown') throw syntaxError(ctx.version, USAGE.unregistervm!, `unknown option: ${error.arg}\n`);
    throw getoptExit(ctx, USAGE.unregistervm!, error);
  }
  if (name === undefined) throw syntaxError(ctx.version, USAGE.unregistervm!, 'VM name required');
  const vm = requireVm(ctx, name, 'VBoxManageMisc.cpp');
  if (isLocked(vm, ctx.now)) {
    throw comError({
      message: `Cannot unregister the machine '${vm.name}' while it is locked`,
      result: 'VBOX_E_INVALID_OBJECT_STATE',
      component: 'MachineWrap',
      iface: 'IMachine',
      context: 'Unregister(CleanupMode_DetachAllReturnHardDisksOnly, ComSafeArrayAsOutParam(aMedia))',
      file: 'VBoxManageMisc.cpp',
    });
  }
  ctx.state.vms = ctx.state.vms.filter((v) => v !== vm);
  const hdds = vm.attachments.filter((a) => a.type === 'hdd' && a.medium).map((a) => a.medium);
  // Media live in the registry of the VM that first used them; they go with it.
  ctx.state.media = ctx.state.media.filter((m) => !(vm.attachments.some((a) => a.medium === m.path) && !usedElsewhere(ctx, m.path)));
  if (del) {
    for (const disk of hdds) {
      rmSync(disk, { force: true });
      removeGuestRoot(disk);
    }
    deleteVmFiles(vm);
    ctx.stdout += PROGRESS;
  }
}

const usedElsewhere = (ctx: Ctx, path: string) => ctx.state.vms.some((v) => v.attachments.some((a) => a.medium === path));

/** DeleteConfig: the settings file, its backups and logs, then the folder if nothing else is left. */
function deleteVmFiles(vm: FakeVm): void {
  const folder = dirname(vm.settingsFile);
  for (const file of [vm.settingsFile, `${vm.settingsFile}-prev`, join(folder, 'Logs')]) rmSync(file, { recursive: true, force: true });
  try {
    if (readdirSync(folder).length === 0) rmdirSync(folder);
  } catch {
    // already gone
  }
}

export function list(ctx: Ctx, args: string[]): void {
  let what: string | undefined;
  try {
    for (const a of getopt(args, LIST_OPTIONS, ctx.version.number)) if ('positional' in a) what = a.positional;
  } catch (error) {
    throw getoptExit(ctx, USAGE.list!, error);
  }
  if (what === 'vms' || what === 'runningvms') {
    for (const vm of ctx.state.vms) {
      if (what === 'vms' || vm.state === 'running' || vm.state === 'paused') ctx.stdout += `"${vm.name}" {${vm.uuid}}\n`;
    }
    return;
  }
  if (what === 'hdds' || what === 'dvds') {
    for (const m of ctx.state.media.filter((m) => m.type === (what === 'hdds' ? 'hdd' : 'dvd'))) {
      ctx.stdout += `UUID:           ${m.uuid}\nState:          created\nLocation:       ${m.path}\nStorage format: ${m.format}\n\n`;
    }
    return;
  }
  throw syntaxError(ctx.version, USAGE.list!, `Unknown subcommand '${what ?? ''}'`);
}
