// Each function declares its parameters' kinds once; the arity and type checks, and cty's
// safe conversions between primitives (lower(5) is "5", abs("-2") is 2), happen here, so
// every function complains the same way: "lower: argument 1 must be a string, got a list".
import { FunctionError, type FunctionContext, type HclFunction, type HclValue } from './function-types.js';
import { describe, isMap, numberToString, parseDecimal, primitiveToString, type HclMap } from './values.js';

export type Kind = 'string' | 'number' | 'integer' | 'bool' | 'list' | 'map' | 'any';
/** A kind with a trailing "?" is an optional last parameter. */
export type Param = Kind | `${Kind}?`;

type ValueOf<K> = K extends 'string' ? string
  : K extends 'number' | 'integer' ? number
  : K extends 'bool' ? boolean
  : K extends 'list' ? HclValue[]
  : K extends 'map' ? HclMap
  : HclValue;
type ParamValue<P> = P extends `${infer K}?` ? ValueOf<K> | undefined : ValueOf<P>;
export type ParamValues<P extends readonly Param[]> = { -readonly [I in keyof P]: ParamValue<P[I]> };

/** A function not yet named: the library binds each to the name templates call it by. */
export type FunctionSpec = (name: string) => HclFunction;

const KIND_NAMES: Record<Kind, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  bool: 'a bool',
  list: 'a list',
  map: 'a map',
  any: 'a value',
};

function shown(value: HclValue): string {
  return typeof value === 'string' ? JSON.stringify(value) : typeof value === 'number' ? numberToString(value) : describe(value);
}

/** `value` as `kind`, converting primitives the way cty does; undefined when it cannot be. */
export function convert(kind: Kind, value: HclValue): HclValue | undefined {
  switch (kind) {
    case 'any': return value;
    case 'string': return primitiveToString(value);
    case 'number':
    case 'integer': {
      const n = typeof value === 'number' ? value : typeof value === 'string' ? parseDecimal(value) : undefined;
      return n === undefined || (kind === 'integer' && !Number.isInteger(n)) ? undefined : n;
    }
    case 'bool': return typeof value === 'boolean' ? value : value === 'true' ? true : value === 'false' ? false : undefined;
    case 'list': return Array.isArray(value) ? value : undefined;
    case 'map': return isMap(value) ? value : undefined;
  }
}

/** `value` as `kind`, or a FunctionError naming the function, `what` ("argument 2", "element 1 of argument 2") and what was given. */
export function expect<K extends Kind>(name: string, what: string, kind: K, value: HclValue): ValueOf<K> {
  const converted = convert(kind, value);
  if (converted === undefined) throw new FunctionError(`${name}: ${what} must be ${KIND_NAMES[kind]}, got ${shown(value)}`);
  return converted as ValueOf<K>;
}

/** Every element of a list argument as `kind` (join's strings, min's numbers). */
export function elementsOf<K extends Kind>(name: string, argument: number, kind: K, list: HclValue[]): ValueOf<K>[] {
  return list.map((item, i) => expect(name, `element ${i + 1} of argument ${argument}`, kind, item));
}

function plural(n: number): string {
  return n === 1 ? '1 argument' : `${n} arguments`;
}

function checkArity(name: string, got: number, min: number, max: number): void {
  if (got >= min && got <= max) return;
  const wanted = max === Infinity ? `at least ${plural(min)}`
    : min === max ? (min === 0 ? 'no arguments' : plural(min))
    : min === 0 && max === 1 ? 'at most 1 argument'
    : max === min + 1 ? `${min} or ${plural(max)}`
    : `${min} to ${plural(max)}`;
  throw new FunctionError(`${name}: expects ${wanted}, got ${got}`);
}

function checkParams(name: string, params: readonly Param[], args: HclValue[], first = 0): unknown[] {
  return params.map((param, i) => {
    const value = args[first + i];
    if (value === undefined) return undefined;
    const kind = param.replace('?', '') as Kind;
    return expect(name, `argument ${first + i + 1}`, kind, value);
  });
}

/** A function of fixed parameters (the last ones may be optional: "string?"). */
export function fn<const P extends readonly Param[]>(
  params: P,
  run: (values: ParamValues<P>, context: FunctionContext) => HclValue,
): FunctionSpec {
  const required = params.filter((p) => !p.endsWith('?')).length;
  return (name) => (args, context) => {
    checkArity(name, args.length, required, params.length);
    return run(checkParams(name, params, args) as ParamValues<P>, context);
  };
}

/** A function whose fixed parameters are followed by any number of `rest` ones (at least `minRest`). */
export function variadic<const P extends readonly Param[], R extends Kind>(
  params: P,
  rest: R,
  run: (values: ParamValues<P>, rest: ValueOf<R>[], context: FunctionContext) => HclValue,
  minRest = 0,
): FunctionSpec {
  return (name) => (args, context) => {
    checkArity(name, args.length, params.length + minRest, Infinity);
    const fixed = checkParams(name, params, args) as ParamValues<P>;
    const more = args.slice(params.length).map((value, i) => expect(name, `argument ${params.length + i + 1}`, rest, value));
    return run(fixed, more, context);
  };
}

/** Names each spec of a family: `family({ lower: fn(...) })`. */
export function family(specs: Record<string, FunctionSpec>): Record<string, HclFunction> {
  return Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, spec(name)]));
}
