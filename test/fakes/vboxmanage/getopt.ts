// A small RTGetOpt: long options with the value in the next argument or after '='
// or ':', indexed options (--nic1 nat, --boot2=dvd), typed values (uint32, on|off,
// UUID), positional arguments in between. Errors carry what errorGetOpt would print.

import type { OptionDef, ValueKind } from './grammar.js';

export interface ParsedOption {
  def: OptionDef;
  /** The spelling used, e.g. --natpf */
  name: string;
  index?: number;
  value?: string;
}

export type ParsedArg = { option: ParsedOption } | { positional: string };

export class GetoptError extends Error {
  constructor(
    message: string,
    readonly kind: 'unknown' | 'missing' | 'format' | 'index',
    readonly arg: string,
  ) {
    super(message);
  }
}

/** RTGetOpt as an iterator: options are parsed one by one, and a handler may fetch extra values. */
export class Getopt {
  private i = 0;
  private readonly active: OptionDef[];

  constructor(
    private readonly args: readonly string[],
    defs: readonly OptionDef[],
    version: number,
  ) {
    this.active = defs.filter((d) => (d.since ?? 0) <= version);
  }

  /** The next option or positional argument; undefined at the end; throws GetoptError. */
  next(): ParsedArg | undefined {
    if (this.i >= this.args.length) return undefined;
    const arg = this.args[this.i++]!;
    const match = findOption(arg, this.active);
    if (!match) {
      if (arg.startsWith('-') && arg !== '-') throw new GetoptError(`Unknown option: ${arg}`, 'unknown', arg);
      return { positional: arg };
    }
    const { def, name, index, attached } = match;
    if (def.indexed && index === undefined) throw new GetoptError(`${name}: Index missing`, 'index', arg);
    let value = attached;
    if (def.value !== 'none' && value === undefined) {
      if (this.i >= this.args.length) throw new GetoptError(`${name}: The required option argument is missing`, 'missing', arg);
      value = this.args[this.i++]!;
    }
    if (def.value !== 'none' && !validValue(def.value, value!)) {
      throw new GetoptError(`Invalid argument format: ${value}`, 'format', value!);
    }
    return { option: { def, name, index, value: def.value === 'none' ? undefined : value } };
  }

  /** RTGetOptFetchValue: the next raw argument as a further value of the current option. */
  fetchValue(kind: ValueKind = 'string'): string | undefined {
    const value = this.args[this.i];
    if (value === undefined || !validValue(kind, value)) return undefined;
    this.i++;
    return value;
  }
}

/** Parses everything at once (for commands that check nothing between options). */
export function getopt(args: readonly string[], defs: readonly OptionDef[], version: number): ParsedArg[] {
  const go = new Getopt(args, defs, version);
  const out: ParsedArg[] = [];
  for (let a = go.next(); a; a = go.next()) out.push(a);
  return out;
}

function findOption(arg: string, defs: readonly OptionDef[]): { def: OptionDef; name: string; index?: number; attached?: string } | undefined {
  for (const def of defs) {
    for (const name of def.names) {
      if (!arg.startsWith(name)) continue;
      let rest = arg.slice(name.length);
      let index: number | undefined;
      if (def.indexed) {
        const digits = /^\d+/.exec(rest)?.[0];
        if (digits) {
          index = Number(digits);
          rest = rest.slice(digits.length);
        }
      }
      if (rest === '') return { def, name, index };
      if ((rest[0] === '=' || rest[0] === ':') && def.value !== 'none') return { def, name, index, attached: rest.slice(1) };
    }
  }
  return undefined;
}

function validValue(kind: ValueKind, value: string): boolean {
  switch (kind) {
    case 'uint32':
      return /^(0x[0-9a-f]+|\d+)$/i.test(value) && Number(value) <= 0xffffffff;
    case 'uint64':
      return /^(0x[0-9a-f]+|\d+)$/i.test(value);
    case 'int64':
      return /^-?\d+$/.test(value);
    case 'onoff':
      return value === 'on' || value === 'off';
    case 'uuid':
      return /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i.test(value);
    default:
      return true;
  }
}
