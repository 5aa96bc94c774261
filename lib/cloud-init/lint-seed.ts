// Checks the seed before any VM starts: YAML syntax and the #cloud-config header
// always, `cloud-init schema` where cloud-init is installed on the host, shell syntax
// of script parts, meta-data and network-config shape. Problems come back as findings
// on the template's key paths: inside cloud-config keys at the key itself, inside a
// literal string at the character (positions.ts turns that into kiln.yaml:LINE:COL).
// What kiln adds (build-defaults.ts) is not linted: it is valid by construction.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, type Node } from 'yaml';
import { parseYamlDocument, YAML_MAX_ALIASES } from '../util/yaml-document.js';
import { lintText, type LintTextOptions } from '../lint/lint-text.js';
import type { AnswerKind, LintProblem } from '../lint/problem.js';
import { lintMetaData } from '../lint/user-data.js';
import type { Finding, Segment } from '../template/finding.js';
import type { CloudConfig, CloudInitSpec } from './types.js';
import { cloudConfigText } from './yaml-text.js';
import { firstYamlError } from '../util/yaml-error.js';

export interface SeedLintOptions {
  /** Run cloud-init schema and the shell checkers where installed (default true). */
  tools?: boolean;
  signal?: AbortSignal;
}

/** Lints the spec as written (placeholders rendered with sample values by the caller). */
export async function lintCloudInit(spec: CloudInitSpec, options: SeedLintOptions = {}): Promise<Finding[]> {
  const at: Segment[] = ['cloud_init'];
  let scratch: Promise<string> | undefined;
  const textOptions: LintTextOptions = { scratch: () => (scratch ??= mkdtemp(join(tmpdir(), 'kiln-seed-lint-'))), tools: options.tools ?? true };
  if (options.signal) textOptions.signal = options.signal;
  const findings: Finding[] = [];
  try {
    const ud = spec.user_data;
    if (typeof ud === 'string') findings.push(...(await lintLiteral(ud, [...at, 'user_data'], 'user-data', textOptions)));
    else if (!Array.isArray(ud)) findings.push(...(await lintKeys(ud, [...at, 'user_data'], textOptions)));
    else {
      for (const [i, part] of ud.entries()) {
        const path = [...at, 'user_data', i];
        if ('cloud_config' in part) {
          const config = part.cloud_config;
          const found = typeof config === 'string' ? await lintLiteral(config, [...path, 'cloud_config'], 'user-data', textOptions) : await lintKeys(config, [...path, 'cloud_config'], textOptions);
          findings.push(...found);
        } else if ('script' in part || 'boothook' in part) {
          const key = 'script' in part ? 'script' : 'boothook';
          const text = 'script' in part ? part.script : part.boothook;
          findings.push(...(await lintLiteral(text, [...path, key], 'shell', textOptions)));
        }
      }
    }
    if (typeof spec.meta_data === 'string') findings.push(...literalFindings(spec.meta_data, [...at, 'meta_data'], 'meta-data', lintMetaData(spec.meta_data)));
    if (spec.network_config !== undefined) findings.push(...lintNetworkConfig(spec.network_config, [...at, 'network_config']));
  } finally {
    if (scratch) await rm(await scratch, { recursive: true, force: true });
  }
  return findings;
}

/** cloud-config keys: rendered as kiln serves them; problems go to the key they are about. */
async function lintKeys(config: CloudConfig, path: Segment[], options: LintTextOptions): Promise<Finding[]> {
  const text = cloudConfigText(config);
  const { problems } = await lintText('user-data', text, options);
  return problems.map((p) => ({ path: [...path, ...keyPathOf(p, text)], message: p.message.replace(/^cloud-init schema: [A-Za-z0-9_.-]+: /, 'cloud-init schema: '), at: 'key' as const }));
}

/** A document written as a string: problems point at the line inside it. */
async function lintLiteral(text: string, path: Segment[], kind: AnswerKind, options: LintTextOptions): Promise<Finding[]> {
  const { problems } = await lintText(kind, text, options);
  return literalFindings(text, path, kind === 'shell' ? 'script' : kind, problems);
}

function literalFindings(text: string, path: Segment[], name: string, problems: readonly LintProblem[]): Finding[] {
  return problems.map((p) => ({ path, message: `${name} line ${p.line}: ${p.message}`, offset: offsetOf(text, p.line, p.column) }));
}

/** network-config: YAML, a mapping with version 1 or 2 (at the top or under network:). */
export function lintNetworkConfig(spec: CloudConfig | string, path: Segment[]): Finding[] {
  let data: unknown = spec;
  if (typeof spec === 'string') {
    const lineCounter = new LineCounter();
    const doc = parseYamlDocument(spec, { lineCounter, version: '1.1', prettyErrors: false });
    const error = firstYamlError(doc, lineCounter);
    if (error) return [{ path, message: `network-config line ${error.line}: YAML: ${error.message}`, offset: offsetOf(spec, error.line, error.column) }];
    try {
      data = doc.toJS({ maxAliasCount: YAML_MAX_ALIASES });
    } catch (error) {
      return [{ path, message: `network-config: ${(error as Error).message}: use fewer aliases (*name)` }];
    }
  }
  const root = (data as Record<string, unknown> | null)?.['network'] ?? data;
  const version = typeof root === 'object' && root !== null && !Array.isArray(root) ? (root as Record<string, unknown>)['version'] : undefined;
  if (version === 1 || version === 2) return [];
  return [{ path, message: 'network-config must be a mapping with "version: 1" or "version: 2" (cloud-init\'s network configuration formats)' }];
}

/** The key path a problem in generated cloud-config is about: from cloud-init's message, else from its line. */
function keyPathOf(problem: LintProblem, text: string): Segment[] {
  const named = /^cloud-init schema: ([A-Za-z0-9_.-]+): /.exec(problem.message)?.[1];
  if (named && !/^format-l\d+/.test(named)) return named.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  return pathAtLine(text, problem.line);
}

/** The deepest key path whose key or item starts on `line` or whose value spans it. */
export function pathAtLine(text: string, line: number): Segment[] {
  const lineCounter = new LineCounter();
  const doc = parseYamlDocument(text, { lineCounter, version: '1.1' });
  const lineOf = (offset: number) => lineCounter.linePos(offset).line;
  const spans = (node: Node | null | undefined) => !!node?.range && lineOf(node.range[0]) <= line && line <= lineOf(Math.max(node.range[0], node.range[1] - 1));
  const path: Segment[] = [];
  let node = doc.contents as Node | null;
  for (;;) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) && p.key.range && lineOf(p.key.range[0]) === line) || spans(p.value as Node));
      if (!pair || !isScalar(pair.key)) return path;
      path.push(String(pair.key.value));
      // A key on the line is what the line is about, whatever its value holds.
      if (pair.key.range && lineOf(pair.key.range[0]) === line) return path;
      node = pair.value as Node | null;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => spans(item as Node));
      if (index < 0) return path;
      path.push(index);
      node = node.items[index] as Node;
      // An item starting on the line is what it is about, unless it is a mapping (its first key is).
      if (!isMap(node) && node.range && lineOf(node.range[0]) === line) return path;
    } else return path;
  }
}

/** 0-based offset of 1-based line and column in text. */
export function offsetOf(text: string, line: number, column = 1): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const end = text.indexOf('\n', offset);
    if (end < 0) break;
    offset = end + 1;
  }
  return Math.min(offset + column - 1, Math.max(text.length - 1, 0));
}

