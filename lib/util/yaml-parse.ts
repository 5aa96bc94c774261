// yaml's own duplicate-key check (uniqueKeys) compares each key with every key before it
// in its mapping: 20,000 http.content keys took about 10 s to parse. Here the document is
// parsed without it and the same errors are found in one pass with a set per mapping.
import { isNode, isScalar, parseDocument, visit, YAMLParseError, type Document, type DocumentOptions, type ParseOptions, type SchemaOptions } from 'yaml';

type Options = ParseOptions & DocumentOptions & SchemaOptions;

/** parseDocument with unique keys enforced in linear time: a repeated key is a DUPLICATE_KEY error in doc.errors, in position order. */
export function parseYamlDocument(text: string, options: Options = {}): Document.Parsed {
  const doc = parseDocument(text, { ...options, uniqueKeys: false });
  const duplicates: YAMLParseError[] = [];
  visit(doc, {
    Map(_key, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        // yaml compares scalar keys by value; a mapping or list as a key is only equal to itself.
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (!seen.has(key)) {
          seen.add(key);
          continue;
        }
        const at = isNode(pair.key) ? pair.key.range?.[0] ?? 0 : 0;
        duplicates.push(new YAMLParseError([at, at + 1], 'DUPLICATE_KEY', 'Map keys must be unique'));
      }
    },
  });
  if (duplicates.length) {
    doc.errors.push(...duplicates);
    doc.errors.sort((a, b) => a.pos[0] - b.pos[0]);
  }
  return doc;
}
