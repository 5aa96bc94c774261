// YAML (and JSON, which YAML 1.2 reads as well) into a document that remembers where
// every key and value is, so that problems can be reported as file:line:column.
import { LineCounter, type Document } from 'yaml';
import { KilnError } from '../errors.js';
import type { Segment } from './finding.js';
import { firstYamlError } from '../util/yaml-error.js';
import { parseYamlDocument, YAML_MAX_ALIASES } from '../util/yaml-document.js';

export interface ParsedSource {
  /** The file name used in messages. */
  file: string;
  /** The file's text, as parsed. */
  text: string;
  doc: Document;
  lineCounter: LineCounter;
  /** The plain data, before variable substitution. */
  data: unknown;
  /**
   * For a document translated from another format (a Packer template): where the value
   * at a key path was written, which issues then name instead of this document's lines.
   */
  origin?: (path: readonly Segment[]) => { file: string; line: number; column: number } | undefined;
}

/** Parses `text`; a syntax error is a KilnError E_TEMPLATE naming file:line:column. */
export function parseSource(text: string, file: string): ParsedSource {
  const lineCounter = new LineCounter();
  const json = file.toLowerCase().endsWith('.json') || text.trimStart().startsWith('{');
  const doc = parseYamlDocument(text, { lineCounter, prettyErrors: false });
  const error = firstYamlError(doc, lineCounter);
  if (error && doc.errors[0]?.code === 'RESOURCE_EXHAUSTION') {
    // Not a syntax error: the file is too big or too deep to read at all.
    throw new KilnError('E_TEMPLATE', `${file}:${error.line}:${error.column}: ${error.message}`, {
      hint: 'templates and var files are small mappings: check that this is the file you meant, and move bulky content into files',
    });
  }
  if (error) {
    throw new KilnError('E_TEMPLATE', `${file}:${error.line}:${error.column}: ${json ? 'JSON' : 'YAML'} syntax error: ${error.message}`, {
      hint: json
        ? 'fix the JSON syntax (a missing comma, quote or bracket is the usual cause)'
        : 'fix the YAML syntax: check indentation, and quote strings that contain ": " or start with { [ * & ! | >',
    });
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: YAML_MAX_ALIASES });
  } catch (cause) {
    throw new KilnError('E_TEMPLATE', `${file}: cannot read the document: ${(cause as Error).message}`, {
      cause,
      hint: 'check the anchors and aliases (&name, *name) in the file',
    });
  }
  return { file, text, doc, lineCounter, data };
}
