// Variable type constraints (`type = list(string)`): parsed from the expression as
// written, and applied to a value with HCL's conversions (type-conversion.ts).
import type { HclExpr } from './ast.js';
import { evaluate } from './evaluate.js';
import type { HclValue } from './functions/function-types.js';
import { HclError } from './hcl-error.js';

export { convertToType, TypeConversionError } from './type-conversion.js';

export type TypeConstraint =
  | { kind: 'string' | 'number' | 'bool' | 'any' }
  | { kind: 'list' | 'set' | 'map'; element: TypeConstraint }
  | { kind: 'tuple'; elements: TypeConstraint[] }
  | { kind: 'object'; attributes: ObjectAttribute[] };

export interface ObjectAttribute {
  name: string;
  type: TypeConstraint;
  /** optional(T) or optional(T, default): may be left out of the value. */
  optional: boolean;
  /** What a left-out optional attribute becomes (null when not given). */
  default?: HclValue;
}

const PRIMITIVES = new Set(['string', 'number', 'bool', 'any']);
const COLLECTIONS = new Set(['list', 'set', 'map']);
const EXPECTED = 'a type is string, number, bool, any, list(T), set(T), map(T), tuple([T, ...]) or object({ name = T, ... })';

export function parseTypeConstraint(expr: HclExpr): TypeConstraint {
  switch (expr.kind) {
    case 'variable':
      if (PRIMITIVES.has(expr.name)) return { kind: expr.name as 'string' };
      if (COLLECTIONS.has(expr.name)) throw new HclError(`"${expr.name}" needs its element type, as in ${expr.name}(string)`, expr.span);
      if (expr.name === 'tuple' || expr.name === 'object') throw new HclError(`"${expr.name}" needs its ${expr.name === 'tuple' ? 'element types, as in tuple([string, number])' : 'attributes, as in object({ name = string })'}`, expr.span);
      throw new HclError(`unknown type "${expr.name}"; ${EXPECTED}`, expr.span);
    case 'literal':
      if (typeof expr.value === 'string' && (PRIMITIVES.has(expr.value) || COLLECTIONS.has(expr.value))) {
        throw new HclError(`a type is written without quotes: ${expr.value}${COLLECTIONS.has(expr.value) ? '(string)' : ''}`, expr.span);
      }
      throw new HclError(EXPECTED, expr.span);
    case 'call':
      return parseTypeCall(expr);
    default:
      throw new HclError(EXPECTED, expr.span);
  }
}

function parseTypeCall(expr: Extract<HclExpr, { kind: 'call' }>): TypeConstraint {
  const [first, ...rest] = expr.args;
  const needsOne = (): HclExpr => {
    if (first === undefined || rest.length > 0 || expr.expandFinal) throw new HclError(`${expr.name}() takes exactly one argument`, expr.span);
    return first;
  };
  switch (expr.name) {
    case 'list':
    case 'set':
    case 'map':
      return { kind: expr.name, element: parseTypeConstraint(needsOne()) };
    case 'tuple': {
      const elements = needsOne();
      if (elements.kind !== 'tuple') throw new HclError('tuple() takes a list of element types, as in tuple([string, number])', elements.span);
      return { kind: 'tuple', elements: elements.items.map(parseTypeConstraint) };
    }
    case 'object': {
      const attributes = needsOne();
      if (attributes.kind !== 'object') throw new HclError('object() takes an object of attribute types, as in object({ name = string })', attributes.span);
      const parsed = attributes.items.map((item) => parseAttribute(item.key, item.value));
      parsed.forEach(({ name }, i) => {
        if (parsed.findIndex((other) => other.name === name) !== i) throw new HclError(`attribute "${name}" is given twice in object({ ... })`, attributes.items[i]!.key.span);
      });
      return { kind: 'object', attributes: parsed };
    }
    case 'optional':
      throw new HclError('optional() marks an attribute inside object({ ... }); it is not a type by itself', expr.span);
    default:
      throw new HclError(`unknown type constructor "${expr.name}"; ${EXPECTED}`, expr.span);
  }
}

function parseAttribute(key: HclExpr, value: HclExpr): ObjectAttribute {
  if (key.kind !== 'literal' || typeof key.value !== 'string') throw new HclError('an attribute name in object({ ... }) must be a name', key.span);
  const name = key.value;
  if (value.kind !== 'call' || value.name !== 'optional') return { name, type: parseTypeConstraint(value), optional: false };
  const [type, fallback, ...extra] = value.args;
  if (type === undefined || extra.length > 0 || value.expandFinal) throw new HclError('optional() takes a type and, optionally, a default value', value.span);
  const parsed = parseTypeConstraint(type);
  if (fallback === undefined) return { name, type: parsed, optional: true };
  return { name, type: parsed, optional: true, default: constantValue(fallback) };
}

/** A default value: a constant expression, with no names or functions to read. */
function constantValue(expr: HclExpr): HclValue {
  try {
    return evaluate(expr, {
      resolve: () => undefined,
      functions: {},
      functionContext: { cwd: '.', env: {}, now: () => new Date(0) },
    });
  } catch (error) {
    if (error instanceof HclError) throw new HclError(`an optional() default must be a constant value: ${error.message}`, error.span);
    throw error;
  }
}

/** The type in words for messages: "string", "list of string", "object with name (string)". */
export function describeType(type: TypeConstraint): string {
  switch (type.kind) {
    case 'list':
    case 'set':
    case 'map':
      return `${type.kind} of ${describeType(type.element)}`;
    case 'tuple':
      return `tuple of [${type.elements.map(describeType).join(', ')}]`;
    case 'object':
      if (type.attributes.length === 0) return 'object';
      return `object with ${type.attributes.map((a) => `${a.name} (${a.optional ? 'optional ' : ''}${describeType(a.type)})`).join(', ')}`;
    default:
      return type.kind === 'any' ? 'value of any type' : type.kind;
  }
}
