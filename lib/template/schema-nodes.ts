// The building blocks of the template schema (schema.ts, schema-provision.ts). Each node
// is both the JSON schema ajv checks a file against and, through TypeBox's Static, the
// TypeScript type of the data that passed: raw-template.ts derives every raw type from
// these nodes, so a key is declared once. Nodes carry the description check-schema.ts
// puts in messages. TypeBox is used for its types only: its runtime constructors cost
// about 180 ms of import on every template load (kiln validate's budget is 1 s), and the
// nodes here are plain JSON Schema objects, typed as the TypeBox node they equal.
import type { Static, TArray, TBoolean, TInteger, TObject, TOptional, TProperties, TSchema, TString, TUnsafe } from '@sinclair/typebox';

export type JsonType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null';

/** A schema node as check-schema.ts and schemaAt read it: the JSON schema keywords kiln uses. */
export interface SchemaNode {
  type?: JsonType | JsonType[];
  description?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  required?: string[];
  minProperties?: number;
  maxProperties?: number;
  items?: SchemaNode;
  minItems?: number;
  enum?: string[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
}

export type Scalar = string | number | boolean;

/** The type of data that passed a node. */
export type DataOf<T extends TSchema> = Static<T>;

type Described = { description?: string };

/** A node whose JSON schema TypeBox cannot spell (type lists, the `none` pattern) with the type it guarantees. */
export const shaped = <T>(schema: SchemaNode): TUnsafe<T> => schema as unknown as TUnsafe<T>;
const typed = <T extends TSchema>(schema: SchemaNode): T => schema as unknown as T;

export const string = (description?: string, extra: { pattern?: string } = {}) => typed<TString>({ type: 'string', ...extra, ...(description ? { description } : {}) });
export const boolean = typed<TBoolean>({ type: 'boolean', description: 'true or false' });
export const duration = string('a duration like 500ms, 10s or 1m30s');
export const size = shaped<number | string>({ type: ['integer', 'string'], description: 'a size like 512M or 20G, or a number of MiB' });
export const integer = (minimum: number, maximum: number, description?: string) => typed<TInteger>({ type: 'integer', minimum, maximum, ...(description ? { description } : {}) });
export const listOf = <I extends TSchema>(item: I, description: string, extra: { minItems?: number } = {}) =>
  typed<TArray<I>>({ type: 'array', items: item as SchemaNode, description, ...extra });
export const stringList = (description: string, extra: { minItems?: number } = {}) => listOf(string(), description, extra);
export const argList = listOf(shaped<string | number>({ type: ['string', 'number'] }), 'a list of arguments');
export const oneOf = <const V extends readonly string[]>(values: V) =>
  shaped<V[number]>({ type: 'string', enum: [...values], description: `one of ${values.join(', ')}` });
export const stringOrList = (description: string) => shaped<string | string[]>({ type: ['string', 'array'], items: { type: 'string' }, description });

/** A mapping of names to values of one node. */
export const mapOf = <V extends TSchema>(value: V, description: string, extra: { minProperties?: number } = {}) =>
  shaped<Record<string, Static<V>>>({ type: 'object', additionalProperties: value as SchemaNode, description, ...extra });

/** A mapping of names to strings, numbers or booleans. */
export const scalarMap = (description: string) =>
  shaped<Record<string, Scalar>>({ type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] }, description });

export const stringMap = scalarMap('a mapping of NAME: value');

type WithOptional<P extends TProperties, R extends keyof P> = { [K in keyof P]: K extends R ? P[K] : TOptional<P[K]> };

interface ObjectExtra<R> extends Described {
  /** The keys that must be there; every other key is optional. */
  required?: readonly R[];
  minProperties?: number;
}

/** A mapping with these keys and no others. */
export function object<P extends TProperties, R extends keyof P & string = never>(properties: P, extra: ObjectExtra<R> = {}): TObject<WithOptional<P, R>> {
  const { required: wanted = [], ...options } = extra;
  const required = Object.keys(properties).filter((key) => (wanted as readonly string[]).includes(key));
  return typed<TObject<WithOptional<P, R>>>({
    ...options,
    type: 'object',
    properties: properties as Record<string, SchemaNode>,
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
  });
}

/** Exactly one of its keys (`source: { iso }` or `{ disk }`, one provisioner kind per item): a union of one-key mappings. */
export function exactlyOne<P extends TProperties>(properties: P, description: string) {
  const schema = object(properties, { minProperties: 1, description }) as SchemaNode;
  return shaped<{ [K in keyof P]: { [Q in K]: Static<P[K]> } }[keyof P]>({ ...schema, maxProperties: 1 });
}

/** A mapping, or one of a few words (`ssh: none`, `proxy: cache`). */
export function orWords<T extends TObject, const W extends readonly string[]>(node: T, words: W, description: string) {
  const pattern = words.length === 1 ? `^${words[0]}$` : `^(?:${words.join('|')})$`;
  return shaped<W[number] | Static<T>>({ ...(node as SchemaNode), type: ['object', 'string'], pattern, description });
}
