// Packer's settings as kiln's key handlers need them. Packer decodes loosely (legacy JSON
// templates write "2048" for a number and "true" for a boolean, since a user variable is
// a string), so these readers accept what Packer's decoder accepts and report the rest.
import type { PackerValue, PluginConfig, Setting, SourcePos } from '../model.js';
import type { Translator } from './translator.js';

const TRUE_WORDS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE_WORDS = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

export function describeValue(value: PackerValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value);
}

function wrongType(t: Translator, key: string, setting: Setting, expected: string): undefined {
  t.problem(setting.pos, `${key}: expected ${expected}, got ${t.masked(describeValue(setting.value))}`);
  return undefined;
}

export function readString(t: Translator, key: string, setting: Setting): string | undefined {
  const { value } = setting;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return wrongType(t, key, setting, 'a string');
}

export function readNumber(t: Translator, key: string, setting: Setting): number | undefined {
  const { value } = setting;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return wrongType(t, key, setting, 'a number');
}

export function readInteger(t: Translator, key: string, setting: Setting): number | undefined {
  const n = readNumber(t, key, setting);
  if (n === undefined || Number.isInteger(n)) return n;
  return wrongType(t, key, setting, 'a whole number');
}

export function readBoolean(t: Translator, key: string, setting: Setting): boolean | undefined {
  const { value } = setting;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && TRUE_WORDS.has(value)) return true;
  if (typeof value === 'string' && FALSE_WORDS.has(value)) return false;
  return wrongType(t, key, setting, 'true or false');
}

/** A list of strings; a single string is a list of one, as Packer's decoder allows. */
export function readStringList(t: Translator, key: string, setting: Setting): string[] | undefined {
  const { value } = setting;
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) {
    return value.map(String);
  }
  return wrongType(t, key, setting, 'a list of strings');
}

/** qemuargs, vboxmanage: a list of argument lists. */
export function readStringMatrix(t: Translator, key: string, setting: Setting): string[][] | undefined {
  const { value } = setting;
  const rows = Array.isArray(value) ? value : undefined;
  if (rows && rows.every((row) => Array.isArray(row) && row.every((v) => typeof v === 'string' || typeof v === 'number'))) {
    return (rows as (string | number)[][]).map((row) => row.map(String));
  }
  return wrongType(t, key, setting, 'a list of argument lists');
}

/** A mapping of strings (http_content, env, custom_data). */
export function readStringMap(t: Translator, key: string, setting: Setting): Record<string, string> | undefined {
  const { value } = setting;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.every(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) {
      return Object.fromEntries(entries.map(([k, v]) => [k, String(v)]));
    }
  }
  return wrongType(t, key, setting, 'a mapping of strings');
}

/** environment_vars: ["NAME=value", ...] -> { NAME: value }; an entry without "=" is refused, as Packer does. */
export function readEnvironmentVars(t: Translator, key: string, setting: Setting): Record<string, string> | undefined {
  const list = readStringList(t, key, setting);
  if (!list) return undefined;
  const pairs: [string, string][] = [];
  for (const entry of list) {
    const eq = entry.indexOf('=');
    if (eq <= 0) t.problem(setting.pos, `${key}: ${t.masked(JSON.stringify(entry))} is not NAME=value: write each entry as NAME=value`);
    else pairs.push([entry.slice(0, eq), entry.slice(eq + 1)]);
  }
  // fromEntries makes own properties whatever the name (__proto__ included).
  return Object.fromEntries(pairs);
}

/**
 * A block's environment as Packer assembles it: `environment_vars` ("NAME=value"), then
 * `env` (a map) over it, over `base`; with the position to credit. undefined: neither given.
 */
export function blockEnvironment(t: Translator, block: PluginConfig, base: Record<string, string> = {}): { env: Record<string, string>; pos: SourcePos } | undefined {
  let env = base;
  let pos: SourcePos | undefined;
  for (const key of ['environment_vars', 'env']) {
    const setting = Object.hasOwn(block.settings, key) ? block.settings[key] : undefined;
    if (!setting) continue;
    pos ??= setting.pos;
    const values = key === 'env' ? readStringMap(t, key, setting) : readEnvironmentVars(t, key, setting);
    if (values) env = { ...env, ...values };
  }
  return pos ? { env, pos } : undefined;
}
