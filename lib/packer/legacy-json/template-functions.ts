// The functions Packer adds to Go templates in JSON templates, with Packer's argument
// order and Go's string semantics. Each takes evaluated arguments and the scope the
// string is evaluated in; a complaint is a FunctionError, which the evaluator places.
import { randomUUID } from 'node:crypto';
import { FunctionError } from '../hcl/functions/function-types.js';
import { formatGoTime, RFC3339 } from './go-time-layout.js';

export type TemplateValue = string | number | boolean | null;

/** What a string's functions may read: which variables, which build, which clock. */
export interface TemplateScope {
  /** `{{ user "x" }}`: the value, undefined when nothing defines the variable, or a FunctionError. */
  user: (name: string) => string | undefined;
  /** Told of a variable that nothing defines: Packer reads it as "", and kiln says so. */
  reportUndefined?: (name: string) => void;
  /** Set only while evaluating variables: env is allowed there and nowhere else. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The builder the string belongs to (build_name, build_type); unset in variables. */
  build?: { name: string; type: string };
  /** The template's folder, absolute. */
  templateDir: string;
  /** The working directory (pwd). */
  cwd: string;
  /** The time the load started: timestamp and isotime give the same instant everywhere. */
  now: Date;
  uuid?: () => string;
}

type TemplateFunction = (args: TemplateValue[], scope: TemplateScope) => string;

const ENV_ONLY_IN_VARIABLES =
  'env is only allowed in the default of a variable (as in Packer): declare a variable such as "home": "{{env `HOME`}}" and write {{user `home`}} here';

export const TEMPLATE_FUNCTIONS: Readonly<Record<string, TemplateFunction>> = {
  user: (args, scope) => {
    const [name] = stringArgs('user', args, 1);
    const value = scope.user(name!);
    if (value === undefined) scope.reportUndefined?.(name!);
    return value ?? '';
  },
  env: (args, scope) => {
    const [name] = stringArgs('env', args, 1);
    if (!scope.env) throw new FunctionError(ENV_ONLY_IN_VARIABLES);
    return scope.env[name!] ?? '';
  },
  build_name: (args, scope) => {
    stringArgs('build_name', args, 0);
    return buildOf('build_name', scope).name;
  },
  build_type: (args, scope) => {
    stringArgs('build_type', args, 0);
    return buildOf('build_type', scope).type;
  },
  template_dir: (args, scope) => {
    stringArgs('template_dir', args, 0);
    return scope.templateDir;
  },
  pwd: (args, scope) => {
    stringArgs('pwd', args, 0);
    return scope.cwd;
  },
  timestamp: (args, scope) => {
    stringArgs('timestamp', args, 0);
    return String(Math.floor(scope.now.getTime() / 1000));
  },
  isotime: (args, scope) => {
    if (args.length > 1) throw new FunctionError(`isotime takes at most one argument (a Go layout such as "2006-01-02"), got ${args.length}`);
    const layout = args.length === 0 ? RFC3339 : stringArgs('isotime', args, 1)[0]!;
    return formatGoTime(scope.now, layout);
  },
  uuid: (args, scope) => {
    stringArgs('uuid', args, 0);
    return (scope.uuid ?? randomUUID)();
  },
  lower: (args) => stringArgs('lower', args, 1)[0]!.toLowerCase(),
  upper: (args) => stringArgs('upper', args, 1)[0]!.toUpperCase(),
  split: (args) => {
    expectCount('split', args, 3, 'a string, a separator and an index');
    const [text, separator] = stringArgs('split', args.slice(0, 2), 2);
    const index = intArg('split', args[2]!, 3);
    const parts = separator === '' ? Array.from(text!) : text!.split(separator!);
    if (index < 0 || index >= parts.length) {
      throw new FunctionError(`split: index ${index} is out of range: the separator splits the string into ${parts.length} part${parts.length === 1 ? '' : 's'} (0 to ${parts.length - 1})`);
    }
    return parts[index]!;
  },
  replace: (args) => {
    expectCount('replace', args, 4, 'old, new, a count and the string (count -1 replaces all)');
    const [old, replacement] = stringArgs('replace', args.slice(0, 2), 2);
    const count = intArg('replace', args[2]!, 3);
    const [text] = stringArgs('replace', args.slice(3), 1, 4);
    return goReplace(text!, old!, replacement!, count);
  },
  replace_all: (args) => {
    expectCount('replace_all', args, 3, 'old, new and the string');
    const [old, replacement, text] = stringArgs('replace_all', args, 3);
    return goReplace(text!, old!, replacement!, -1);
  },
};

