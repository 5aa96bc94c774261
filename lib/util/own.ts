// Look-ups keyed by user input (variable names, answer-file words, template keys) must
// see own properties only: `table["constructor"]` on a plain object is Object itself.

/** `table[key]` when `key` is the table's own property, else undefined. */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
