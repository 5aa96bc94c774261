// modifyvm (VBoxManageModifyVM.cpp): options are applied one by one to the locked
// session machine and saved only if all succeed, so a failed call changes nothing.
// Exit codes follow the source: most errors set E_FAIL and end in exit 1; errorSyntax
// and errorArgument returned directly (bad --boot device, --natpf with missing
// fields, --uart without an IRQ) exit 2.

import { getoptExit, OS_TYPES, requireVm, requireWriteLock, type Ctx } from './context.js';
import { formAccepts, MODIFYVM_OPTIONS, VALUE_FORMS } from './grammar.js';
import { USAGE } from './usage.js';
import { Getopt, type ParsedOption } from './getopt.js';
import { comError, errorLine, plainError, syntaxError } from './output.js';
import type { FakeVm } from './state.js';

const NIC_KEYS = new Set(['nic', 'nictype', 'cableconnected', 'natpf', 'natnet', 'natdnsproxy', 'natdnshostresolver', 'natlocalhostreachable', 'macaddress', 'bridgeadapter', 'hostonlyadapter', 'intnet']);
const RANGES: Record<string, [number, number, string]> = {
  memory: [4, 2097152, 'Invalid RAM size: %u MB (must be in range [4, 2097152] MB)'],
  cpus: [1, 64, 'Invalid virtual CPU count: %u (must be in range [1, 64])'],
  vram: [1, 256, 'Invalid VRAM size: %u MB (must be in range [1, 256] MB)'],
};
const FILE = 'VBoxManageModifyVM.cpp';

export function modifyvm(ctx: Ctx, args: string[]): void {
  if (args.length < 2) throw syntaxError(ctx.version, USAGE.modifyvm!, 'Not enough parameters');
  const vm = requireVm(ctx, args[0], FILE);
  requireWriteLock(ctx, vm, FILE);
  const draft: Pick<FakeVm, 'settings' | 'natRules' | 'name' | 'ostype'> = structuredClone({ settings: vm.settings, natRules: vm.natRules, name: vm.name, ostype: vm.ostype });
  const go = new Getopt(args.slice(1), MODIFYVM_OPTIONS, ctx.version.number);
  for (;;) {
    let a;
    try {
      a = go.next();
    } catch (error) {
      throw getoptExit(ctx, USAGE.modifyvm!, error, 1);
    }
    if (!a) break;
    if ('positional' in a) throw syntaxError(ctx.version, USAGE.modifyvm!, `Invalid parameter '${a.positional}'`, 1);
    apply(ctx, vm, draft, a.option, go);
  }
  Object.assign(vm, draft);
}

function apply(ctx: Ctx, vm: FakeVm, draft: Pick<FakeVm, 'settings' | 'natRules' | 'name' | 'ostype'>, o: ParsedOption, go: Getopt): void {
  const { key, index } = { key: o.def.key, index: o.index ?? 0 };
  const value = o.value ?? '';
  const maxNics = (draft.settings.chipset ?? 'piix3') === 'ich9' ? 36 : 8;
  if (NIC_KEYS.has(key) && (index < 1 || index > maxNics)) {
    // parseNum() complains but the handler only `break`s: VBoxManage goes on and exits 0.
    ctx.stderr += errorLine(`Invalid NIC number ${index}`);
    return;
  }
  const form = VALUE_FORMS[key];
  if (form && key !== 'uarttype' && !formAccepts(form, value, ctx.version.number)) {
    const message = form.error.replace('%s', value).replace('%u', String(index));
    throw plainError(message, form.exit);
  }
  const range = RANGES[key];
  if (range && (Number(value) < range[0] || Number(value) > range[1])) {
    throw comError({ message: range[2].replace('%u', String(Number(value))), result: 'E_INVALIDARG', component: 'MachineWrap', iface: 'IMachine', context: `COMSETTER(${key})(ValueUnion.u32)`, file: FILE });
  }
  switch (key) {
    case 'name':
      draft.name = value;
      return;
    case 'ostype':
      if (!(value in OS_TYPES)) throw comError({ message: `Guest OS type '${value}' is invalid`, result: 'E_INVALIDARG', component: 'MachineWrap', iface: 'IMachine', context: 'COMSETTER(OSTypeId)(Bstr(ValueUnion.psz).raw())', file: FILE });
      draft.ostype = value;
      return;
    case 'audio':
      if (ctx.version.number >= 700) ctx.stderr += 'Warning: --audio is deprecated and will be removed soon. Use --audio-driver instead!\n';
      draft.settings.audio = value.toLowerCase();
      return;
    case 'boot':
      if (index < 1 || index > 4) throw comError({ message: `Invalid boot position: ${index} (must be in range [1, 4])`, result: 'E_INVALIDARG', component: 'MachineWrap', iface: 'IMachine', context: 'SetBootOrder(GetOptState.uIndex, DeviceType_Null)', file: FILE });
      draft.settings[`boot${index}`] = value.toLowerCase();
      return;
    case 'natpf':
      return natpf(ctx, draft, o, index, go);
    case 'uart':
    case 'uartmode':
    case 'uarttype':
      return serial(ctx, draft, o, index, go);
    default:
      draft.settings[`${key}${o.def.indexed ? index : ''}`] = form ? value.toLowerCase() : value;
  }
}

