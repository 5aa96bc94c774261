// The building blocks of the template schema (schema.ts, schema-provision.ts): typed
// nodes with the description check-schema.ts puts in messages.
export type JsonType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null';

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

export const string = (description?: string): SchemaNode => ({ type: 'string', ...(description ? { description } : {}) });
export const boolean: SchemaNode = { type: 'boolean', description: 'true or false' };
export const duration = string('a duration like 500ms, 10s or 1m30s');
export const size: SchemaNode = { type: ['integer', 'string'], description: 'a size like 512M or 20G, or a number of MiB' };
export const stringList = (description: string): SchemaNode => ({ type: 'array', items: string(), description });
export const argList: SchemaNode = { type: 'array', items: { type: ['string', 'number'] }, description: 'a list of arguments' };
export const oneOf = (values: string[]): SchemaNode => ({ type: 'string', enum: values, description: `one of ${values.join(', ')}` });

export const object = (properties: Record<string, SchemaNode>, extra: Partial<SchemaNode> = {}): SchemaNode => ({
  type: 'object',
  properties,
  additionalProperties: false,
  ...extra,
});

export const stringMap: SchemaNode = { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] }, description: 'a mapping of NAME: value' };
