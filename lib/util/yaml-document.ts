// Every YAML document kiln reads from users (templates, var files, cloud-init documents,
// answer files) is parsed here. The yaml package composes nodes recursively, so a deeply
// nested document overflows the stack (reported as a bogus syntax error) or aborts the
// whole process (out of memory in V8's regex compiler, exit 134). Its CST parser is
// iterative: depth and size are checked with it first, and a document over the limits
// comes back with one RESOURCE_EXHAUSTION error instead of being composed. Unique keys
// are checked here too, in one pass: yaml's own check (uniqueKeys) compares each key
// with every key before it in its mapping (20,000 http.content keys took about 10 s).
import { Document, isNode, isScalar, Lexer, Parser, parseDocument, visit, YAMLParseError, type DocumentOptions, type LineCounter, type ParseOptions, type SchemaOptions } from 'yaml';

/** Deeper than any real template or cloud-config (those stay under ~15 levels). */
export const YAML_MAX_DEPTH = 64;
/** Characters in one document: far above any template or answer file. */
export const YAML_MAX_CHARS = 4 * 1024 * 1024;
/** Aliases expanded when a document is turned into data (yaml's guard against "billion laughs"). */
export const YAML_MAX_ALIASES = 1000;

export type YamlOptions = ParseOptions & DocumentOptions & SchemaOptions;

/**
 * parseDocument with kiln's limits; warnings are never printed (logLevel error). Unless
 * `uniqueKeys: false`, a repeated key is a DUPLICATE_KEY error in doc.errors, found in
 * linear time, in position order.
 */
export function parseYamlDocument(text: string, options: YamlOptions = {}): Document.Parsed {
  const limit = overLimit(text);
  if (!limit) {
    const doc = parseDocument(text, { logLevel: 'error', ...options, uniqueKeys: false });
    if (options.uniqueKeys !== false) addDuplicateKeyErrors(doc);
    for (const error of doc.errors) {
      // Not expected under the depth limit; if it happens, say what it is.
      if (/call stack/i.test(error.message)) error.message = `the document is nested too deeply to read: ${LIMIT_FIX}`;
    }
    return doc;
  }
  if (options.lineCounter) countLines(text, options.lineCounter);
  const doc = new Document(null, { logLevel: 'error', ...options }) as unknown as Document.Parsed;
  doc.contents = null; // nothing was read (the constructor makes a null scalar)
  doc.errors.push(new YAMLParseError([limit.offset, limit.offset + 1], 'RESOURCE_EXHAUSTION', limit.message));
  return doc;
}

const LIMIT_FIX = `flatten the data (kiln reads at most ${YAML_MAX_DEPTH} levels; no template or cloud-config needs more)`;

/** The first limit `text` exceeds, with where. */
export function overLimit(text: string): { offset: number; message: string } | undefined {
  if (text.length > YAML_MAX_CHARS) {
    return { offset: YAML_MAX_CHARS, message: `the document is over ${YAML_MAX_CHARS / 1024 / 1024} MiB: kiln reads YAML documents up to that size; move large content into files` };
  }
  const parser = new Parser();
  // The parser's stack holds the document, each open collection and the current token.
  const maxStack = YAML_MAX_DEPTH + 2;
  for (const lexeme of new Lexer().lex(text)) {
    for (const _token of parser.next(lexeme));
    if (parser.stack.length > maxStack) {
      return { offset: Math.min(parser.offset, Math.max(text.length - 1, 0)), message: `nested more than ${YAML_MAX_DEPTH} levels deep: ${LIMIT_FIX}` };
    }
  }
  return undefined;
}

/** Fills `lineCounter` as parsing would have (the limit error needs a line and column). */
function countLines(text: string, lineCounter: LineCounter): void {
  lineCounter.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineCounter.addNewLine(i + 1);
}

/** yaml's DUPLICATE_KEY errors, with a set per mapping instead of comparing every pair. */
function addDuplicateKeyErrors(doc: Document.Parsed): void {
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
        const at = isNode(pair.key) ? (pair.key.range?.[0] ?? 0) : 0;
        duplicates.push(new YAMLParseError([at, at + 1], 'DUPLICATE_KEY', 'Map keys must be unique'));
      }
    },
  });
  if (duplicates.length) {
    doc.errors.push(...duplicates);
    doc.errors.sort((a, b) => a.pos[0] - b.pos[0]);
  }
}
