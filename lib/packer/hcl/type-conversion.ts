// A value converted to a type constraint the way HCL converts: number <-> string,
// bool <-> "true"/"false", tuples to lists and sets, objects to maps; null fits any type.
// Messages say where inside the value the mismatch is and name kinds, never contents.
import type { HclValue } from './functions/function-types.js';
import { describeType, type TypeConstraint } from './type-constraint.js';
import { asBool, asNumber, asString, describeValue, isObject, valuesEqual } from './values.js';

/** A value that does not fit a type; the message is "[path: ]a T is required, got a U". */
export class TypeConversionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TypeConversionError';
  }
}

export function convertToType(value: HclValue, type: TypeConstraint): HclValue {
  return convert(value, type, '');
}

function convert(value: HclValue, type: TypeConstraint, path: string): HclValue {
  if (value === null || type.kind === 'any') return value;
  const fail = (): never => {
    const description = describeType(type);
    const article = /^[aeiou]/.test(description) ? 'an' : 'a';
    throw new TypeConversionError(`${path === '' ? '' : `${path}: `}${article} ${description} is required, got ${describeValue(value)}`);
  };
  switch (type.kind) {
    case 'string':
      return asString(value) ?? fail();
    case 'number':
      return asNumber(value) ?? fail();
    case 'bool':
      return asBool(value) ?? fail();
    case 'list':
    case 'set': {
      if (!Array.isArray(value)) return fail();
      const items = value.map((item, i) => convert(item, type.element, `${path}[${i}]`));
      return type.kind === 'list' ? items : items.filter((item, i) => items.findIndex((other) => valuesEqual(other, item)) === i);
    }
    case 'map': {
      if (!isObject(value)) return fail();
      const map: { [key: string]: HclValue } = {};
      for (const key of Object.keys(value)) define(map, key, convert(value[key]!, type.element, `${path}${keyPath(key)}`));
      return map;
    }
    case 'tuple':
      if (!Array.isArray(value) || value.length !== type.elements.length) return fail();
      return value.map((item, i) => convert(item, type.elements[i]!, `${path}[${i}]`));
    case 'object': {
      if (!isObject(value)) return fail();
      const object: { [key: string]: HclValue } = {};
      for (const attribute of type.attributes) {
        const here = `${path}${keyPath(attribute.name)}`;
        if (Object.hasOwn(value, attribute.name)) define(object, attribute.name, convert(value[attribute.name]!, attribute.type, here));
        else if (attribute.optional) define(object, attribute.name, attribute.default === undefined ? null : convert(attribute.default, attribute.type, here));
        else throw new TypeConversionError(`${path === '' ? '' : `${path}: `}attribute "${attribute.name}" is required`);
      }
      return object;
    }
  }
}

const keyPath = (key: string): string => (/^[A-Za-z_][\w-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);

function define(object: { [key: string]: HclValue }, key: string, value: HclValue): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}
