// The parsed document as plain data, with `{{ var `NAME` }}` substituted in every string
// value (except under `variables:` itself) and every `{{ ... }}` expression checked.
// Remembers how substitution moved text, so later findings still point into the file.
import { isAlias, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import { didYouMean } from '../util/did-you-mean.js';
import { own } from '../util/own.js';
import { scanExpressions } from './expressions.js';
import { pathKey, type Finding, type Segment } from './finding.js';
import { substituteVariables } from './render.js';
import { schemaAt } from './schema.js';

export interface TemplateData {
  data: unknown;
  /** Problems with expressions and variables; offsets are into the strings as written. */
  findings: Finding[];
  /** Paths of strings that use a variable without a value: other findings there are noise. */
  unresolved: Set<string>;
  /** Re-points findings whose offsets are into substituted strings at the text as written. */
  mapOffsets(findings: Finding[]): Finding[];
}

export function templateData(doc: Document, values: Record<string, string>, declared: ReadonlySet<string>): TemplateData {
  const findings: Finding[] = [];
  const unresolved = new Set<string>();
  const mappers = new Map<string, (offset: number) => number>();
  const walking = new Set<Node>();

  const substitute = (text: string, path: Segment[]): unknown => {
    const result = substituteVariables(text, (name) => own(values, name));
    for (const { offset, message } of result.problems) findings.push({ path, message, offset });
    for (const { name, offset } of result.missing) {
      findings.push({ path, offset, message: missingMessage(name, declared) });
      unresolved.add(pathKey(path));
    }
    for (const { name, offset, value } of result.used) {
      const scan = scanExpressions(value);
      const problem = scan.problems[0]?.message;
      const nested = scan.pieces.some((p) => p.kind === 'expression' && p.expression.kind === 'var');
      if (problem) findings.push({ path, offset, message: `the value of variable "${name}" has a bad placeholder: ${problem}` });
      else if (nested) findings.push({ path, offset, message: `the value of variable "${name}" uses another variable: variable values are not expanded, write the text itself` });
    }
    if (result.text !== text) mappers.set(pathKey(path), result.mapOffset);
    return result.whole ? retype(result.text, path) : result.text;
  };

  const walk = (node: unknown, path: Segment[], literal: boolean): unknown => {
    if (isAlias(node)) node = node.resolve(doc);
    if (!node || typeof node !== 'object') return null;
    if (walking.has(node as Node)) {
      findings.push({ path, message: 'an alias refers to a mapping or list that contains it: remove the recursion' });
      return null;
    }
    walking.add(node as Node);
    try {
      if (isMap(node)) {
        const out: Record<string, unknown> = {};
        for (const pair of node.items) {
          if (!isScalar(pair.key)) {
            const at = (pair.key as Node | null)?.range?.[0];
            findings.push({ path, message: 'a key must be plain text, not a mapping or list', ...(at === undefined ? {} : { sourceOffset: at }) });
            continue;
          }
          const key = String(pair.key.value);
          // defineProperty: a key named "__proto__" must stay a key.
          Object.defineProperty(out, key, {
            value: walk(pair.value, [...path, key], literal || (path.length === 0 && key === 'variables')),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
        return out;
      }
      if (isSeq(node)) return node.items.map((item, i) => walk(item, [...path, i], literal));
      if (isScalar(node)) {
        const value = node.value;
        if (typeof value === 'string' && !literal) return substitute(value, path);
        return value === undefined ? null : value;
      }
      return null;
    } finally {
      walking.delete(node as Node);
    }
  };

  const data = walk(doc.contents, [], false);
  return {
    data,
    findings,
    unresolved,
    mapOffsets: (list) =>
      list.map((f) => {
        const mapper = f.offset === undefined ? undefined : mappers.get(pathKey(f.path));
        return mapper ? { ...f, offset: mapper(f.offset!) } : f;
      }),
  };
}

function missingMessage(name: string, declared: ReadonlySet<string>): string {
  if (declared.has(name)) return `variable "${name}" has no value: pass --var ${name}=... or give it a default under variables:`;
  const suggestion = didYouMean(name, declared);
  return suggestion
    ? `variable "${name}" is not declared${suggestion}`
    : `variable "${name}" is not declared: add it under variables: (with a default, or pass --var ${name}=...)`;
}

/**
 * `cpus: "{{ var `cpus` }}"` is a string in the file, but the value is meant as a number:
 * a string that is exactly one variable takes the type the schema wants there.
 */
function retype(text: string, path: Segment[]): unknown {
  const type = schemaAt(path)?.type;
  const types = Array.isArray(type) ? type : type ? [type] : [];
  if (types.includes('string')) return text;
  if ((types.includes('integer') || types.includes('number')) && /^-?\d+(\.\d+)?$/.test(text.trim())) return Number(text);
  if (types.includes('boolean') && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}