/** Functions a Packer template may name that kiln does not evaluate, with what to do instead. */
export const UNSUPPORTED_FUNCTIONS: Readonly<Record<string, string>> = {
  consul_key: 'kiln does not read Consul: pass the value with -var or a var file',
  vault: 'kiln does not read Vault: pass the value with -var or a var file (mark the variable in "sensitive-variables")',
  aws_secretsmanager: 'kiln does not read AWS Secrets Manager: pass the value with -var or a var file (mark the variable in "sensitive-variables")',
  aws_secretsmanager_raw: 'kiln does not read AWS Secrets Manager: pass the value with -var or a var file (mark the variable in "sensitive-variables")',
  packer_version: 'kiln is not Packer and has no Packer version to give: write the value you need into a variable',
  clean_resource_name: 'it belongs to the cloud builders (amazon, googlecompute, azure), which kiln does not run: use lower and replace_all',
  sed: 'Packer removed sed: use replace or replace_all',
  strftime: 'use isotime with a Go layout, e.g. {{isotime `2006-01-02`}} for %Y-%m-%d',
};

/** strings.Replace: the first `count` non-overlapping `old` replaced (all when count < 0). */
export function goReplace(text: string, old: string, replacement: string, count: number): string {
  if (old === replacement || count === 0) return text;
  if (old === '') {
    // Go inserts at the start and after each character, up to `count` times.
    const chars = Array.from(text);
    const limit = count < 0 ? chars.length + 1 : count;
    let out = '';
    for (let i = 0; i <= chars.length; i++) out += (i < limit ? replacement : '') + (chars[i] ?? '');
    return out;
  }
  let out = '';
  let from = 0;
  for (let done = 0; count < 0 || done < count; done++) {
    const at = text.indexOf(old, from);
    if (at < 0) break;
    out += text.slice(from, at) + replacement;
    from = at + old.length;
  }
  return out + text.slice(from);
}

function buildOf(name: string, scope: TemplateScope): { name: string; type: string } {
  if (!scope.build) throw new FunctionError(`${name} is only known inside a builder, provisioner or post-processor, not in a variable`);
  return scope.build;
}

function expectCount(name: string, args: TemplateValue[], count: number, what: string): void {
  if (args.length !== count) throw new FunctionError(`${name} takes ${count} arguments (${what}), got ${args.length}`);
}

/** Checks there are exactly `count` arguments, all strings (Go does not convert to string). */
function stringArgs(name: string, args: TemplateValue[], count: number, firstPosition = 1): string[] {
  if (firstPosition === 1) expectCount(name, args, count, count === 0 ? 'none' : count === 1 ? 'a string' : 'strings');
  return args.map((arg, i) => {
    if (typeof arg !== 'string') throw new FunctionError(`${name}: argument ${i + firstPosition} must be a string, got ${describe(arg)} (quote it)`);
    return arg;
  });
}

function intArg(name: string, arg: TemplateValue, position: number): number {
  if (typeof arg !== 'number' || !Number.isInteger(arg)) {
    throw new FunctionError(`${name}: argument ${position} must be a whole number, got ${typeof arg === 'string' ? 'a string (write the number without quotes)' : describe(arg)}`);
  }
  return arg;
}

const describe = (value: TemplateValue): string => (value === null ? 'nil' : typeof value === 'number' ? `the number ${value}` : typeof value === 'boolean' ? `${value}` : 'a string');
