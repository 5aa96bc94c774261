// Encodings: base64, JSON, YAML, URL query escaping. Encoders write what cty writes:
// JSON with sorted keys, no spaces and HTML-sensitive characters escaped; YAML with
// double-quoted strings (literal blocks for multi-line ones) and unindented sequences.
import { Document, isScalar, visit } from 'yaml';
import { parseYamlDocument, YAML_MAX_ALIASES } from '../../../util/yaml-document.js';
import { family, fn } from './arguments.js';
import { FunctionError, type HclValue } from './function-types.js';
import { compareText, isMap, normalise, numberToString } from './values.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(name: string, bytes: Uint8Array, what: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new FunctionError(`${name}: ${what} is not valid UTF-8`);
  }
}

function base64Decode(text: string): string {
  // Go's StdEncoding: padded, the standard alphabet; line breaks are skipped.
  const compact = text.replace(/[\r\n]/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) {
    throw new FunctionError(`base64decode: the string is not valid base64 (standard alphabet, padded with =)`);
  }
  return decodeUtf8('base64decode', Buffer.from(compact, 'base64'), 'the decoded result');
}

const JSON_HTML_ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

export function jsonEncode(value: HclValue): string {
  if (value === null) return 'null';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new FunctionError(`jsonencode: cannot encode ${numberToString(value)} in JSON`);
    return numberToString(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => JSON_HTML_ESCAPES[c] ?? c);
  if (Array.isArray(value)) return `[${value.map(jsonEncode).join(',')}]`;
  return `{${Object.keys(value).sort(compareText).map((key) => `${jsonEncode(key)}:${jsonEncode(value[key] ?? null)}`).join(',')}}`;
}

function jsonDecode(text: string): HclValue {
  try {
    return normalise(JSON.parse(text) as HclValue);
  } catch (error) {
    throw new FunctionError(`jsondecode: the string is not valid JSON: ${(error as Error).message}`);
  }
}

function yamlEncode(value: HclValue): string {
  const doc = new Document(normalise(value));
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === 'string') node.type = node.value.includes('\n') ? 'BLOCK_LITERAL' : 'QUOTE_DOUBLE';
    },
    Pair(_, pair) {
      if (isScalar(pair.key)) pair.key.type = 'QUOTE_DOUBLE';
    },
  });
  const text = doc.toString({ indentSeq: false, lineWidth: 0 });
  // A lone scalar other than a string gets Go's explicit document end, as cty writes it.
  return value === null || typeof value === 'number' || typeof value === 'boolean' ? `${text}...\n` : text;
}

function yamlDecode(text: string): HclValue {
  // YAML 1.1 as Packer's decoder reads it: yes/no/on/off are bools, 0755 is octal, << merges.
  const doc = parseYamlDocument(text, { version: '1.1', merge: true });
  const [error] = doc.errors;
  if (error?.code === 'MULTIPLE_DOCS') throw new FunctionError('yamldecode: the string holds more than one YAML document; yamldecode reads exactly one');
  if (error) {
    const message = (error.message.split('\n')[0] ?? '').replace(/:$/, '');
    const before = text.slice(0, error.pos[0]);
    const position = / at line \d+/.test(message) ? '' : ` at line ${before.split('\n').length}, column ${before.length - before.lastIndexOf('\n')}`;
    throw new FunctionError(`yamldecode: the string is not valid YAML: ${message}${position}`);
  }
  const data = doc.toJS({ maxAliasCount: YAML_MAX_ALIASES }) as unknown;
  return normalise(toHclValue(data));
}

/** YAML timestamps become RFC 3339 strings, as cty has no time type; anything else HCL cannot hold is refused by name. */
function toHclValue(data: unknown): HclValue {
  if (data === null || data === undefined) return null;
  if (data instanceof Date) return data.toISOString().replace(/\.\d+Z$/, 'Z');
  if (typeof data === 'string' || typeof data === 'boolean') return data;
  if (typeof data === 'number') return data;
  if (Array.isArray(data)) return data.map(toHclValue);
  if (isMap(data as HclValue) && Object.getPrototypeOf(data) === Object.prototype) {
    return Object.fromEntries(Object.entries(data as Record<string, unknown>).map(([k, v]) => [k, toHclValue(v)]));
  }
  throw new FunctionError(`yamldecode: the document holds a value HCL has no type for (${Object.prototype.toString.call(data)})`);
}

/** Go's url.QueryEscape: letters, digits and -_.~ stay; a space is "+"; the rest is %XX of each UTF-8 byte. */
function queryEscape(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(char) ? char : byte === 0x20 ? '+' : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export const encodingFunctions = family({
  base64encode: fn(['string'], ([s]) => Buffer.from(s, 'utf8').toString('base64')),
  base64decode: fn(['string'], ([s]) => base64Decode(s)),
  jsonencode: fn(['any'], ([value]) => jsonEncode(value)),
  jsondecode: fn(['string'], ([s]) => jsonDecode(s)),
  yamlencode: fn(['any'], ([value]) => yamlEncode(value)),
  yamldecode: fn(['string'], ([s]) => yamlDecode(s)),
  urlencode: fn(['string'], ([s]) => queryEscape(s)),
});
