// `cloud-init schema -c FILE`, where cloud-init is installed: the cloud-config keys and
// types cloud-init itself knows. Its messages name key paths ("users.0.lock_passwd:
// ..."), which are mapped back to lines through the YAML document.
import { isMap, isScalar, isSeq, LineCounter, type Node } from 'yaml';
import { parseYamlDocument } from '../../util/yaml-document.js';
import type { LintProblem } from '../problem.js';
import { runTool } from './run-tool.js';

const ERRORS = /schema errors: (.*)$/;
/** Longer output lines (quoting a huge value) are cut: the key paths come first. */
const MAX_LINE = 4000;
/** "a.b.0.c: message" entries, separated by ", " before the next path. */
const ENTRY = /([A-Za-z0-9_.-]+): (.*?)(?=, [A-Za-z0-9_.-]+: |$)/g;

export function parseCloudInitOutput(output: string, text: string): LintProblem[] {
  const problems: LintProblem[] = [];
  const lineOf = pathLines(text);
  for (const raw of output.split('\n')) {
    // ENTRY backtracks over each run of key characters: a bounded line keeps that cheap.
    const m = ERRORS.exec(raw.slice(0, MAX_LINE).trim());
    if (!m) continue;
    for (const entry of m[1]!.matchAll(ENTRY)) {
      problems.push({ line: lineOf(entry[1]!), message: `cloud-init schema: ${entry[1]}: ${entry[2]}` });
    }
  }
  if (problems.length === 0) {
    const first = output.split('\n').map((l) => l.trim()).find((l) => /error/i.test(l));
    if (first) problems.push({ line: 1, message: `cloud-init schema: ${first}` });
  }
  return problems;
}

/** Dotted key path (list items by index) -> 1-based line of that key, else 1. */
function pathLines(text: string): (path: string) => number {
  const lineCounter = new LineCounter();
  const doc = parseYamlDocument(text, { lineCounter, version: '1.1' });
  return (path) => {
    let node: Node | null | undefined = doc.contents;
    let offset = 0;
    for (const segment of path.split('.')) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
        if (!pair) break;
        offset = (pair.key as Node).range?.[0] ?? offset;
        node = pair.value as Node | null;
      } else if (isSeq(node) && /^\d+$/.test(segment)) {
        node = node.items[Number(segment)] as Node | undefined;
        offset = node?.range?.[0] ?? offset;
      } else break;
    }
    return lineCounter.linePos(offset).line;
  };
}

export async function checkCloudInit(file: string, text: string, signal?: AbortSignal): Promise<LintProblem[]> {
  const result = await runTool('cloud-init', ['schema', '-c', file], { signal });
  if (!result || result.code === 0) return [];
  return parseCloudInitOutput(`${result.stdout}\n${result.stderr}`, text);
}