function natpf(ctx: Ctx, draft: Pick<FakeVm, 'natRules'>, o: ParsedOption, nic: number, go: Getopt): void {
  const value = o.value ?? '';
  const engine = { result: 'E_INVALIDARG' as const, component: 'NATEngineWrap', iface: 'INATEngine', file: FILE };
  if (value === 'delete') {
    const name = go.fetchValue();
    if (name === undefined) throw syntaxError(ctx.version, USAGE.modifyvm!, 'Not enough parameters');
    const before = draft.natRules.length;
    draft.natRules = draft.natRules.filter((r) => !(r.nic === nic && r.rule.split(',')[0] === name));
    if (draft.natRules.length === before) throw comError({ ...engine, message: 'A NAT rule of this name does not exist', context: 'RemoveRedirect(Bstr(ValueUnion.psz).raw())' });
    return;
  }
  const fields = value.split(',');
  if (fields.length < 6) throw syntaxError(ctx.version, USAGE.modifyvm!, `Missing or invalid argument to '${o.name}'`);
  const [name, proto, hostIp, hostPort, guestIp, ...guestPort] = fields.map((f) => f.trim());
  if (!/^(tcp|udp)$/i.test(proto!)) throw plainError(`Invalid proto '${value}' specfied for NIC ${nic}`, 1);
  const rule = [name, proto!.toLowerCase(), hostIp, String(Number(hostPort) & 0xffff), guestIp, String(Number(guestPort.join(',')) & 0xffff)].join(',');
  const mine = draft.natRules.filter((r) => r.nic === nic).map((r) => r.rule.split(','));
  if (mine.some((r) => r[0] === name)) throw comError({ ...engine, message: 'A NAT rule of this name already exists', context: 'AddRedirect(Bstr(strName).raw(), proto, ...)' });
  if (mine.some((r) => r[1] === proto!.toLowerCase() && r[2] === hostIp && r[3] === hostPort)) {
    throw comError({ ...engine, message: 'A NAT rule for this host port and this host IP already exists', context: 'AddRedirect(Bstr(strName).raw(), proto, ...)' });
  }
  draft.natRules.push({ nic, rule });
}

function serial(ctx: Ctx, draft: Pick<FakeVm, 'settings'>, o: ParsedOption, slot: number, go: Getopt): void {
  if (slot < 1 || slot > 4) {
    throw comError({ message: `Invalid Serial port slot: ${slot - 1} (must be in range [0, 3])`, result: 'E_INVALIDARG', component: 'MachineWrap', iface: 'IMachine', context: 'GetSerialPort(GetOptState.uIndex - 1, uart.asOutParam())', file: FILE });
  }
  const value = o.value ?? '';
  const missing = () => syntaxError(ctx.version, USAGE.modifyvm!, `Missing or invalid argument to '${o.name}'`);
  if (o.def.key === 'uarttype') {
    if (!formAccepts(VALUE_FORMS.uarttype!, value, 0)) throw syntaxError(ctx.version, USAGE.modifyvm!, `Invalid argument to '${o.name}'`);
    draft.settings[`uarttype${slot}`] = value;
  } else if (o.def.key === 'uart') {
    if (/^(off|disable)$/i.test(value)) {
      draft.settings[`uart${slot}`] = 'off';
      return;
    }
    const irq = go.fetchValue('uint32');
    if (irq === undefined) throw missing();
    const base = /^(0x[0-9a-f]+|0[0-7]*|[1-9]\d*)$/i.test(value) ? Number(value.startsWith('0') && !/^0x/i.test(value) ? parseInt(value, 8) : value) : 0;
    if (!base) throw plainError(`Error parsing UART I/O base '${value}'`, 2);
    draft.settings[`uart${slot}`] = `0x${base.toString(16).padStart(4, '0')},${Number(irq)}`;
  } else if (/^disconnected$/i.test(value)) {
    draft.settings[`uartmode${slot}`] = 'disconnected';
  } else if (/^(server|client|tcpserver|tcpclient|file)$/i.test(value)) {
    const path = go.fetchValue();
    if (path === undefined) throw missing();
    draft.settings[`uartmode${slot}`] = `${value.toLowerCase()},${path}`;
  } else {
    draft.settings[`uartmode${slot}`] = value; // a host device
  }
}
