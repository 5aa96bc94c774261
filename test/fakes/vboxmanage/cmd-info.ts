// showvminfo (VBoxManageInfo.cpp): --machinereadable prints key="value" lines, keys
// with spaces or dashes quoted; without it, a human-readable summary.

import { dirname, join } from 'node:path';
import { getoptExit, macFor, OS_TYPES, requireVm, type Ctx } from './context.js';
import { SHOWVMINFO_OPTIONS } from './grammar.js';
import { USAGE } from './usage.js';
import { getopt, GetoptError } from './getopt.js';
import type { FakeVm } from './state.js';

export function showvminfo(ctx: Ctx, args: string[]): void {
  let name: string | undefined;
  let machineReadable = false;
  try {
    for (const a of getopt(args, SHOWVMINFO_OPTIONS, ctx.version.number)) {
      if ('positional' in a) {
        if (name !== undefined) throw new GetoptError(`Invalid parameter '${a.positional}'`, 'unknown', a.positional);
        name = a.positional;
      } else if (a.option.def.key === 'machinereadable') machineReadable = true;
    }
  } catch (error) {
    throw getoptExit(ctx, USAGE.showvminfo!, error);
  }
  const vm = requireVm(ctx, name, 'VBoxManageInfo.cpp');
  ctx.stdout += machineReadable ? machineReadableInfo(vm) : humanInfo(vm);
}

const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export function machineReadableInfo(vm: FakeVm): string {
  const s = vm.settings;
  const folder = dirname(vm.settingsFile);
  const lines: string[] = [
    `name=${q(vm.name)}`,
    'groups="/"',
    `ostype=${q(OS_TYPES[vm.ostype] ?? vm.ostype)}`,
    `UUID=${q(vm.uuid)}`,
    `CfgFile=${q(vm.settingsFile)}`,
    `SnapFldr=${q(join(folder, 'Snapshots'))}`,
    `LogFldr=${q(join(folder, 'Logs'))}`,
    `memory=${s.memory}`,
    `vram=${s.vram}`,
    `cpus=${s.cpus}`,
    `chipset=${q(s.chipset ?? 'piix3')}`,
    `firmware=${q((s.firmware ?? 'bios') === 'bios' ? 'BIOS' : 'EFI')}`,
    `ioapic=${q(s.ioapic ?? 'off')}`,
    `acpi=${q(s.acpi ?? 'on')}`,
    `graphicscontroller=${q(s.graphicscontroller ?? 'vboxvga')}`,
    ...[1, 2, 3, 4].map((i) => `boot${i}=${q(s[`boot${i}`] ?? 'none')}`),
    `VMState=${q(vm.state)}`,
    `VMStateChangeTime=${q(new Date(vm.stateChangedAt).toISOString().replace('Z', '000000'))}`,
  ];
  vm.controllers.forEach((c, i) => {
    lines.push(
      `storagecontrollername${i}=${q(c.name)}`,
      `storagecontrollertype${i}=${q(c.type)}`,
      `storagecontrollerinstance${i}="0"`,
      `storagecontrollerportcount${i}="${c.portCount}"`,
      `storagecontrollerbootable${i}=${q(c.bootable ? 'on' : 'off')}`,
    );
  });
  for (const c of vm.controllers) {
    for (const a of vm.attachments.filter((x) => x.controller === c.name)) {
      lines.push(`${q(`${c.name}-${a.port}-${a.device}`)}=${q(a.medium || 'emptydrive')}`);
    }
  }
  for (let nic = 1; nic <= 8; nic++) {
    const type = s[`nic${nic}`] ?? 'none';
    lines.push(`nic${nic}=${q(type)}`);
    if (type === 'none') continue;
    if (type === 'nat') lines.push(`natnet${nic}=${q(s[`natnet${nic}`] ?? 'nat')}`);
    lines.push(`macaddress${nic}=${q(macFor(vm, nic))}`, `cableconnected${nic}=${q(s[`cableconnected${nic}`] ?? 'on')}`, `nictype${nic}=${q(s[`nictype${nic}`] ?? '82540EM')}`);
    vm.natRules.filter((r) => r.nic === nic).forEach((r, i) => lines.push(`Forwarding(${i})=${q(r.rule)}`));
  }
  for (let port = 1; port <= 4; port++) {
    const uart = s[`uart${port}`] ?? 'off';
    lines.push(`uart${port}=${q(uart)}`);
    if (uart !== 'off') lines.push(`uartmode${port}=${q(s[`uartmode${port}`] ?? 'disconnected')}`);
  }
  return `${lines.join('\n')}\n`;
}

function humanInfo(vm: FakeVm): string {
  const state = vm.state === 'poweroff' ? 'powered off' : vm.state;
  return `Name:                        ${vm.name}\nGuest OS:                    ${OS_TYPES[vm.ostype] ?? vm.ostype}\nUUID:                        ${vm.uuid}\nConfig file:                 ${vm.settingsFile}\nMemory size:                 ${vm.settings.memory}MB\nNumber of CPUs:              ${vm.settings.cpus}\nState:                       ${state} (since ${new Date(vm.stateChangedAt).toISOString()})\n`;
}
