// Look-ups keyed by user input (variable names, answer-file words, template keys) must
// see own properties only: `table["constructor"]` on a plain object is Object itself.

/** `table[key]` when `key` is the table's own property, else undefined. */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Whether `key` is the table's own property (the `in` operator also sees Object.prototype). */
export const hasOwn = (table: object, key: string): boolean => Object.hasOwn(table, key);

/** An empty record without a prototype: any key, even "__proto__", is just a key. */
export const emptyRecord = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;
