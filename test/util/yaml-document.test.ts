// YAML limits: depth and size are checked before the yaml package composes anything,
// so deep nesting is a located problem instead of a stack overflow or an abort.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LineCounter } from 'yaml';
import { lintUserData } from '../../lib/lint/user-data.js';
import { parseSource } from '../../lib/template/parse-source.js';
import { overLimit, parseYamlDocument, YAML_MAX_CHARS, YAML_MAX_DEPTH } from '../../lib/util/yaml-document.js';
import { kilnThrown } from '../helpers/rejection.js';

const flow = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const block = (depth: number) => Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n') + ' leaf\n';

test('depth up to the limit parses; one more level is refused where it starts', () => {
  assert.is(overLimit(`a: ${flow(YAML_MAX_DEPTH - 1)}`), undefined);
  assert.is(overLimit(block(YAML_MAX_DEPTH)), undefined);
  const over = overLimit(`a: ${flow(YAML_MAX_DEPTH + 5)}`);
  assert.ok(over);
  assert.match(over.message, `nested more than ${YAML_MAX_DEPTH} levels deep: flatten the data`);
  assert.ok(over.offset > 3 && over.offset < 3 + YAML_MAX_DEPTH + 5, String(over.offset));
  assert.ok(overLimit(block(YAML_MAX_DEPTH + 2)));
  assert.ok(overLimit('- '.repeat(YAML_MAX_DEPTH + 2) + 'x'));
});

test('size: a document over the limit is refused without being parsed', () => {
  const over = overLimit('#'.repeat(YAML_MAX_CHARS + 1));
  assert.ok(over);
  assert.match(over.message, 'MiB');
});

test('a refused document carries one RESOURCE_EXHAUSTION error with a line and column', () => {
  const lineCounter = new LineCounter();
  const doc = parseYamlDocument(`a: 1\nb: ${flow(10_000)}\n`, { lineCounter });
  assert.is(doc.errors.length, 1);
  assert.is(doc.errors[0]!.code, 'RESOURCE_EXHAUSTION');
  const { line, col } = lineCounter.linePos(doc.errors[0]!.pos[0]);
  assert.is(line, 2);
  assert.ok(col > 4, String(col));
  assert.is(doc.contents, null);
});

test('templates: deep nesting is an E_TEMPLATE error at file:line:col, not a "JSON syntax error"', () => {
  for (const text of [`{"a": ${flow(5000)}}`, `name: x\nmachine: ${flow(100_000)}\n`]) {
    const { message } = kilnThrown(() => parseSource(text, 'kiln.yaml'));
    assert.match(message, /^kiln\.yaml:\d+:\d+: nested more than 64 levels deep/);
    assert.not.match(message, 'syntax error');
  }
});

test('cloud-init documents: deep nesting is a lint problem (it aborted the process with exit 134)', () => {
  for (const depth of [1000, 50_000]) {
    const { problems } = lintUserData(`#cloud-config\nruncmd: ${flow(depth)}\n`);
    assert.is(problems.length, 1);
    assert.is(problems[0]!.line, 2);
    assert.match(problems[0]!.message, 'YAML: nested more than 64 levels deep');
  }
});

test('a key that is a list gives no Node warning (logLevel error), only kiln\'s own problem', () => {
  const warnings: unknown[] = [];
  const emit = process.emitWarning;
  process.emitWarning = ((warning: unknown) => void warnings.push(warning)) as typeof process.emitWarning;
  try {
    const source = parseSource('? [a, b]\n: 1\n', 'kiln.yaml');
    assert.equal(source.data, { '[ a, b ]': 1 });
  } finally {
    process.emitWarning = emit;
  }
  assert.equal(warnings, []);
});

test.run();
